"""When the database cannot answer: 503 with Retry-After and a page saying the archive is busy.

A locked SQLite database, one that is read-only, a PostgreSQL statement that ran past the
statement timeout, a server with too many connections or none at all, a read-only transaction:
these are the archive being busy or in maintenance, not a bug. The request answers 503 with
`Retry-After` and a short page (the API's JSON error shape under /api/, code "unavailable");
every other exception stays a 500. Reads that do not need a write keep being served, since no
read writes (see upkeep.py).

`DatabaseFaultMiddleware` answers for faults raised in views; `server_error` (the handler500)
for those raised anywhere else, such as a middleware saving a session.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, InternalError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER = 30  # seconds a client is asked to wait
READ_ONLY_TRANSACTION = "25006"  # PostgreSQL's SQLSTATE for a write in a read-only transaction
API_PREFIX = "/api/"
MESSAGE = (
    "The archive is busy or in maintenance and cannot do this just now; try again in a minute."
)


def is_database_fault(exc: BaseException) -> bool:
    """True for a database that is busy, down, read-only or cut off, not for a bug."""
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    if isinstance(exc, InternalError):
        cause = exc.__cause__
        return getattr(cause, "sqlstate", None) == READ_ONLY_TRANSACTION
    return False


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 answer: JSON under /api/, else the page (drawn without touching the database)."""
    if request.path.startswith(API_PREFIX):
        body = {"error": {"code": "unavailable", "message": MESSAGE, "field": None}}
        response = HttpResponse(json.dumps(body), content_type="application/json", status=503)
    else:
        context = {"SITE_NAME": settings.SITE_NAME, "SOURCE_URL": settings.SOURCE_URL}
        page = loader.render_to_string("503.html", context)  # no request: no user, no queries
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def _log(request: HttpRequest, exc: BaseException) -> None:
    logger.warning(
        "Database unavailable on %s %s: %s: %s",
        request.method,
        request.path,
        type(exc).__name__,
        str(exc).strip().splitlines()[0] if str(exc).strip() else "",
    )


class DatabaseFaultMiddleware:
    """Turn a database fault raised by a view into the 503 answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not is_database_fault(exc):
            return None
        _log(request, exc)
        return unavailable_response(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """The handler500: the 503 answer for a database fault, Django's 500 page for the rest."""
    exc = sys.exc_info()[1]
    if exc is not None and is_database_fault(exc):
        return unavailable_response(request)
    return defaults.server_error(request)
