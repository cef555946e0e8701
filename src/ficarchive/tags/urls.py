from django.urls import path, register_converter

from ficarchive.tags import views, views_browsing
from ficarchive.tags.naming import TagNameConverter
from ficarchive.tags.views_autocomplete import autocomplete

register_converter(TagNameConverter, "tagname")

app_name = "tags"
urlpatterns = [
    path("tags/autocomplete", autocomplete, name="autocomplete"),
    path("tags/<tagname:name>/works", views.works, name="works"),
    # browsing by fandom
    path("media", views_browsing.media, name="media"),
    path("media/<slug:slug>/fandoms", views_browsing.media_fandoms, name="media_fandoms"),
    path("fandoms/<tagname:name>", views_browsing.fandom, name="fandom"),
    # wrangling
    path("tags/<tagname:name>/edit", views.edit, name="edit"),
    path("tags/<tagname:name>/media", views.set_media, name="set_media"),
    path("wrangling", views.wrangling, name="wrangling"),
    path("wrangling/fandoms", views.wrangle_fandoms, name="wrangle_fandoms"),
    path("wrangling/fandoms/<tagname:name>", views.wrangle_fandom, name="wrangle_fandom"),
    path("wrangling/suggestions/accept", views.accept_suggestion, name="accept_suggestion"),
    path("wrangling/changes", views.changes, name="changes"),
    path("wrangling/changes/<int:change_id>/undo", views.undo, name="undo"),
]
