"""Conditional GET for pages: an ETag from what the page shows, so update checkers get a 304.

Django's own ConditionalGetMiddleware hashes the whole body, but every form on our pages carries
a freshly masked CSRF token, so no two renders would ever match. Here the token values are left
out of the hash: a page whose visible content is unchanged keeps its ETag, and the token in the
reader's cached copy stays valid because it is bound to the reader's unchanged CSRF cookie. The
cookie is hashed in too, so that when it changes (logging in rotates it) the reader gets a fresh
page instead of a cached one whose token no longer matches.

Every server process draws the same page for the same state, so any of them answers 304 to an
ETag another one gave: what a page shows beyond the database (hits not yet written, drawn
blurbs) comes from the cache that the whole machine shares, never from a process's own memory.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag

_CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def page_etag(content: bytes, csrf_secret: str = "") -> str:
    """The ETag of a page: a hash of its content without the CSRF token values, and of the
    reader's CSRF cookie (CSRF_SECRET) that those tokens are bound to."""
    stable = _CSRF_VALUE.sub(rb"\1\2", content)
    return quote_etag(hashlib.sha256(stable + csrf_secret.encode()).hexdigest()[:32])


class ConditionalPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            request.method not in ("GET", "HEAD")
            or response.status_code != 200
            or response.streaming
            or response.has_header("ETag")
            or not isinstance(response, HttpResponse)
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return response
        response["ETag"] = page_etag(response.content, request.META.get("CSRF_COOKIE") or "")
        conditional = get_conditional_response(request, etag=response["ETag"], response=response)
        return response if conditional is None else conditional
