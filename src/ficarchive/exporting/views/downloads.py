"""Downloads of a work, a series or a reader's shelf, for browsers and for e-reader apps.

Each answers conditional requests (ETag and Last-Modified, through Django's `condition`), so that
an app checking for updates gets a 304 after a few small queries and no file is written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import condition, require_safe

from ficarchive.exporting.access import challenge, feed_access, memo, readable_work, site_of
from ficarchive.exporting.downloads import (
    Prepared,
    TooBig,
    prepare_series,
    prepare_shelf,
    prepare_work,
)
from ficarchive.moderation.switches import switch_required
from ficarchive.social.models import Shelf
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


def _shelf(request: HttpRequest, shelf_id: int, fmt: str, app: bool) -> Prepared | HttpResponse:
    """A shelf is its reader's alone: anyone else gets a 404, a guest is asked to log in."""

    def prepare() -> Prepared | HttpResponse:
        if not request.user.is_authenticated:
            return challenge() if app else redirect_to_login(request.get_full_path())
        shelf = get_object_or_404(Shelf, pk=shelf_id, user_id=request.user.pk)
        try:
            return prepare_shelf(shelf, request.user, site_of(request), fmt)
        except TooBig as exc:
            return HttpResponse(str(exc), status=422, content_type="text/plain; charset=utf-8")

    return memo(request, "download", prepare)


def _web_shelf(request: HttpRequest, shelf_id: int, fmt: str) -> Prepared | HttpResponse:
    return _shelf(request, shelf_id, fmt, app=False)


def _app_shelf(request: HttpRequest, shelf_id: int, fmt: str) -> Prepared | HttpResponse:
    return _shelf(request, shelf_id, fmt, app=True)


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
_WEB_SHELF, _APP_SHELF = _validators(_web_shelf), _validators(_app_shelf)


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


@require_safe
@switch_required("downloads")
@feed_access
@condition(*_WEB_SHELF)
def shelf(request: HttpRequest, shelf_id: int, fmt: str) -> HttpResponse:
    """A reader's shelf as one book, its works in the shelf's order."""
    return _served(_web_shelf(request, shelf_id, fmt))


@require_safe
@switch_required("downloads")
@feed_access
@condition(*_APP_SHELF)
def app_shelf(request: HttpRequest, shelf_id: int, fmt: str) -> HttpResponse:
    """A shelf for an e-reader app (OPDS acquisition link): guests are asked for credentials."""
    return _served(_app_shelf(request, shelf_id, fmt))
