"""Conditional GET for feeds: ETag and Last-Modified from one small query, through `condition`.

A feed's validators come from the works it lists (how many, the newest revision) and who asks,
so that a feed reader polling an unchanged feed gets a 304 without the feed being written.

A feed listed from the search index (`search.listings.IndexedWorks`) is known by its page: how
many works, and the page's works with their change stamps, which change whenever anything a
work shows does, in every process alike. That state names the whole feed, so the feed is also
kept whole in the shared cache under it: a warm feed is one engine query and one cache read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import condition

from ficarchive.exporting.access import memo, site_of
from ficarchive.exporting.views.lists import revised_of
from ficarchive.search.listings import IndexedWorks

# Bump when feeds change shape, so that readers fetch them again.
FEED_VERSION = "2"

Rows = Callable[..., QuerySet[Any] | IndexedWorks[Any]]
KEEP_SECONDS = 24 * 3600


def _state(
    request: HttpRequest, rows: Rows, args: Any, kwargs: Any, marked: str | None
) -> dict[str, Any]:
    def compute() -> dict[str, Any]:
        found = rows(request, *args, **kwargs)
        if isinstance(found, IndexedWorks):
            state = found.page_state(request.GET.get("page"))
            state["revised"] = revised_of([work_id for work_id, _ in state["works"]])
            return state
        aggregates: dict[str, Any] = {"revised": Max("revised_at"), "count": Count("pk")}
        if marked:
            aggregates["marked"] = Max(marked)
        stats = found.aggregate(**aggregates)
        stats["revised"] = max(
            (stats[name] for name in ("revised", "marked") if stats.get(name)), default=None
        )
        return stats

    return memo(request, "feed_state", compute)


def feed_condition(
    rows: Rows, marked: str | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`condition` for a feed of ROWS(request, *args, **kwargs) (works or chapters).

    MARKED names an annotation of when each row joined the list (a bookmark's date), so that
    bookmarking or marking an older work changes the feed too.
    """

    def etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        stats = _state(request, rows, args, kwargs, marked)
        who = request.user.pk if request.user.is_authenticated else 0
        return _digest((FEED_VERSION, who, request.get_full_path(), stats))

    def last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime | None:
        revised: datetime | None = _state(request, rows, args, kwargs, marked)["revised"]
        return revised

    def kept_whole(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def serve(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if "works" not in _state(request, rows, args, kwargs, marked):
                return view(request, *args, **kwargs)  # listed from the database
            site = site_of(request)
            # What else a feed's text depends on: the archive's name and address, the language.
            around = _digest((site.name, site.url, translation.get_language()))
            key = f"feed:{etag(request, *args, **kwargs)}:{around}"
            kept = cache.get(key)
            if kept is not None:
                return HttpResponse(kept[1], content_type=kept[0])
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                cache.set(key, (response["Content-Type"], response.content), KEEP_SECONDS)
            return response

        return serve

    conditional = condition(etag_func=etag, last_modified_func=last_modified)
    return lambda view: conditional(kept_whole(view))


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()[:32]


def updates_condition(
    updates: Callable[[HttpRequest], Sequence[Any]],
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`condition` for a feed of UPDATES(request) (items with `key`, `when` and `revised`)."""

    def etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        found = [(update.key, update.revised.isoformat()) for update in updates(request)]
        text = repr((FEED_VERSION, request.user.pk, request.get_full_path(), found))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime | None:
        return max((update.revised for update in updates(request)), default=None)

    return condition(etag_func=etag, last_modified_func=last_modified)
