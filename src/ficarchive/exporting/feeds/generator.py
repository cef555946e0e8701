"""Django's Atom generator, taught what Atom allows and OPDS needs.

Over `Atom1Feed` it adds: typed links with any relation (self, start, up, search, next,
subsection, OPDS acquisition), several authors per entry, text summaries with HTML content,
categories with labels and schemes, Dublin Core language (`dc:language`, DCMI elements) and
issue date (`dcterms:issued`, DCMI terms), and OpenSearch result counts: the namespaces the W3C
Feed Validator knows these elements in. Every feed has the archive as its author, so that every
entry has one (RFC 4287 4.1.1).
Every text and attribute goes through `xml_text`, so that no stored character breaks the XML.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from xml.sax.xmlreader import AttributesImpl

from django.http import HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, rfc3339_date
from django.utils.xmlutils import SimplerXMLGenerator

from ficarchive.exporting.xhtml import xml_text

ATOM = "application/atom+xml"
ATOM_ENTRY = "application/atom+xml;type=entry"
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPENSEARCH = "application/opensearchdescription+xml"
OPDS2 = "application/opds+json"
HTML = "text/html"
ACQUIRE = "http://opds-spec.org/acquisition"
SORT_NEW = "http://opds-spec.org/sort/new"
NAMESPACES = {
    "xmlns:dc": "http://purl.org/dc/elements/1.1/",
    "xmlns:dcterms": "http://purl.org/dc/terms/",
    "xmlns:opensearch": "http://a9.com/-/spec/opensearch/1.1/",
}


@dataclass(frozen=True)
class Link:
    href: str
    rel: str
    type: str = ""
    title: str = ""

    def attributes(self) -> dict[str, str]:
        attributes = {"rel": self.rel, "href": self.href}
        if self.type:
            attributes["type"] = self.type
        if self.title:
            attributes["title"] = self.title
        return {name: xml_text(value) for name, value in attributes.items()}


@dataclass(frozen=True)
class Author:
    name: str
    uri: str = ""


@dataclass(frozen=True)
class Category:
    term: str
    label: str = ""
    scheme: str = ""


class _CleanGenerator(SimplerXMLGenerator):
    """Django's XML writer, dropping the characters XML 1.0 cannot hold instead of failing."""

    def addQuickElement(
        self, name: str, contents: str | None = None, attrs: dict[str, str] | None = None
    ) -> None:
        cleaned = {key: xml_text(str(value)) for key, value in (attrs or {}).items()}
        super().addQuickElement(name, xml_text(contents) if contents else contents, cleaned)


class ArchiveFeed(Atom1Feed):
    """An Atom feed, or an OPDS catalog feed when made with an OPDS `content_type`.

    Feed keyword arguments: `id` (required), `links`, `updated`, `total_results`,
    `items_per_page`, `start_index`. Item keyword arguments: `id`, `updated` (both required),
    `authors`, `links`, `terms` (categories), `summary`, `content`, `content_type`, `language`,
    `issued`.
    """

    def __init__(self, *args: Any, content_type: str = ATOM, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.content_type = content_type

    def write(self, outfile: Any, encoding: str) -> None:
        handler = _CleanGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.startElement("feed", AttributesImpl(self.root_attributes()))
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def root_attributes(self) -> dict[str, str]:
        attributes: dict[str, str] = super().root_attributes()
        return {**attributes, **NAMESPACES}

    def latest_post_date(self) -> datetime:
        """The feed's `updated`: given, or its newest entry's, or now for an empty feed."""
        if self.feed.get("updated") is not None:
            updated: datetime = self.feed["updated"]
            return updated
        return max((item["updated"] for item in self.items), default=timezone.now())

    def add_root_elements(self, handler: SimplerXMLGenerator) -> None:
        feed = self.feed
        handler.addQuickElement("id", feed["id"])
        handler.addQuickElement("title", feed["title"])
        if feed["subtitle"]:
            handler.addQuickElement("subtitle", feed["subtitle"])
        handler.addQuickElement("updated", rfc3339_date(self.latest_post_date()))
        handler.startElement("author", AttributesImpl({}))
        handler.addQuickElement("name", feed["author_name"])
        if feed["author_link"]:
            handler.addQuickElement("uri", feed["author_link"])
        handler.endElement("author")
        for link in feed.get("links", ()):
            handler.addQuickElement("link", "", link.attributes())
        for key in ("total_results", "items_per_page", "start_index"):
            if feed.get(key) is not None:
                name = "".join(word.capitalize() for word in key.split("_"))
                name = name[0].lower() + name[1:]
                handler.addQuickElement(f"opensearch:{name}", str(feed[key]))

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        handler.addQuickElement("id", item["id"])
        handler.addQuickElement("title", item["title"])
        handler.addQuickElement("updated", rfc3339_date(item["updated"]))
        if item.get("published"):
            handler.addQuickElement("published", rfc3339_date(item["published"]))
        for author in item.get("authors", ()):
            handler.startElement("author", AttributesImpl({}))
            handler.addQuickElement("name", author.name)
            if author.uri:
                handler.addQuickElement("uri", author.uri)
            handler.endElement("author")
        if item.get("language"):
            handler.addQuickElement("dc:language", item["language"])
        if item.get("issued"):
            handler.addQuickElement("dcterms:issued", item["issued"])
        for category in item.get("terms", ()):
            attributes = {"term": category.term}
            if category.label:
                attributes["label"] = category.label
            if category.scheme:
                attributes["scheme"] = category.scheme
            handler.addQuickElement("category", "", attributes)
        if item.get("summary"):
            handler.addQuickElement("summary", item["summary"], {"type": "text"})
        if item.get("content"):
            content_type = item.get("content_type", "html")
            handler.addQuickElement("content", item["content"], {"type": content_type})
        for link in item.get("links", ()):
            handler.addQuickElement("link", "", link.attributes())


def feed_response(feed: ArchiveFeed) -> HttpResponse:
    return HttpResponse(feed.writeString("utf-8"), content_type=feed.content_type)
