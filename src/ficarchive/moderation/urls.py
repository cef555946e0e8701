from django.urls import path

from ficarchive.moderation import views

app_name = "moderation"
urlpatterns = [
    path("moderation/switches", views.site_switches, name="switches"),
]
