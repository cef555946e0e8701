"""The OPDS catalog's addresses and feed frames: links that keep a reader's feed token, and
the links every catalog feed carries (self, start, up, search, pages).

The catalog has two versions with the same resources: OPDS 1.2 (Atom) under /opds and OPDS 2.0
(JSON) under /opds2. An address made while answering one version is of that version.
"""

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
    OPDS2,
    OPENSEARCH,
    ArchiveFeed,
    Link,
)


def is_opds2(request: HttpRequest) -> bool:
    """Whether the request asks for the OPDS 2.0 (JSON) version of the catalog."""
    match = request.resolver_match
    return bool(match and (match.url_name or "").startswith("opds2_"))


def catalog_url(
    request: HttpRequest, name: str, /, *, version: int | None = None, **kwargs: Any
) -> str:
    """The absolute address of catalog resource NAME, with the request's feed token if any,
    in VERSION (1 or 2) of the catalog; by default the version the request asked for."""
    match = request.resolver_match
    token = match.kwargs.get("token") if match else None
    prefix = "opds2" if (version == 2 if version else is_opds2(request)) else "opds"
    if token:
        path = reverse(f"exporting:{prefix}_{name}_token", kwargs={**kwargs, "token": token})
    else:
        path = reverse(f"exporting:{prefix}_{name}", kwargs=kwargs)
    return request.build_absolute_uri(path)


def page_links(request: HttpRequest, self_url: str, page: Page[Any]) -> dict[str, str]:
    """The addresses of the first, previous, next and last pages, by relation."""
    query = request.GET.copy()
    query.pop("page", None)
    pages = {"first": 1, "last": page.paginator.num_pages}
    if page.has_previous():
        pages["previous"] = page.previous_page_number()
    if page.has_next():
        pages["next"] = page.next_page_number()
    return {rel: with_query(self_url, query.urlencode(), number) for rel, number in pages.items()}


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
    own_query = query.urlencode()
    links = [
        Link(with_query(self_url, own_query, page.number if page else None), "self", kind),
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
    json_url = catalog_url(request, name, version=2, **kwargs)
    json_url = with_query(json_url, own_query, page.number if page else None)
    links.append(Link(json_url, "alternate", OPDS2, "OPDS 2.0"))
    if page is not None:
        for rel, href in page_links(request, self_url, page).items():
            links.append(Link(href, rel, kind))
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


def with_query(url: str, query: str, page: int | None) -> str:
    """URL with QUERY (encoded) and, past the first, the page number."""
    params = [query] if query else []
    if page is not None and page != 1:
        params.append(f"page={page}")
    return f"{url}?{'&'.join(params)}" if params else url


def atom_link(request: HttpRequest, path: str, rel: str = "self") -> Link:
    return Link(request.build_absolute_uri(path), rel, ATOM)
