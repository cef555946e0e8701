"""Count hits and note history visits for the work pages, in the cache (see hits.py).

A page view never writes to the database: when a flush is due, it runs as the response
closes, after the page has been sent.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from ficarchive.social.hits import (
    flush_after_response,
    flush_is_due,
    record_hit,
    record_visit,
    visitor_of,
)

READING_PAGES = {"works:detail", "works:chapter"}


class ReadingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if (
            request.method == "GET"
            and response.status_code == 200
            and match is not None
            and match.view_name in READING_PAGES
        ):
            work_id = int(match.kwargs["work_id"])
            record_hit(work_id, visitor_of(request))
            user = request.user
            if user.is_authenticated and user.keep_history:
                record_visit(user.pk, work_id, match.kwargs.get("chapter_id"))
            if flush_is_due():  # run by response.close(), before the request_finished signal
                response._resource_closers.append(flush_after_response)  # type: ignore[attr-defined]
        return response
