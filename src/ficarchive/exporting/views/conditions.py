"""Conditional GET for feeds: ETag and Last-Modified from one small query, through `condition`.

A feed's validators come from the works it lists (how many, the newest revision) and who asks,
so that a feed reader polling an unchanged feed gets a 304 without the feed being written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest
from django.views.decorators.http import condition

from ficarchive.exporting.access import memo

# Bump when feeds change shape, so that readers fetch them again.
FEED_VERSION = "2"

Rows = Callable[..., QuerySet[Any]]


def _state(
    request: HttpRequest, rows: Rows, args: Any, kwargs: Any, marked: str | None
) -> dict[str, Any]:
    def compute() -> dict[str, Any]:
        aggregates: dict[str, Any] = {"revised": Max("revised_at"), "count": Count("pk")}
        if marked:
            aggregates["marked"] = Max(marked)
        stats = rows(request, *args, **kwargs).aggregate(**aggregates)
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
        text = repr((FEED_VERSION, who, request.get_full_path(), stats))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime | None:
        revised: datetime | None = _state(request, rows, args, kwargs, marked)["revised"]
        return revised

    return condition(etag_func=etag, last_modified_func=last_modified)


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
