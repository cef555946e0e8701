"""Downloads of a work or a series, for browsers and for e-reader apps.

Each answers conditional requests (ETag and Last-Modified, through Django's `condition`), so that
an app checking for updates gets a 304 after a few small queries and no file is written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import condition, require_safe

from ficarchive.exporting.access import feed_access, memo, readable_work, site_of
from ficarchive.exporting.downloads import (
    Prepared,
    prepare_series,
    prepare_work,
)
from ficarchive.moderation.switches import switch_required
from ficarchive.works.models import Series

Prepare = Callable[..., "Prepared | HttpResponse"]


def _work(request: HttpRequest, work_id: int, fmt: str, app: bool) -> Prepared | HttpResponse:
    def prepare() -> Prepared | HttpResponse:
        work = readable_work(request, work_id, app=app)
        if isinstance(work, HttpResponse):
            return work
        return prepare_work(work, request.user, site_of(request), fmt)

    return memo(request, "download", prepare)


def _web_work(request: HttpRequest, work_id: int, fmt: str) -> Prepared | HttpResponse:
    return _work(request, work_id, fmt, app=False)


def _app_work(request: HttpRequest, work_id: int, fmt: str) -> Prepared | HttpResponse:
    return _work(request, work_id, fmt, app=True)


def _series(request: HttpRequest, series_id: int, fmt: str) -> Prepared:
    def prepare() -> Prepared:
        series = get_object_or_404(Series, pk=series_id)
        prepared = prepare_series(series, request.user, site_of(request), fmt)
        if prepared is None:
            raise Http404("No such series.")
        return prepared

    return memo(request, "download", prepare)


def _validators(
    prepare: Prepare,
) -> tuple[Callable[..., str | None], Callable[..., datetime | None]]:
    """The ETag and Last-Modified functions for `condition`, from the prepared download."""

    def etag(request: HttpRequest, *args: object, **kwargs: object) -> str | None:
        prepared = prepare(request, *args, **kwargs)
        return prepared.version.key if isinstance(prepared, Prepared) else None

    def last_modified(request: HttpRequest, *args: object, **kwargs: object) -> datetime | None:
        prepared = prepare(request, *args, **kwargs)
        return prepared.version.modified_at if isinstance(prepared, Prepared) else None

    return etag, last_modified


def _served(prepared: Prepared | HttpResponse) -> HttpResponse:
    return prepared if isinstance(prepared, HttpResponse) else prepared.response()


_WEB_WORK, _APP_WORK, _SERIES = _validators(_web_work), _validators(_app_work), _validators(_series)


@require_safe
@switch_required("downloads")
@condition(*_WEB_WORK)
def work(request: HttpRequest, work_id: int, fmt: str) -> HttpResponse:
    """A work as EPUB, HTML or TXT; restricted works send guests to log in, as the page does."""
    return _served(_web_work(request, work_id, fmt))


@require_safe
@switch_required("downloads")
@feed_access
@condition(*_APP_WORK)
def app_work(request: HttpRequest, work_id: int, fmt: str) -> HttpResponse:
    """A work for an e-reader app (OPDS acquisition link): guests are asked for credentials."""
    return _served(_app_work(request, work_id, fmt))


@require_safe
@switch_required("downloads")
@feed_access
@condition(*_SERIES)
def series(request: HttpRequest, series_id: int, fmt: str) -> HttpResponse:
    """A series as one book with every part the reader may read."""
    return _served(_series(request, series_id, fmt))
