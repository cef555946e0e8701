"""Who is calling: a personal access token (`Authorization: Bearer <key>`), the site's own
session (the htmx calls; unsafe methods need the CSRF token), or a guest for reads.

A token that is unknown or revoked is refused (401) even on reads, so that an app never
silently reads as a guest. A read token is refused on writes (403). Then every caller is
counted against a rate limit: per token, per signed-in user, or per address for guests.
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import BaseThrottle
from ninja.utils import check_csrf

from ficarchive.api.actions import note_token_use
from ficarchive.api.errors import ApiError
from ficarchive.api.models import AccessToken
from ficarchive.ratelimit import count_hit
from ficarchive.social.views.common import client_address


class BearerToken(HttpBearer):
    """A personal access token; WRITE says whether the operation changes anything."""

    def __init__(self, *, write: bool) -> None:
        super().__init__()
        self.write = write

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = AccessToken.objects.for_key(token.strip())
        if found is None:
            raise ApiError(401, "The token is unknown or was revoked.")
        if self.write and not found.can_write:
            raise ApiError(403, "This token may only read; make a read and write token.")
        note_token_use(found)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class SessionAuth(APIKeyCookie):
    """The site's own login, for its htmx calls; unsafe methods pass Django's CSRF check."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)  # checked below, only for signed-in users

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise ApiError(403, "The CSRF check failed: send the X-CSRFToken header.")
        return request.user


def guest(request: HttpRequest) -> Any:
    """Anybody may read; the reader is whoever the request is (a guest here)."""
    return request.user


READ_AUTH = [BearerToken(write=False), SessionAuth(), guest]
WRITE_AUTH = [BearerToken(write=True), SessionAuth()]
SIGNED_IN = READ_AUTH[:-1]  # a token or a session, no guests


class RateLimit(BaseThrottle):
    """API_RATE_LIMIT_USER requests a window per token or user, API_RATE_LIMIT_GUEST per guest
    address (settings; the window is API_RATE_WINDOW seconds)."""

    def __init__(self) -> None:
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "api_token", None)
        if token is not None:
            key, limit = f"api:token:{token.pk}", settings.API_RATE_LIMIT_USER
        elif request.user.is_authenticated:
            key, limit = f"api:user:{request.user.pk}", settings.API_RATE_LIMIT_USER
        else:
            key, limit = f"api:guest:{client_address(request)}", settings.API_RATE_LIMIT_GUEST
        hit = count_hit(key, limit=limit, window=settings.API_RATE_WINDOW)
        self._local.wait = hit.retry_after
        return hit.allowed

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)
