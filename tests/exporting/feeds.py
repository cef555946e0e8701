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
