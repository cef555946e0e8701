from django.urls import path

from ficarchive.moderation.views import switches as switches_views

app_name = "moderation"
urlpatterns = [
    path("moderation/switches", switches_views.site_switches, name="switches"),
]
