"""Uploads no larger than the archive takes, refused before they are read.

A request whose declared body (Content-Length) is larger than `upload_limit()` plus room for a
form's other fields is answered 413 before a byte of its body is read. Files inside an accepted
body are streamed by Django's handlers (to disk past 2.5 MB); `LimitedUploadHandler` counts
their bytes as they arrive and stops the upload the moment they pass the limit, whatever the
headers said, so that no file larger than the limit is ever held or spooled whole. Either way
the answer is a 413 page (JSON under /api/) that names the file, when it is known, and the
limit; nothing of the request reaches a view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render

# Room for the fields that travel with the files (multipart framing, the CSRF token, a title).
FORM_ALLOWANCE = 256 * 1024


def upload_limit() -> int:
    """The most the files of one upload may weigh together, in bytes."""
    return int(settings.MAX_UPLOAD_BYTES)


def request_limit() -> int:
    """The most a request body may declare: the larger of the upload and form limits, plus
    room for the form's other fields."""
    form_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return max(upload_limit(), int(form_limit)) + FORM_ALLOWANCE


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"


class LimitedUploadHandler(FileUploadHandler):
    """Counts the file bytes of a request as they stream in and stops past `upload_limit()`.

    First in FILE_UPLOAD_HANDLERS: it passes every chunk on to Django's own handlers, which
    keep small files in memory and spool larger ones to disk."""

    def handle_raw_input(self, *args: Any, **kwargs: Any) -> None:
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received = getattr(self, "received", 0) + len(raw_data)
        limit = upload_limit()
        if self.received > limit:
            if self.request is not None:
                self.request.refused_upload = (self.file_name or "the upload", limit)  # type: ignore[attr-defined]
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def declared_size(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def oversized_body(request: HttpRequest) -> str | None:
    """Why REQUEST's declared body is too large to read, or None."""
    declared = declared_size(request)
    if declared <= request_limit():
        return None
    return (
        f"The upload is {megabytes(declared)}; the archive takes at most "
        f"{megabytes(upload_limit())} in one upload. Nothing was read or saved."
    )


def oversized_files(request: HttpRequest) -> str | None:
    """Why REQUEST's files were refused while they streamed in, or None. Parses a multipart
    body now, through LimitedUploadHandler."""
    if request.method != "POST" or not (request.content_type or "").startswith("multipart/"):
        return None
    request.FILES  # noqa: B018 - parsing is what this does
    refused = getattr(request, "refused_upload", None)
    if refused is None:
        return None
    name, limit = refused
    return (
        f"{name}: the upload is larger than {megabytes(limit)}, the most the archive takes "
        "in one upload. Nothing was saved."
    )


def too_large(request: HttpRequest, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        error = {"code": "too_large", "message": message, "field": None}
        return JsonResponse({"error": error}, status=413)
    return render(request, "413.html", {"reason": message}, status=413)


class RefuseOversizedUploads:
    """A declared size over the limit is refused in `__call__`, before sessions or the body are
    touched; a multipart body is parsed in `process_view`, before any view (and before the CSRF
    check would parse it), so that an upload stopped by the handler never reaches the view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        message = oversized_body(request)
        if message is not None:
            return too_large(request, message)
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponseBase | None:
        message = oversized_files(request)
        return None if message is None else too_large(request, message)
