from django.urls import include, path, re_path

from ficarchive.api import views
from ficarchive.api.main import api, unknown_address

token_patterns = (
    [
        path("preferences/tokens", views.tokens, name="list"),
        path("preferences/tokens/<int:token_id>/revoke", views.revoke, name="revoke"),
    ],
    "tokens",
)

urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>.*)$", unknown_address),
    path("", include(token_patterns)),
]
