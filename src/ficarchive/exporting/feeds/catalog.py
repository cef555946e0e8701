"""The OPDS catalog's addresses and feed frames: links that keep a reader's feed token, and
the links every catalog feed carries (self, start, up, search, pages)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page
from django.http import HttpRequest
from django.urls import reverse

from ficarchive.exporting.access import site_of
from ficarchive.exporting.feeds.generator import (
    ACQUISITION,
    ATOM,
    NAVIGATION,
    OPENSEARCH,
    ArchiveFeed,
    Link,
)


def catalog_url(request: HttpRequest, name: str, /, **kwargs: Any) -> str:
    """The absolute address of catalog resource NAME, with the request's feed token if any."""
    match = request.resolver_match
    token = match.kwargs.get("token") if match else None
    if token:
        path = reverse(f"exporting:opds_{name}_token", kwargs={**kwargs, "token": token})
    else:
        path = reverse(f"exporting:opds_{name}", kwargs=kwargs)
    return request.build_absolute_uri(path)


def catalog_id(request: HttpRequest, name: str, /, **kwargs: Any) -> str:
    """A catalog feed's permanent id: its address without any token."""
    return site_of(request).absolute(reverse(f"exporting:opds_{name}", kwargs=kwargs))


def catalog_feed(
    request: HttpRequest,
    name: str,
    title: str,
    *,
    kind: str = ACQUISITION,
    kwargs: dict[str, Any] | None = None,
    up: str | None = "root",
    alternate: str = "",
    subtitle: str = "",
    page: Page[Any] | None = None,
) -> ArchiveFeed:
    """An empty catalog feed for resource NAME with the links every catalog feed has."""
    kwargs = kwargs or {}
    site = site_of(request)
    self_url = catalog_url(request, name, **kwargs)
    query = request.GET.copy()
    query.pop("page", None)
    links = [
        Link(_with_query(self_url, query.urlencode(), page.number if page else None), "self", kind),
        Link(catalog_url(request, "root"), "start", NAVIGATION, site.name),
        Link(catalog_url(request, "opensearch"), "search", OPENSEARCH, f"Search {site.name}"),
        Link(
            catalog_url(request, "search") + "?q={searchTerms}",
            "search",
            ACQUISITION,
            f"Search {site.name}",
        ),
    ]
    if up:
        links.append(Link(catalog_url(request, up), "up", NAVIGATION))
    if alternate:
        links.append(Link(site.absolute(alternate), "alternate", "text/html"))
    if page is not None:
        pages = {"first": 1, "last": page.paginator.num_pages}
        if page.has_previous():
            pages["previous"] = page.previous_page_number()
        if page.has_next():
            pages["next"] = page.next_page_number()
        for rel, number in pages.items():
            links.append(Link(_with_query(self_url, query.urlencode(), number), rel, kind))
    feed = ArchiveFeed(
        title=title,
        link=self_url,
        description="",
        subtitle=subtitle or None,
        author_name=site.name,
        author_link=site.absolute("/"),
        id=catalog_id(request, name, **kwargs),
        links=links,
        content_type=kind,
    )
    if page is not None:
        feed.feed["total_results"] = page.paginator.count
        feed.feed["items_per_page"] = page.paginator.per_page
        feed.feed["start_index"] = page.start_index() if page.paginator.count else 0
    return feed


def _with_query(url: str, query: str, page: int | None) -> str:
    params = [query] if query else []
    if page is not None and page != 1:
        params.append(f"page={page}")
    return f"{url}?{'&'.join(params)}" if params else url


def atom_link(request: HttpRequest, path: str, rel: str = "self") -> Link:
    return Link(request.build_absolute_uri(path), rel, ATOM)
