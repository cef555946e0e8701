"""Reading works: search, one work, one chapter, downloads, a creator's works."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from ninja import Query, Router

from ficarchive.api import present
from ficarchive.api.auth import READ_AUTH
from ficarchive.api.common import (
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
from ficarchive.api.schemas import ChapterOut, SearchOut, Text, WorkDetailOut, WorkListOut
from ficarchive.exporting.access import site_of
from ficarchive.exporting.downloads import prepare_work
from ficarchive.moderation.switches import require
from ficarchive.search.results import find_works
from ficarchive.works.models import Work

router = Router(tags=["works"])

Param = Annotated[Text | None, Query(max_length=1000)]
Tags = Annotated[list[Text] | None, Query(max_length=50)]
FORMATS = {
    "application/epub+zip": {"schema": {"type": "string", "format": "binary"}},
    "text/html": {"schema": {"type": "string"}},
    "text/plain": {"schema": {"type": "string"}},
}


@router.get("/works", response=answers(SearchOut), auth=READ_AUTH, url_name="works")
def search_works(
    request: HttpRequest,
    q: Param = None,
    include: Tags = None,
    exclude: Tags = None,
    complete: Param = None,
    lang: Param = None,
    words: Param = None,
    chapters: Param = None,
    kudos: Param = None,
    hits: Param = None,
    bookmarks: Param = None,
    comments: Param = None,
    published: Param = None,
    updated: Param = None,
    sort: Param = None,
    order: Param = None,
    page: Param = None,
    per_page: Param = None,
) -> dict[str, Any]:
    """Search works with the search page's parameters (same query object, same facets).

    Pages are numbered (`page`, `per_page` up to 100) as on the search page: `next` and
    `previous` are the addresses of the neighbouring pages.
    """
    found = find_works(request.GET, request.user)
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
    response=answers(None),
    auth=READ_AUTH,
    url_name="work_download",
    openapi_extra={"responses": {"200": {"description": "The file.", "content": FORMATS}}},
)
def download_work(
    request: HttpRequest, work_id: PathId, fmt: Literal["epub", "html", "txt"]
) -> HttpResponse:
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
    works = Work.objects.listed_for(request.user).by_user(person).with_blurb_data()
    page = keyset_page(
        works, list_name="user_works", cursor=cursor, limit=limit, fields=("updated_at", "id")
    )
    return page_body(request, page, [present.work(request, w) for w in page.items])
