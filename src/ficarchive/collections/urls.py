from django.urls import path

from ficarchive.collections import views

app_name = "collections"
urlpatterns = [
    path("collections", views.index, name="index"),
    path("collections/new", views.new, name="new"),
    path("collections/<slug:name>", views.detail, name="detail"),
    path("collections/<slug:name>/edit", views.edit, name="edit"),
    path("collections/<slug:name>/manage", views.manage, name="manage"),
    path("collections/<slug:name>/items/<int:item_id>", views.review, name="review"),
    path("collections/<slug:name>/reveal", views.reveal, name="reveal"),
    path("works/<int:work_id>/collections", views.work_collections, name="work_collections"),
]
