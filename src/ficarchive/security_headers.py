"""Headers that tell browsers what pages of the archive may do, beside Django's own.

The Content-Security-Policy comes from django-csp (settings.CONTENT_SECURITY_POLICY);
Referrer-Policy, HSTS and nosniff from Django's SecurityMiddleware. This adds
Permissions-Policy: no page of the archive uses the camera, microphone, location, payment or
the like, so none may, whatever a page ever holds.
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
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
    "browsing-topics",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in UNUSED_FEATURES)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
