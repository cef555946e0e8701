"""Refuse requests carrying characters no text may hold, before any view or query sees them.

A NUL in a URL path or query string made PostgreSQL fail (500) on lookups such as
`/tags/a%00b/works`; a lone surrogate in a JSON body ("\\udc80") was stored on SQLite and then
broke every page that showed it. Both answer 400 here, naming what was refused: JSON under
/api/ in the API's error shape, a page elsewhere. Form posts need no check of their own: Django
decodes them with replacement characters, and its form fields refuse NUL.
The rule itself is `ficarchive.text.characters`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.http.request import RawPostDataException
from django.shortcuts import render

from ficarchive.text.characters import unusable_character, unusable_in

_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


Refusal = tuple[str, str | None]  # the message, and the JSON field it names (if any)


def refusal(request: HttpRequest) -> Refusal | None:
    """Why REQUEST cannot be served, or None when its path, query and JSON body are usable."""
    reason = unusable_character(request.path)
    if reason is not None:
        return f"The address cannot be used: {reason}.", None
    if b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
        return "The query string cannot be used: it holds a NUL character.", None
    if request.method in _BODY_METHODS and _is_json(request):
        return _json_refusal(request)
    return None


def _is_json(request: HttpRequest) -> bool:
    kind = request.content_type or ""
    return kind == "application/json" or kind.endswith("+json")


def _json_refusal(request: HttpRequest) -> Refusal | None:
    try:
        body = request.body
    except (RawPostDataException, RequestDataTooBig):
        return None  # read as a stream, or too big: the view answers that itself
    if not body:
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"The JSON body is not UTF-8: the byte at position {exc.start} is invalid.", None
    try:
        data = json.loads(text)
    except ValueError:
        return None  # not JSON: the API answers that itself, naming the problem
    found = unusable_in(data)
    if found is None:
        return None
    where, why = found
    return f"The JSON body's {where} cannot be used: {why}.", where


class RefuseUnusableInput:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        refused = refusal(request)
        if refused is None:
            return self.get_response(request)
        reason, field = refused
        if request.path.startswith("/api/"):
            error = {"code": "bad_request", "message": reason, "field": field}
            return JsonResponse({"error": error}, status=400)
        response: HttpResponse = render(request, "400.html", {"reason": reason}, status=400)
        return response
