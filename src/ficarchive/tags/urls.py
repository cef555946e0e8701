from django.urls import path, register_converter

from ficarchive.tags import views
from ficarchive.tags.naming import TagNameConverter

register_converter(TagNameConverter, "tagname")

app_name = "tags"
urlpatterns = [
    path("tags/<tagname:name>/works", views.works, name="works"),
]
