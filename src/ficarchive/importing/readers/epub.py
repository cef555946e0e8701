"""EPUB (.epub): OPF metadata (title, creators, subjects, dates, description, language) and
the spine's documents in reading order. FanFicFare's and AO3's title pages are read field by
field; any other book is split at its chapter documents."""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import fields
from urllib.parse import unquote

import lxml.html
from lxml import etree

from ficarchive.importing import conventions as conv
from ficarchive.importing.assemble import assemble
from ficarchive.importing.parsed import (
    ParsedChapter,
    ParsedWork,
    UnreadableFile,
    note_active_content,
    one_line,
    unique,
)
from ficarchive.importing.readers import webpage
from ficarchive.importing.safety import open_zip, read_xml_member

EXTENSIONS = (".epub",)
FORMAT = "epub"

_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True)


def read(name: str, data: bytes) -> ParsedWork:
    archive = open_zip(name, data, "EPUB")
    opf_path = _opf_path(name, archive)
    opf = _xml(name, read_xml_member(name, archive, opf_path, "EPUB"), opf_path)
    work = ParsedWork(source=name, format=FORMAT)
    _metadata(work, opf)
    documents = _spine(name, archive, opf, opf_path)
    if not documents:
        raise UnreadableFile(name, "the EPUB's spine lists no readable documents.")
    roots = []
    for path, markup in documents:
        note_active_content(work, markup)
        roots.append((path, webpage.parse(name, markup)))
    _content(work, name, roots)
    return work


def _opf_path(name: str, archive: zipfile.ZipFile) -> str:
    container = _xml(
        name, read_xml_member(name, archive, "META-INF/container.xml", "EPUB"), "container.xml"
    )
    paths = container.xpath("//c:rootfile/@full-path", namespaces=_NS)
    if not paths:
        raise UnreadableFile(name, "the EPUB's container names no package file.")
    return str(paths[0])


def _xml(name: str, data: bytes, what: str) -> etree._Element:
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise UnreadableFile(name, f"the EPUB's {what} is not valid XML.") from exc
    if root is None:
        raise UnreadableFile(name, f"the EPUB's {what} is empty.")
    return root


def _texts(opf: etree._Element, path: str) -> list[str]:
    return [one_line("".join(e.itertext())) for e in opf.xpath(path, namespaces=_NS)]


def _metadata(work: ParsedWork, opf: etree._Element) -> None:
    titles = _texts(opf, "//opf:metadata/dc:title")
    work.title = titles[0] if titles else ""
    creators = opf.xpath("//opf:metadata/dc:creator", namespaces=_NS)
    work.creators = unique([one_line("".join(c.itertext())) for c in creators])
    languages = _texts(opf, "//opf:metadata/dc:language")
    if languages:
        conv.set_language(work, languages[0])
    descriptions = _texts(opf, "//opf:metadata/dc:description")
    if descriptions:
        work.summary = descriptions[0]
    for element in opf.xpath("//opf:metadata/dc:date", namespaces=_NS):
        event = element.get(f"{{{_NS['opf']}}}event") or ""
        value = conv.parse_date("".join(element.itertext()))
        if event == "modification":
            work.updated = value
        elif event in {"publication", ""} and work.published is None:
            work.published = value
    subjects = _texts(opf, "//opf:metadata/dc:subject")
    for subject in subjects:
        status = conv.status_complete(subject)
        if status is not None:
            work.complete = status
    work.freeforms.extend(
        s
        for s in subjects
        if s not in {"FanFiction", "Completed", "In-Progress"} and not s.startswith("Last Update")
    )


def _spine(
    name: str, archive: zipfile.ZipFile, opf: etree._Element, opf_path: str
) -> list[tuple[str, str]]:
    base = posixpath.dirname(opf_path)
    manifest = {
        item.get("id"): item for item in opf.xpath("//opf:manifest/opf:item", namespaces=_NS)
    }
    documents = []
    seen = set()  # a spine naming one document a thousand times reads it once
    for ref in opf.xpath("//opf:spine/opf:itemref/@idref", namespaces=_NS):
        item = manifest.get(ref)
        if item is None or "html" not in (item.get("media-type") or ""):
            continue
        path = posixpath.normpath(posixpath.join(base, unquote(item.get("href") or "")))
        if path in seen:
            continue
        seen.add(path)
        data = read_xml_member(name, archive, path, "EPUB")
        try:
            documents.append((path, data.decode("utf-8-sig")))
        except UnicodeDecodeError:
            documents.append((path, data.decode("latin-1")))
    return documents


def _content(work: ParsedWork, name: str, roots: list[tuple[str, lxml.html.HtmlElement]]) -> None:
    first = roots[0][1]
    if webpage.is_ao3(first) or any(webpage.is_ao3(r) for _, r in roots[:2]):
        _ao3(work, name, roots)
        return
    if first.xpath('//body[contains(@class,"fff_titlepage")]') or first.xpath(
        '//a[@class="authorlink"]'
    ):
        fff = ParsedWork(source=name, format="fanficfare-epub")
        webpage.read_fanficfare_title_page(fff, first)
        _merge_title_page(work, fff)
        for _, root in roots[1:]:
            body = root.find("body")
            if body is None:
                continue
            heading = body.find('.//h3[@class="fff_chapter_title"]')
            title = webpage.text_of(heading) or webpage.text_of(root.find(".//title"))
            if heading is not None:
                heading.drop_tree()
            work.chapters.append(
                ParsedChapter(title=webpage.chapter_title(title), body=webpage.inner(body))
            )
        webpage.inline_notes(work)
        return
    blocks = []
    for _, root in roots:
        body = root.find("body")
        if body is None:
            continue
        found = webpage.blocks_from(body)
        heading = webpage.text_of(root.find(".//title"))
        if found and found[0].kind != "heading" and len(roots) > 2 and heading:
            found.insert(0, webpage.Block(heading, "", "heading", 1))
        blocks.extend(found)
    assemble(work, blocks)


def _merge_title_page(work: ParsedWork, page: ParsedWork) -> None:
    work.format = page.format
    work.creators = page.creators or work.creators
    for field in ("rating", "rating_source", "complete", "expected_chapters", "summary"):
        value = getattr(page, field)
        if value not in (None, "", []):
            setattr(work, field, value)
    work.freeforms = page.freeforms
    for field in ("warnings", "categories", "fandoms", "relationships", "characters"):
        setattr(work, field, getattr(page, field))
    work.problems.extend(page.problems)
    work.series = page.series or work.series


def _ao3(work: ParsedWork, name: str, roots: list[tuple[str, lxml.html.HtmlElement]]) -> None:
    """AO3's EPUB is its HTML download split into documents (the preface, each chapter in a copy
    of the `#chapters` wrapper, the afterword): joined again, it reads as the download does. The
    package's metadata fills only what the pages leave empty."""
    page = lxml.html.fromstring("<html><head><title></title></head><body></body></html>")
    page.find(".//title").text = work.title  # the package's title, if the pages give none
    body = page.find("body")
    chapters: lxml.html.HtmlElement | None = None
    for _, root in roots:
        for child in list(root.find("body") if root.find("body") is not None else root):
            if child.get("id") == "chapters" and chapters is not None:
                chapters.extend(list(child))
                continue
            if child.get("id") == "chapters":
                chapters = child
            body.append(child)
    download = webpage.read_ao3(name, page, "ao3-epub")
    for item in fields(download):
        value = getattr(download, item.name)
        if item.name == "problems":
            work.problems = unique(work.problems + value)
        elif value not in (None, "", [], {}) or item.name in {"format", "freeforms"}:
            setattr(work, item.name, value)
