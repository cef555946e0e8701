"""Conditional GET for feeds: ETag and Last-Modified from one small query, through `condition`.

A feed's validators come from the works it lists (how many, the newest revision) and who asks,
so that a feed reader polling an unchanged feed gets a 304 without the feed being written.

A feed listed from the search index (`search.listings.IndexedWorks`) is known by its page: how
many works, and the page's works with their change stamps, which change whenever anything a
work shows does, in every process alike. That state names the whole feed, so the feed is also
kept whole in the shared cache under it (`search.whole_pages`): a warm feed is one engine query
and one cache read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import wraps
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import condition

from ficarchive.exporting.access import memo
from ficarchive.exporting.views.lists import revised_of, tags_by_use
from ficarchive.search.listings import IndexedWorks
from ficarchive.search.whole_pages import digest, served_whole

# Bump when feeds change shape, so that readers fetch them again.
FEED_VERSION = "2"

Rows = Callable[..., QuerySet[Any] | IndexedWorks[Any]]


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
        return digest((FEED_VERSION, who, request.get_full_path(), stats))

    def last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime | None:
        revised: datetime | None = _state(request, rows, args, kwargs, marked)["revised"]
        return revised

    def kept_whole(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def serve(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if "works" not in _state(request, rows, args, kwargs, marked):
                return view(request, *args, **kwargs)  # listed from the database
            shows = etag(request, *args, **kwargs)  # names the reader, the page and its works
            return served_whole(request, shows, lambda: view(request, *args, **kwargs))

        return serve

    conditional = condition(etag_func=etag, last_modified_func=last_modified)
    return lambda view: conditional(kept_whole(view))


def tags_condition(types: Sequence[str]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`condition` for a list of the tags of TYPES by use (`lists.tags_by_use`): named by
    the counts it shows (as of which change of the log, and when they were counted), the
    reader and the address."""

    def etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        found = tags_by_use(request, types)
        who = request.user.pk if request.user.is_authenticated else 0
        return digest((FEED_VERSION, who, request.get_full_path(), found.state, len(found)))

    return condition(etag_func=etag)


def updates_condition(
    updates: Callable[[HttpRequest], Sequence[Any]],
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`condition` for a feed of UPDATES(request) (items with `key`, `when` and `revised`)."""

    def etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        found = [(update.key, update.revised.isoformat()) for update in updates(request)]
        return digest((FEED_VERSION, request.user.pk, request.get_full_path(), found))

    def last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime | None:
        return max((update.revised for update in updates(request)), default=None)

    return condition(etag_func=etag, last_modified_func=last_modified)
