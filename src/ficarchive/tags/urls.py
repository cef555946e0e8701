from django.urls import path, register_converter

from ficarchive.tags import views
from ficarchive.tags.naming import TagNameConverter
from ficarchive.tags.views_autocomplete import autocomplete

register_converter(TagNameConverter, "tagname")

app_name = "tags"
urlpatterns = [
    path("tags/autocomplete", autocomplete, name="autocomplete"),
    path("tags/<tagname:name>/works", views.works, name="works"),
    # wrangling
    path("tags/<tagname:name>/edit", views.edit, name="edit"),
    path("wrangling", views.wrangling, name="wrangling"),
    path("wrangling/fandoms", views.wrangle_fandoms, name="wrangle_fandoms"),
    path("wrangling/fandoms/<tagname:name>", views.wrangle_fandom, name="wrangle_fandom"),
    path("wrangling/suggestions/accept", views.accept_suggestion, name="accept_suggestion"),
    path("wrangling/changes", views.changes, name="changes"),
    path("wrangling/changes/<int:change_id>/undo", views.undo, name="undo"),
]
