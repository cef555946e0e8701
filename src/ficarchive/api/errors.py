"""One error shape for every answer of the API: `{"error": {"code", "message", "field"}}`.

Refusals and bad input come back as 400 (malformed: a bad query or cursor), 401 (no or a bad
token), 403 (not allowed), 404 (not there, or not for this reader, or no such address), 405 (a
method the address does not take), 409 (already done), 414 (a query string longer than
guard.MAX_QUERY_STRING), 422 (well-formed but invalid, a body that is not a JSON object
included), 429 (too many requests, with Retry-After) and 503 (the database is busy or in
maintenance, with Retry-After; see ficarchive.unavailable). What a superadmin switched
off for the whole archive (downloads, new works: see ficarchive.moderation.switches) is a 403
with the code "switched_off"; a write by an account moderators suspended or banned (see
ficarchive.accounts.standing) is a 403 with the code "suspended". Nothing a client sends may
cause a 500; an unexpected failure still answers in this shape, and is logged.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING, Any, TypeAlias

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as SchemaValidationError

from ficarchive.accounts.standing import AccountSuspended
from ficarchive.api.choices import one_of
from ficarchive.moderation.spam.limits import CommentLimitReached
from ficarchive.moderation.switches import SwitchedOff
from ficarchive.search.query import BadQuery
from ficarchive.unavailable import MESSAGE, RETRY_AFTER, is_database_fault

logger = logging.getLogger(__name__)

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",  # ficarchive.uploads
    414: "uri_too_long",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}
MAX_QUERY_STRING = 4096  # characters of a query string, as sent (percent-encoded): see guard.py
SWITCHED_OFF = "switched_off"
SUSPENDED = "suspended"
if TYPE_CHECKING:
    ErrorCode: TypeAlias = str
else:  # an enum in the schema
    ErrorCode = one_of([*CODES.values(), SWITCHED_OFF, SUSPENDED])


class ApiError(Exception):
    """Raise to answer with an error: `ApiError(409, "You already follow this work.")`."""

    def __init__(self, status: int, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    message: str,
    field: str | None = None,
    details: dict[str, list[str]] | None = None,
    code: str | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "code": code or CODES.get(status, "server_error" if status >= 500 else "bad_request"),
        "message": message,
        "field": field,
    }
    if details:
        body["details"] = details
    return api.create_response(request, {"error": body}, status=status)


def _from_django_validation(exc: DjangoValidationError) -> tuple[str, str | None, dict[str, Any]]:
    """The first message, the field it names (if any), and every message by field."""
    if hasattr(exc, "error_dict"):
        details = {
            name: DjangoValidationError(errors).messages for name, errors in exc.error_dict.items()
        }
        field, messages = next(iter(details.items()))
        field_name = None if field == "__all__" else field
        return (messages[0] if messages else "Invalid input."), field_name, details
    messages = exc.messages
    return (messages[0] if messages else "Invalid input."), None, {}


def _schema_validation(api: NinjaAPI, request: HttpRequest, exc: Exception) -> HttpResponse:
    assert isinstance(exc, SchemaValidationError)
    details: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())]
        # ("body", "payload", "title") or ("query", "q"): the source and schema name go.
        names = location[2:] if location[:1] == ["body"] and len(location) > 2 else location[1:]
        details.setdefault(".".join(names) or "body", []).append(str(error.get("msg", "")))
    field, messages = next(iter(details.items()), ("body", ["Invalid input."]))
    message = f"{field}: {messages[0]}" if field else messages[0]
    return error_response(api, request, 422, message, field, details)


def _handlers(api: NinjaAPI) -> dict[type[Exception], Any]:
    def api_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        assert isinstance(exc, ApiError)
        return error_response(api, request, exc.status, exc.message, exc.field)

    def http_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        assert isinstance(exc, HttpError)
        message = str(exc.message)
        if isinstance(exc, AuthenticationError):
            message = "Send a token (Authorization: Bearer <key>) or log in to do this."
        elif isinstance(exc, Throttled):
            message = "Too many requests; wait for the time in Retry-After and try again."
        elif exc.status_code == 403 and "CSRF" in message:
            message = "The CSRF check failed: send the X-CSRFToken header with session logins."
        return error_response(api, request, exc.status_code, message)

    def denied(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(api, request, 403, str(exc) or "You may not do this.")

    def switched_off(request: HttpRequest, exc: Exception) -> HttpResponse:
        assert isinstance(exc, SwitchedOff)
        return error_response(api, request, 403, exc.message, code=SWITCHED_OFF)

    def suspended(request: HttpRequest, exc: Exception) -> HttpResponse:
        assert isinstance(exc, AccountSuspended)
        return error_response(api, request, 403, exc.message, code=SUSPENDED)

    def comment_limit(request: HttpRequest, exc: Exception) -> HttpResponse:
        assert isinstance(exc, CommentLimitReached)
        response = error_response(api, request, 429, exc.messages[0])
        response["Retry-After"] = str(exc.retry_after)
        return response

    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        message = str(exc) if isinstance(exc, Http404) and str(exc) else "Not found."
        return error_response(api, request, 404, message)

    def invalid(request: HttpRequest, exc: Exception) -> HttpResponse:
        assert isinstance(exc, DjangoValidationError)
        message, field, details = _from_django_validation(exc)
        return error_response(api, request, 422, message, field, details)

    def bad_query(request: HttpRequest, exc: Exception) -> HttpResponse:
        assert isinstance(exc, BadQuery)
        return error_response(api, request, 400, f"{exc.param}: {exc.reason}", exc.param)

    def suspicious(request: HttpRequest, exc: Exception) -> HttpResponse:
        message = "The request is too large or malformed."
        return error_response(api, request, 400, f"{message} {exc}".strip())

    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return error_response(api, request, 500, "Something went wrong on our side.")

    def database(request: HttpRequest, exc: Exception) -> HttpResponse:
        if not is_database_fault(exc):
            return unexpected(request, exc)
        logger.warning("Database unavailable on %s %s: %s", request.method, request.path, exc)
        response = error_response(api, request, 503, MESSAGE)
        response["Retry-After"] = str(RETRY_AFTER)
        return response

    return {
        Exception: unexpected,
        ApiError: api_error,
        HttpError: http_error,
        PermissionDenied: denied,
        SwitchedOff: switched_off,
        AccountSuspended: suspended,
        Http404: not_found,
        DjangoValidationError: invalid,
        CommentLimitReached: comment_limit,
        SchemaValidationError: partial(_schema_validation, api),
        BadQuery: bad_query,
        SuspiciousOperation: suspicious,
        DatabaseError: database,
    }


def install_error_handlers(api: NinjaAPI) -> None:
    for exc_class, handler in _handlers(api).items():
        api.add_exception_handler(exc_class, handler)
