"""Answers under /api/v1/ that no operation gives, in the API's error shape: a query string
too long to read (414) and a method the address does not take (405). Every view of the API
(`urls.py`) is wrapped in `guarded`; unknown addresses are `main.unknown_address` (404).

The production server (`ficarchive serve`, gunicorn) reads request lines of up to
`serve.MAX_REQUEST_LINE` (8190) bytes, so that a query string past MAX_QUERY_STRING reaches
Django and gets this JSON 414; a line past gunicorn's ceiling gets the same shape from its
worker (ficarchive.webworker).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase, HttpResponseNotAllowed
from django.urls import URLPattern

from ficarchive.api.errors import MAX_QUERY_STRING, error_response
from ficarchive.api.main import api

__all__ = ["MAX_QUERY_STRING", "guarded", "guarded_urls"]

View = Callable[..., HttpResponseBase]


def guarded(view: View) -> View:
    """VIEW, with a JSON 414 for a query string past MAX_QUERY_STRING and a JSON 405."""

    @wraps(view)
    def guarded_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        length = len(request.META.get("QUERY_STRING", ""))
        if length > MAX_QUERY_STRING:
            message = (
                f"The query string is {length} characters long; the API reads at most "
                f"{MAX_QUERY_STRING}. Send fewer or shorter parameters."
            )
            return error_response(api, request, 414, message)
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            message = f"{request.method} is not allowed here; this address takes {allowed}."
            refused = error_response(api, request, 405, message)
            refused["Allow"] = allowed
            return refused
        return response

    return guarded_view


def guarded_urls(patterns: list[Any]) -> list[Any]:
    """The URL patterns with each view `guarded`."""
    return [
        URLPattern(found.pattern, guarded(found.callback), found.default_args, found.name)
        if isinstance(found, URLPattern)
        else found
        for found in patterns
    ]
