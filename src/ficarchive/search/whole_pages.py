"""Pages kept whole in the shared cache, under what they show: a page answered from the search
index is named by its result (how many works, the page's works and their change stamps, the
facets), which changes whenever anything the page shows does, in every process alike. So a warm
page costs the engine's query and one cache read, on any app server of the machine or the
cluster, and no page is ever served stale.

Only pages that are the same for everyone who gets them are kept: a guest's search page (no
standing filters, no CSRF token, no messages waiting), and feeds (whose key names the reader).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation

KEEP_SECONDS = 24 * 3600


def digest(value: object) -> str:
    """A short, stable name for VALUE (its repr)."""
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()[:32]


def shown_alike(request: HttpRequest) -> bool:
    """Whether this request's page is the one every guest gets for the address: a guest with
    no messages waiting to be shown (reading them here keeps them for the page)."""
    if request.user.is_authenticated:
        return False
    return not any(True for _ in get_messages(request))


def served_whole(
    request: HttpRequest, shows: object, make: Callable[[], HttpResponse]
) -> HttpResponse:
    """The page for this address as of SHOWS (all it depends on besides the address, the
    archive's name and host, and the language), from the shared cache, or made by MAKE and
    kept when it is a whole 200 answer."""
    around = (
        request.get_full_path(),
        request.build_absolute_uri("/"),
        settings.SITE_NAME,
        translation.get_language(),
    )
    key = f"page:{digest((around, shows))}"
    kept = cache.get(key)
    if kept is not None:
        content_type, content = kept
        return HttpResponse(content, content_type=content_type)
    response = make()
    if response.status_code == 200 and not response.streaming:
        cache.set(key, (response["Content-Type"], response.content), KEEP_SECONDS)
    return response
