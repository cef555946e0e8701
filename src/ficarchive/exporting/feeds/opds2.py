"""OPDS 2.0: the catalog as JSON (`application/opds+json`), as Thorium, Readest and other apps
read it. The same resources, works and pages as the OPDS 1.2 (Atom) catalog, made from the same
entries (`entries.work_entry`), so both list the same works with the same metadata.

A feed has `metadata` (title, and for a page of works numberOfItems, itemsPerPage,
currentPage), `links` (self, start, up, search as a URI template `{?query}`, the Atom version,
the web page, the pages) and `navigation` (links to other feeds, each with a title) or
`publications` (metadata, acquisition links, a cover image), as the OPDS 2.0 schema requires.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static

from ficarchive.exporting.access import site_of
from ficarchive.exporting.feeds.catalog import catalog_url, page_links, with_query
from ficarchive.exporting.feeds.entries import work_entry
from ficarchive.exporting.feeds.generator import ACQUIRE, ACQUISITION, HTML, NAVIGATION, OPDS2
from ficarchive.exporting.formats import FORMATS
from ficarchive.works.models import Work

BOOK = "http://schema.org/Book"
COVER = "ficarchive/opds-cover.png"  # every work has the same plain cover: the schema wants one
COVER_SIZE = (300, 450)


def _link(href: str, rel: str = "", kind: str = OPDS2, title: str = "", **more: Any) -> dict:
    link: dict[str, Any] = {"href": href}
    if rel:
        link["rel"] = rel
    if kind:
        link["type"] = kind
    if title:
        link["title"] = title
    return link | more


def _moment(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def feed_links(
    request: HttpRequest,
    name: str,
    kwargs: dict[str, Any],
    *,
    up: str | None,
    alternate: str,
    page: Page[Any] | None,
    atom_kind: str,
) -> list[dict[str, Any]]:
    """The links of catalog feed NAME: self, start, search, up, the Atom feed, pages."""
    site = site_of(request)
    self_url = catalog_url(request, name, **kwargs)
    query = request.GET.copy()
    query.pop("page", None)
    own_query = query.urlencode()
    number = page.number if page else None
    links = [
        _link(with_query(self_url, own_query, number), "self"),
        _link(catalog_url(request, "root"), "start", title=site.name),
        _link(
            catalog_url(request, "search") + "{?query}",
            "search",
            title=f"Search {site.name}",
            templated=True,
        ),
    ]
    if up:
        links.append(_link(catalog_url(request, up), "up"))
    atom_url = with_query(catalog_url(request, name, version=1, **kwargs), own_query, number)
    links.append(_link(atom_url, "alternate", atom_kind, "OPDS 1.2"))
    if alternate:
        links.append(_link(site.absolute(alternate), "alternate", HTML))
    if page is not None:
        for rel, href in page_links(request, self_url, page).items():
            links.append(_link(href, rel))
    return links


def navigation_feed(
    request: HttpRequest,
    name: str,
    title: str,
    shelves: Iterable[tuple[str, str, str]],
    *,
    kwargs: dict[str, Any] | None = None,
    up: str | None = "root",
    alternate: str = "",
    page: Page[Any] | None = None,
) -> dict[str, Any]:
    """A feed of links to other feeds: SHELVES are (title, address, relation)."""
    kwargs = kwargs or {}
    metadata: dict[str, Any] = {"title": title}
    if page is not None:
        metadata |= _page_metadata(page)
    return {
        "metadata": metadata,
        "links": feed_links(
            request, name, kwargs, up=up, alternate=alternate, page=page, atom_kind=NAVIGATION
        ),
        "navigation": [_link(href, rel, title=text) for text, href, rel in shelves],
    }


def publications_feed(
    request: HttpRequest,
    name: str,
    title: str,
    works: Iterable[Work],
    page: Page[Any],
    *,
    kwargs: dict[str, Any] | None = None,
    up: str | None = "root",
    alternate: str = "",
    subtitle: str = "",
) -> dict[str, Any]:
    """A page of works (from `with_blurb_data()`), each with its downloads."""
    kwargs = kwargs or {}
    metadata: dict[str, Any] = {"title": title, **_page_metadata(page)}
    if subtitle:
        metadata["subtitle"] = subtitle
    return {
        "metadata": metadata,
        "links": feed_links(
            request, name, kwargs, up=up, alternate=alternate, page=page, atom_kind=ACQUISITION
        ),
        "publications": [publication(request, work) for work in works],
    }


def _page_metadata(page: Page[Any]) -> dict[str, int]:
    return {
        "numberOfItems": page.paginator.count,
        "itemsPerPage": page.paginator.per_page,
        "currentPage": page.number,
    }


def publication(request: HttpRequest, work: Work) -> dict[str, Any]:
    """A work as an OPDS 2.0 publication: its metadata, downloads and cover."""
    site = site_of(request)
    entry = work_entry(work, site)
    authors = []
    for author, pseud in zip(entry["authors"], work.creators, strict=False):
        feed = catalog_url(request, "pseud", username=pseud.user.username, pseud=pseud.name)
        authors.append({"name": author.name, "links": [_link(feed), _link(author.uri, kind=HTML)]})
    if not authors:
        authors = [{"name": author.name} for author in entry["authors"]]
    metadata: dict[str, Any] = {
        "@type": BOOK,
        "title": entry["title"],
        "identifier": entry["id"],
        "author": authors,
        "modified": _moment(entry["updated"]),
    }
    if entry.get("published"):
        metadata["published"] = _moment(entry["published"])
    if entry.get("language"):
        metadata["language"] = entry["language"]
    if entry.get("summary"):
        metadata["description"] = entry["summary"]
    subjects = [
        {
            "name": term.term,
            "scheme": term.scheme,
            "links": [_link(catalog_url(request, "tag", name=tag.name) + f"?type={tag.type}")],
        }
        for term, tag in zip(entry.get("terms", ()), work.tags.all(), strict=True)
    ]
    if subjects:
        metadata["subject"] = subjects
    series = [
        {
            "name": part.series.title,
            "position": part.position,
            "links": [_link(catalog_url(request, "series", series_id=part.series_id))],
        }
        for part in work.series_parts.all()
    ]
    if series:
        metadata["belongsTo"] = {"series": series}
    links = [_link(entry["link"], "alternate", HTML)]
    links += [
        _link(catalog_url(request, "download", work_id=work.pk, fmt=name), ACQUIRE, fmt.MEDIA_TYPE)
        for name, fmt in FORMATS.items()
    ]
    width, height = COVER_SIZE
    cover = _link(site.absolute(static(COVER)), kind="image/png", width=width, height=height)
    return {"metadata": metadata, "links": links, "images": [cover]}


def response(document: dict[str, Any]) -> HttpResponse:
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body.encode("utf-8"), content_type=OPDS2)
