"""Checks every feed test uses: the Atom rules (RFC 4287) and the OPDS 1.2 catalog rules."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
NS = {
    "a": ATOM,
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "os": "http://a9.com/-/spec/opensearch/1.1/",
}
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
ACQUIRE = "http://opds-spec.org/acquisition"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
# Link relations registered with IANA that feeds use; anything else must be an absolute IRI.
REGISTERED_RELS = {
    "alternate", "related", "self", "enclosure", "via", "first", "last", "previous", "next",
    "start", "up", "search", "subsection",
}  # fmt: skip


def _one(element: Any, name: str) -> Any:
    found = element.findall(f"a:{name}", NS)
    assert len(found) == 1, f"{element.tag} needs exactly one {name}, has {len(found)}"
    return found[0]


def _check_links(element: Any) -> None:
    alternates = set()
    for link in element.findall("a:link", NS):
        assert link.get("href"), "every link has an href"
        rel = link.get("rel", "alternate")
        assert rel in REGISTERED_RELS or re.match(r"^https?://", rel), f"unknown rel {rel!r}"
        if rel == "alternate":
            key = (link.get("type"), link.get("hreflang"))
            assert key not in alternates, "one alternate link per type and language"
            alternates.add(key)


def check_atom(content: bytes) -> Any:
    """Parse an Atom feed and assert what RFC 4287 requires of it; returns its root."""
    feed = etree.fromstring(content)
    assert feed.tag == f"{{{ATOM}}}feed"
    assert re.match(r"^[a-z][a-z0-9+.-]*:", _one(feed, "id").text), "feed id is an IRI"
    assert _one(feed, "title").text
    assert RFC3339.match(_one(feed, "updated").text)
    feed_has_author = bool(feed.findall("a:author/a:name", NS))
    _check_links(feed)
    ids = set()
    for entry in feed.findall("a:entry", NS):
        entry_id = _one(entry, "id").text
        assert re.match(r"^[a-z][a-z0-9+.-]*:", entry_id), "entry id is an IRI"
        assert entry_id not in ids, f"entry ids are unique: {entry_id}"
        ids.add(entry_id)
        assert _one(entry, "title").text
        assert RFC3339.match(_one(entry, "updated").text)
        for published in entry.findall("a:published", NS):
            assert RFC3339.match(published.text)
        assert feed_has_author or entry.findall("a:author/a:name", NS), "entries have authors"
        _check_links(entry)
        has_alternate = any(
            link.get("rel", "alternate") == "alternate" for link in entry.findall("a:link", NS)
        )
        assert entry.findall("a:content", NS) or has_alternate, "content or an alternate link"
    return feed


def links(element: Any, rel: str | None = None) -> list[Any]:
    return [link for link in element.findall("a:link", NS) if rel is None or link.get("rel") == rel]


def check_opds(content: bytes, kind: str) -> Any:
    """Atom checks, then the OPDS 1.2 ones for a navigation or acquisition feed."""
    feed = check_atom(content)
    (own,) = links(feed, "self")
    assert own.get("type") == kind
    (start,) = links(feed, "start")
    assert start.get("type") == NAVIGATION
    assert any(
        link.get("type") == "application/opensearchdescription+xml"
        for link in links(feed, "search")
    )
    for entry in feed.findall("a:entry", NS):
        if kind == NAVIGATION:
            targets = [
                link
                for link in links(entry)
                if (link.get("type") or "").startswith("application/atom+xml;profile=opds-catalog")
            ]
            assert targets, "navigation entries link to catalog feeds"
        else:
            acquire = [link for link in links(entry) if link.get("rel", "").startswith(ACQUIRE)]
            assert acquire, "acquisition entries have acquisition links"
            assert all(link.get("type") for link in acquire)
            assert "application/epub+zip" in [link.get("type") for link in acquire]
            assert entry.findall("a:author", NS)
    return feed


def texts(feed: Any, path: str) -> list[str]:
    return [node.text for node in feed.findall(path, NS)]


# --- OPDS 2.0 ----------------------------------------------------------------------------------
# The members the OPDS 2.0 schema (feed, feed metadata, publication; Readium's link and
# metadata) requires, checked by hand: no package on PyPI ships that schema.
OPDS2 = "application/opds+json"
OPDS2_ACQUIRE = {
    "preview",
    ACQUIRE,
    f"{ACQUIRE}/buy",
    f"{ACQUIRE}/open-access",
    f"{ACQUIRE}/borrow",
    f"{ACQUIRE}/sample",
    f"{ACQUIRE}/subscribe",
}
COVER_TYPES = {"image/jpeg", "image/png", "image/gif"}
ISO_MOMENT = re.compile(r"^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d))?$")
URI = re.compile(r"^[a-z][a-z0-9+.-]*:\S+$")


def rels(link: dict[str, Any]) -> set[str]:
    rel = link.get("rel", [])
    return {rel} if isinstance(rel, str) else set(rel)


def _check_json_link(link: Any) -> None:
    """A Link Object: an href, a media type, a boolean `templated` that a template needs."""
    assert isinstance(link, dict) and isinstance(link.get("href"), str), link
    assert URI.match(link["href"]), f"absolute link: {link}"
    assert isinstance(link.get("templated", False), bool), link
    assert ("{" in link["href"]) == link.get("templated", False), f"templates say so: {link}"
    for name in ("type", "title"):
        assert isinstance(link.get(name, ""), str), link
    for name in ("width", "height"):
        assert isinstance(link.get(name, 1), int) and link.get(name, 1) > 0, link
    assert isinstance(link.get("rel", ""), str | list), link


def _check_json_links(found: Any, *, unique: bool = True) -> None:
    assert isinstance(found, list), found
    for link in found:
        _check_json_link(link)
    if unique:
        keys = [tuple(sorted((k, repr(v)) for k, v in link.items())) for link in found]
        assert len(keys) == len(set(keys)), "links are unique items"


def _check_contributors(value: Any) -> None:
    for one in value if isinstance(value, list) else [value]:
        assert isinstance(one, str) or (isinstance(one, dict) and one.get("name")), one
        if isinstance(one, dict):
            _check_json_links(one.get("links", []))


def check_publication(publication: Any) -> dict[str, Any]:
    """An OPDS 2.0 publication: metadata with a title, an acquisition link, a cover."""
    assert isinstance(publication, dict)
    metadata = publication["metadata"]
    assert isinstance(metadata.get("title"), str) and metadata["title"], metadata
    if "identifier" in metadata:
        assert URI.match(metadata["identifier"]), metadata
    for name in ("modified", "published"):
        if name in metadata:
            assert ISO_MOMENT.match(metadata[name]), metadata
    if "author" in metadata:
        _check_contributors(metadata["author"])
    if "language" in metadata:
        assert isinstance(metadata["language"], str | list)
    for subject in metadata.get("subject", []):
        assert isinstance(subject, str) or subject.get("name"), subject
    _check_json_links(publication["links"], unique=False)
    assert any(rels(link) & OPDS2_ACQUIRE for link in publication["links"]), "acquisition link"
    images = publication["images"]
    _check_json_links(images, unique=False)
    assert images and any(image.get("type") in COVER_TYPES for image in images), images
    return metadata


def check_opds2(document: Any) -> dict[str, Any]:
    """An OPDS 2.0 feed: metadata with a title, links with self, and navigation (each link
    titled), publications or groups; paging metadata are integers."""
    assert isinstance(document, dict)
    metadata = document["metadata"]
    assert isinstance(metadata.get("title"), str) and metadata["title"], metadata
    for name in ("numberOfItems", "itemsPerPage", "currentPage"):
        if name in metadata:
            assert isinstance(metadata[name], int) and metadata[name] >= 0, metadata
    _check_json_links(document["links"])
    assert any("self" in rels(link) for link in document["links"]), "a self link"
    assert {"navigation", "publications", "groups"} & set(document), "something to show"
    for link in document.get("navigation", []):
        _check_json_link(link)
        assert link.get("title"), f"navigation links have titles: {link}"
    _check_json_links(document.get("navigation", []))
    for publication in document.get("publications", []):
        check_publication(publication)
    return document


def link_of(document: dict[str, Any], rel: str) -> dict[str, Any]:
    (found,) = [link for link in document["links"] if rel in rels(link)]
    return found
