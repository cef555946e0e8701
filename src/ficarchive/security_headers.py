"""Headers that tell browsers what pages of the archive may do, beside Django's own.

The Content-Security-Policy comes from django-csp (settings.CONTENT_SECURITY_POLICY);
Referrer-Policy, HSTS and nosniff from Django's SecurityMiddleware. This adds
Permissions-Policy: no page of the archive uses the camera, microphone, location, payment or
the like, so none may, whatever a page ever holds. Passkeys (two-factor sign-in) are the
archive's own pages' only: no frame of another origin may ask for one.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

# Powerful features no page uses, each allowed to no origin at all.
UNUSED_FEATURES = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
    "browsing-topics",
)
# Features only the archive's own pages use.
OWN_FEATURES = ("publickey-credentials-create", "publickey-credentials-get")
PERMISSIONS_POLICY = ", ".join(
    [f"{feature}=()" for feature in UNUSED_FEATURES]
    + [f"{feature}=(self)" for feature in OWN_FEATURES]
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
