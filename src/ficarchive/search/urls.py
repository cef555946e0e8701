from django.urls import path

from ficarchive.search import saved_views, views

app_name = "search"
urlpatterns = [
    path("works/search", views.works_search, name="works"),
    path("works/search/tags", views.tag_suggestions, name="tag_suggestions"),
    path("people/search", views.people_search, name="people"),
    path("bookmarks/search", views.bookmarks_search, name="bookmarks"),
    path("searches", saved_views.saved_searches, name="saved"),
    path("searches/save", saved_views.save, name="save"),
    path("searches/<int:search_id>", saved_views.update, name="saved_update"),
    path("searches/<int:search_id>/delete", saved_views.delete, name="saved_delete"),
]
