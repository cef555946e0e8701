from django.urls import path

from ficarchive.search import views

app_name = "search"
urlpatterns = [
    path("works/search", views.works_search, name="works"),
    path("works/search/tags", views.tag_suggestions, name="tag_suggestions"),
    path("people/search", views.people_search, name="people"),
    path("bookmarks/search", views.bookmarks_search, name="bookmarks"),
]
