from django.urls import path

from ficarchive.importing import claiming, views

app_name = "importing"

urlpatterns = [
    path("works/import", views.upload, name="upload"),
    path("works/import/post", views.post, name="post"),
    path("works/claim/<str:token>", claiming.claim, name="claim"),
]
