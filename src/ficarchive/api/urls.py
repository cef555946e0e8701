from django.urls import include, path, re_path

from ficarchive.api import views
from ficarchive.api.guard import guarded, guarded_urls
from ficarchive.api.main import api, unknown_address

token_patterns = (
    [
        path("preferences/tokens", views.tokens, name="list"),
        path("preferences/tokens/<int:token_id>/revoke", views.revoke, name="revoke"),
    ],
    "tokens",
)

api_patterns, app_name_of_api, api_namespace = api.urls

urlpatterns = [
    path("api/v1/", (guarded_urls(api_patterns), app_name_of_api, api_namespace)),
    re_path(r"^api/v1/(?P<rest>.*)$", guarded(unknown_address)),
    path("", include(token_patterns)),
]
