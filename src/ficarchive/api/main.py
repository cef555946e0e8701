"""The API object: version 1 at /api/v1/, its OpenAPI schema, docs, errors and rate limits.

Every successful read carries an ETag (a hash of the answer) and, where it has one, a
Last-Modified date; a client that sends them back gets a 304 when nothing changed.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import parse_http_date_safe
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Swagger
from ninja.operation import Operation

from ficarchive.api import (
    catalog,
    me,
    openapi,
    places,
    posting,
    reports,
    scheduling,
    shelves,
    social,
    works,
)
from ficarchive.api.auth import RateLimit
from ficarchive.api.errors import MAX_QUERY_STRING, error_response, install_error_handlers
from ficarchive.conditional import page_etag

DESCRIPTION = f"""\
A JSON API for readers' tools, apps and archivists.

**Auth**: a personal access token made on your preferences page, sent as
`Authorization: Bearer <key>` (scope read, or read and write); or the site's own session
(unsafe methods then need the `X-CSRFToken` header). Guests may read what guests may see:
reads need no auth (`security: []`), and a token sent on a read is still honoured.

**Errors** always look like `{{"error": {{"code", "message", "field"}}}}`, every answer under
`/api/v1/` included (an unknown address is a 404, a method it does not take a 405).

**Lists** are paged by cursor: pass `next_cursor` back as `cursor` (or follow `next`). The
search (`GET /works`) is paged by `page` and `per_page`, like the search page.

**Limits**: requests per minute per token or account, and per address for guests; past
the limit a 429 with `Retry-After`. A query string past {MAX_QUERY_STRING} characters is a 414.

**Bodies** are JSON objects with the fields the schema names, of the types it gives: anything
else is a 422 that changes nothing.
"""


class ArchiveAPI(NinjaAPI):
    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        # What an answer holds depends on who asks: shared caches must not mix readers up.
        patch_vary_headers(response, ("Authorization", "Cookie"))
        patch_cache_control(response, private=True, no_cache=True)
        response["ETag"] = page_etag(response.content)
        modified = parse_http_date_safe(response.get("Last-Modified", ""))
        unchanged = get_conditional_response(
            request, etag=response["ETag"], last_modified=modified, response=response
        )
        return response if unchanged is None else unchanged

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Ninja's schema with what it cannot say itself: see api/openapi.py."""
        return openapi.finish(super().get_openapi_schema(**kwargs))

    def get_openapi_operation_id(self, operation: Operation) -> str:
        """The view's name (`get_work`): what generated clients name their functions."""
        return operation.view_func.__name__


api = ArchiveAPI(
    title="ficarchive API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": True}),
    docs_url="/docs",
    openapi_url="/openapi.json",
    throttle=[RateLimit()],
)
install_error_handlers(api)
_ = (places, posting, scheduling)  # their operations join the works router (one per address)

api.add_router("", works.router)
api.add_router("", catalog.router)
api.add_router("", social.router)
api.add_router("", me.router)
api.add_router("", reports.router)
api.add_router("", shelves.router)


@csrf_exempt
def unknown_address(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Anything else under /api/v1/ is a 404 in the API's error shape, not an HTML page."""
    return error_response(api, request, 404, "No such address in the API; see /api/v1/docs.")
