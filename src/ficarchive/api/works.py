"""Reading works: search, one work, one chapter, downloads, a creator's works."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from ninja import Query, Router

from ficarchive.api import present
from ficarchive.api.auth import READ_AUTH
from ficarchive.api.choices import DownloadFormat, LanguageCode, OrderName, SortName
from ficarchive.api.common import (
    ERROR_STATUSES,
    LIMIT_DEFAULT,
    Cursor,
    Limit,
    PathId,
    Username,
    account,
    answers,
    openable_work,
)
from ficarchive.api.pagination import keyset_page, page_body, page_link
from ficarchive.api.schemas import (
    ChapterOut,
    ErrorOut,
    SearchOut,
    Text,
    WorkDetailOut,
    WorkListOut,
)
from ficarchive.exporting.access import site_of
from ficarchive.exporting.downloads import prepare_work
from ficarchive.exporting.formats import FORMATS
from ficarchive.moderation.switches import require
from ficarchive.search.query import MAX_PAGE, MAX_PER_PAGE
from ficarchive.search.results import find_works
from ficarchive.works.models import Work

router = Router(tags=["works"])

Param = Annotated[Text | None, Query(max_length=1000)]
Tags = Annotated[list[Text] | None, Query(max_length=50)]
Flag = Annotated[bool | None, Query()]
# The search page's ranges (`100-500`, `100-`, `-500`, `300`) and dates (`2024-01-01..2024-12-31`,
# `2024-01-01..`, `..2024-12-31`, `2024-05-01`), as patterns (search/query.py parses them); empty
# is none, as the search form sends it.
COUNT = r"[0-9]{1,18}"
DAY = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
Span = Annotated[
    str | None,
    Query(pattern=rf"^ *({COUNT} *(- *({COUNT})?)?|- *{COUNT})? *$", description="100-500"),
]
Dates = Annotated[
    str | None,
    Query(pattern=rf"^ *({DAY} *(\.\. *({DAY})?)?|\.\. *{DAY})? *$", description="2024-01-01.."),
]
Page = Annotated[int | None, Query(ge=1, le=MAX_PAGE)]
PerPage = Annotated[int | None, Query(ge=1, le=MAX_PER_PAGE)]
# Every format is a file to save, as bytes (a generated client gives it as a file, not text).
FILES = {
    "description": "The file, with a Content-Disposition naming it.",
    "content": {
        fmt.MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}
        for fmt in FORMATS.values()
    },
}


def _search_params(request: HttpRequest, checked: dict[str, Any]) -> QueryDict:
    """The query string with the parameters the schema types laid over as the search parses
    them (`complete=true`, `page=2`), so that what the schema accepts the search accepts."""
    params = request.GET.copy()
    for name, value in checked.items():
        if isinstance(value, bool):
            params[name] = "true" if value else "false"
        elif value is not None:
            params[name] = str(value)
    return params


@router.get("/works", response=answers(SearchOut), auth=READ_AUTH, url_name="works")
def search_works(
    request: HttpRequest,
    q: Param = None,
    body: Flag = None,
    include: Tags = None,
    exclude: Tags = None,
    complete: Flag = None,
    lang: LanguageCode | None = None,
    words: Span = None,
    chapters: Span = None,
    kudos: Span = None,
    hits: Span = None,
    bookmarks: Span = None,
    comments: Span = None,
    published: Dates = None,
    updated: Dates = None,
    sort: SortName | None = None,
    order: OrderName | None = None,
    page: Page = None,
    per_page: PerPage = None,
) -> dict[str, Any]:
    """Search works with the search page's parameters (same query object, same facets).

    Pages are numbered (`page`, `per_page` up to 100) as on the search page: `next` and
    `previous` are the addresses of the neighbouring pages.
    """
    checked = {"body": body, "complete": complete, "page": page, "per_page": per_page}
    found = find_works(_search_params(request, checked), request.user)
    query, result = found.query, found.result
    pages = max(1, -(-result.total // query.per_page))
    return {
        "total": result.total,
        "page": query.page,
        "per_page": query.per_page,
        "pages": pages,
        "works": present.listed_works(request, result.ids, result.stamps),
        "facets": {
            kind: [{"name": name, "count": count} for name, count in pairs]
            for kind, pairs in result.facets.items()
        },
        "unknown_tags": list(result.unknown_tags),
        "next": page_link(request, page=query.page + 1) if query.page < pages else None,
        "previous": page_link(request, page=query.page - 1) if query.page > 1 else None,
    }


@router.get("/works/{work_id}", response=answers(WorkDetailOut), auth=READ_AUTH)
def get_work(request: HttpRequest, work_id: PathId) -> dict[str, Any]:
    """A work: metadata, tags by type, creators, series, stats and its chapter list."""
    found = openable_work(request, work_id)
    chapters = list(found.chapters_visible_to(request.user).defer("body", "body_source"))
    return present.work_detail(request, found, chapters)


@router.get("/works/{work_id}/chapters/{chapter_id}", response=answers(ChapterOut), auth=READ_AUTH)
def get_chapter(request: HttpRequest, work_id: PathId, chapter_id: PathId) -> dict[str, Any]:
    """One chapter with its text (sanitized HTML, as stored)."""
    found = openable_work(request, work_id)
    chapters = list(found.chapters_visible_to(request.user))
    for number, chapter in enumerate(chapters, start=1):
        if chapter.pk == chapter_id:
            return present.chapter(chapter, number)
    raise Http404("No such chapter.")


@router.get(
    "/works/{work_id}/download/{fmt}",
    response={ERROR_STATUSES: ErrorOut},  # the file's 200 is in openapi_extra: one "200" key
    auth=READ_AUTH,
    url_name="work_download",
    openapi_extra={"responses": {"200": FILES}},
)
def download_work(request: HttpRequest, work_id: PathId, fmt: DownloadFormat) -> HttpResponse:
    """The work as an EPUB, HTML or TXT file, as the site's download links give it.

    Answers `If-None-Match` / `If-Modified-Since` with a 304 when the file would be the same,
    and 403 (`switched_off`) while downloads are switched off on the archive.
    """
    require("downloads")
    found = openable_work(request, work_id)
    prepared = prepare_work(found, request.user, site_of(request), fmt)
    etag = quote_etag(prepared.version.key)
    modified = int(prepared.version.modified_at.timestamp())
    unchanged = get_conditional_response(request, etag=etag, last_modified=modified)
    if unchanged is not None:
        return unchanged
    response = prepared.response()
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    return response


@router.get("/users/{username}/works", response=answers(WorkListOut), auth=READ_AUTH)
def user_works(
    request: HttpRequest, username: Username, cursor: Cursor = None, limit: Limit = LIMIT_DEFAULT
) -> dict[str, Any]:
    """A creator's works as their works page lists them, newest update first."""
    person = account(username)
    works = (
        Work.objects.listed_for(request.user)
        .by_user(person)
        .bylined_for(request.user)
        .with_blurb_data()
    )
    page = keyset_page(
        works, list_name="user_works", cursor=cursor, limit=limit, fields=("updated_at", "id")
    )
    return page_body(request, page, [present.work(request, w) for w in page.items])
