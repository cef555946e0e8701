"""What the EPUB and HTML writers share: each part's text as XHTML, and the stylesheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from django.template.loader import render_to_string

from ficarchive.exporting.book import Book, ChapterText, WorkText
from ficarchive.exporting.xhtml import to_xhtml
from ficarchive.text.images import guard_images


@dataclass
class ChapterXhtml:
    chapter: ChapterText
    summary: str
    begin_notes: str
    body: str
    end_notes: str


@dataclass
class PartXhtml:
    """A work of the book with every stored HTML field turned into XHTML."""

    part: WorkText
    summary: str
    begin_notes: str
    end_notes: str
    chapters: list[ChapterXhtml]


def _xhtml(html: str, base: str, images: bool) -> str:
    """HTML as XHTML. Where images are kept, remote ones follow FICARCHIVE_REMOTE_IMAGES as on
    the pages (a link to click, or the archive's proxy); otherwise every image becomes a link."""
    if not html:
        return ""
    return to_xhtml(guard_images(html) if images else html, base_url=base, images=images)


def xhtml_parts(book: Book, *, images: bool) -> list[PartXhtml]:
    converted = []
    for part in book.parts:

        def convert(html: str, base: str = part.url) -> str:
            return _xhtml(html, base, images)

        chapters = [
            ChapterXhtml(
                chapter=chapter,
                summary=convert(chapter.summary, chapter.url),
                begin_notes=convert(chapter.begin_notes, chapter.url),
                body=convert(chapter.body, chapter.url),
                end_notes=convert(chapter.end_notes, chapter.url),
            )
            for chapter in part.chapters
        ]
        converted.append(
            PartXhtml(
                part=part,
                summary=convert(part.summary),
                begin_notes=convert(part.begin_notes),
                end_notes=convert(part.end_notes),
                chapters=chapters,
            )
        )
    return converted


def series_fields(book: Book, *, images: bool) -> dict[str, str]:
    """A series' description and notes (a shelf's description) as XHTML, for its title page."""
    if not book.has_parts:
        return {}
    return {
        "book_summary": _xhtml(book.summary, book.url, images),
        "book_notes": _xhtml(book.notes, book.url, images),
    }


@cache
def stylesheet() -> str:
    """The books' one stylesheet: readable defaults, scene breaks kept."""
    return render_to_string("exporting/book.css")


def w3c_datetime(moment: datetime) -> str:
    """2024-05-01T12:30:00Z, as EPUB's dcterms:modified and dc:date want it."""
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
