"""Downloads: generated on first request, cached, and answered cheaply when nothing changed.

A download's *version* is a fingerprint of everything its file shows (the work's last revision,
each chapter's id, place and revision, the creators' names, the series it is in) plus the format,
the site's address, how remote images are shown and whether draft chapters are in it. The
version names the cache entry and is the ETag, so any edit makes a new file and an unchanged
work costs a few small queries.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation

from ficarchive.exporting.book import Book, Site, series_book, shelf_book, work_book
from ficarchive.exporting.formats import Format, get_format
from ficarchive.text.images import remote_images_mode
from ficarchive.works.models import Series, Work
from ficarchive.works.series_places import series_neighbours

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User
    from ficarchive.social.models import Shelf

    AnyUser = User | AnonymousUser

# Bump when a writer changes what it writes, so that cached files are made again.
WRITER_VERSION = "3"
CACHE_SECONDS = 7 * 24 * 60 * 60
MAX_NAME_BYTES = 180  # leaves room for a path on file systems that allow 255 bytes a name

_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"/\\|?*\u2028\u2029]+')
# Marks that turn text right to left and back: in a file name they can disguise its extension.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# What an ASCII file name keeps: letters, digits and punctuation no client reads as syntax.
_ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9 _.,()'!&+\-]+")
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Version:
    """What a download is made from: its fingerprint (the ETag) and when it last changed."""

    key: str
    modified_at: datetime


@dataclass(frozen=True)
class Download:
    content: bytes
    file_name: str
    media_type: str
    ascii_file_name: str


def _fingerprint(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:32]


def work_version(work: Work, reader: AnyUser, site: Site, fmt: str, *, drafts: bool) -> Version:
    """The version of WORK's download as READER gets it (a few queries, no chapter text)."""
    chapters = work.chapters.order_by("position") if drafts else work.posted_chapters()
    rows = list(chapters.values_list("pk", "position", "revised_at"))
    creators = [(credit.pseud.pk, credit.text) for credit in work.creator_credits]
    series = [
        (link.series.pk, link.series.title, link.number, link.total)
        for link in series_neighbours(work, reader)
    ]
    key = _fingerprint(
        WRITER_VERSION,
        remote_images_mode(),
        fmt,
        site,
        drafts,
        work.pk,
        work.revised_at,
        rows,
        creators,
        series,
    )
    return Version(key, max([work.revised_at, *(row[2] for row in rows)]))


def _parts_of(works: list[Work]) -> tuple[list[Any], list[datetime]]:
    """What the download of several WORKS (from `with_blurb_data`) is made from: each work's
    revision, posted chapters and creators, in one query for every work's chapters; and every
    moment they changed."""
    from ficarchive.works.models import Chapter

    chapters: dict[int, list[tuple[Any, ...]]] = {work.pk: [] for work in works}
    rows = (
        Chapter.objects.filter(work_id__in=list(chapters), is_draft=False)
        .order_by("work_id", "position")
        .values_list("work_id", "pk", "position", "revised_at")
    )
    for work_id, *row in rows:
        chapters[work_id].append(tuple(row))
    parts = [
        (
            work.pk,
            work.revised_at,
            chapters[work.pk],
            [(credit.pseud.pk, credit.text) for credit in work.creator_credits],
        )
        for work in works
    ]
    moments = [work.revised_at for work in works]
    moments += [row[2] for found in chapters.values() for row in found]
    return parts, moments


def series_version(series: Series, reader: AnyUser, site: Site, fmt: str) -> Version | None:
    """The version of SERIES' download as READER gets it; None when no part is visible."""
    ids = list(series.parts_visible_to(reader).values_list("work_id", flat=True))
    if not ids:
        return None
    found = Work.objects.with_blurb_data(tags=False).in_bulk(ids)
    parts, moments = _parts_of([found[work_id] for work_id in ids])
    key = _fingerprint(
        WRITER_VERSION,
        remote_images_mode(),
        fmt,
        site,
        "series",
        series.pk,
        series.title,
        series.summary,
        parts,
    )
    return Version(key, max([series.updated_at, *moments]))


class TooBig(Exception):
    """A download past what the archive writes in one file (a shelf of too many words)."""


def shelf_version(shelf: Shelf, reader: User, site: Site, fmt: str) -> Version:
    """The version of SHELF's download as its READER gets it, in four queries however many works
    it holds; TooBig when the works hold more words than one download may."""
    works = list(shelf.readable_works(reader).with_blurb_data(tags=False))
    words = sum(work.word_count for work in works)
    if words > settings.SHELF_DOWNLOAD_MAX_WORDS:
        raise TooBig(
            f"“{shelf.name}” holds {words:,} words; one download holds at most "
            f"{settings.SHELF_DOWNLOAD_MAX_WORDS:,}. Download its works one by one, or split "
            "the shelf."
        )
    parts, moments = _parts_of(works)
    key = _fingerprint(
        WRITER_VERSION,
        remote_images_mode(),
        fmt,
        site,
        "shelf",
        shelf.pk,
        shelf.name,
        shelf.description,
        reader.username,
        parts,
    )
    return Version(key, max([shelf.updated_at, *moments]))


@dataclass(frozen=True)
class Prepared:
    """A download ready to be served: its format, its version, and how to make its book."""

    fmt: Format
    version: Version
    make_book: Callable[[], Book]
    delivered: Callable[[Download], None] | None = None  # told of each file served

    def deliver(self) -> Download:
        """The file: from the cache, or written (and cached) now."""
        cache_key = f"exporting:{self.fmt.NAME}:{self.version.key}"
        hit = cache.get(cache_key)
        if hit is None:
            # Every reader gets the same bytes (caches and e-reader sync go by them), so the
            # file speaks the archive's language, not the reader's.
            with translation.override(settings.LANGUAGE_CODE):
                book = self.make_book()
                extension = self.fmt.EXTENSION
                hit = (
                    self.fmt.write(book),
                    file_name(book, extension),
                    ascii_name(book, extension),
                )
            cache.set(cache_key, hit, CACHE_SECONDS)
        content, name, plain = hit
        download = Download(content, name, self.fmt.MEDIA_TYPE, plain)
        if self.delivered is not None:
            self.delivered(download)
        return download

    def response(self) -> HttpResponse:
        """The file as a response to save: its media type, a safe name, revalidated on reuse."""
        download = self.deliver()
        media_type = download.media_type
        if media_type.startswith("text/"):
            media_type += "; charset=utf-8"
        response = HttpResponse(download.content, content_type=media_type)
        response["Content-Disposition"] = content_disposition(
            download.file_name, download.ascii_file_name
        )
        response["Cache-Control"] = "private, no-cache"
        return response


def prepare_work(work: Work, reader: AnyUser, site: Site, fmt_name: str) -> Prepared:
    """WORK's download as READER gets it: with draft chapters for its creators."""
    fmt = get_format(fmt_name)
    drafts = work.is_editable_by(reader)
    version = work_version(work, reader, site, fmt.NAME, drafts=drafts)

    def delivered(download: Download) -> None:
        """An EPUB is remembered once per version, for e-readers' progress sync."""
        if fmt.NAME != "epub" or not cache.add(f"epub-recorded:{version.key}", 1, CACHE_SECONDS):
            return
        from ficarchive.social.ereaders import record_epub

        chapters = work.chapters.order_by("position") if drafts else work.posted_chapters()
        ids = list(chapters.values_list("pk", flat=True))
        if not record_epub(work.pk, download.content, download.file_name, ids):
            cache.delete(f"epub-recorded:{version.key}")

    return Prepared(fmt, version, lambda: work_book(work, reader, site, drafts=drafts), delivered)


def prepare_series(series: Series, reader: AnyUser, site: Site, fmt_name: str) -> Prepared | None:
    """SERIES' download as READER gets it; None when READER may read none of its parts."""
    fmt = get_format(fmt_name)
    version = series_version(series, reader, site, fmt.NAME)
    if version is None:
        return None
    return Prepared(fmt, version, lambda: series_book(series, reader, site))


def prepare_shelf(shelf: Shelf, reader: User, site: Site, fmt_name: str) -> Prepared:
    """SHELF's download for its READER; TooBig when it holds too many words for one file."""
    fmt = get_format(fmt_name)
    version = shelf_version(shelf, reader, site, fmt.NAME)
    return Prepared(fmt, version, lambda: shelf_book(shelf, reader, site))


# --- file names ------------------------------------------------------------------------------


def _names(people: Iterable[str]) -> str:
    names = list(people)
    if not names:
        return "Anonymous"
    if len(names) > 2:
        return f"{names[0]} et al"
    return " & ".join(names)


def _shorten(text: str, limit: int) -> str:
    """TEXT cut to at most LIMIT bytes of UTF-8, at a character boundary."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", "ignore").rstrip()


def _clean(text: str) -> str:
    text = _BIDI_CONTROLS.sub("", unicodedata.normalize("NFC", text))
    return " ".join(_UNSAFE.sub(" ", text).split()).strip(" .-")


def safe_file_name(stem: str, extension: str) -> str:
    """A file name every operating system accepts, keeping the title readable.

    Characters Windows or Unix refuse (and line breaks) become spaces, marks that change the
    direction of text are left out, reserved device names get a prefix, and the name is cut to
    fit file systems with short names.
    """
    stem = _clean(stem) or "Untitled"
    if _RESERVED.match(stem):
        stem = f"_{stem}"
    return f"{_shorten(stem, MAX_NAME_BYTES).rstrip(' .')}.{extension}"


def file_name(book: Book, extension: str) -> str:
    """`Title - Creator.epub`; `work-ID - Creator.epub` when nothing is left of the title; a
    shelf is `Shelf name.epub`, its many creators left out."""
    title = _clean(book.title) or book.label
    if book.kind == "shelf":
        return safe_file_name(title, extension)
    people = [person.name for person in book.creators]
    return safe_file_name(f"{title} - {_names(people)}", extension)


def ascii_text(text: str) -> str:
    """TEXT in plain ASCII: accents dropped, other letters and unsafe punctuation left out."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(_ASCII_UNSAFE.sub(" ", plain).split()).strip(" .-")


def ascii_name(book: Book, extension: str) -> str:
    """`Title - Creator.epub` in plain ASCII for old clients, never empty.

    A title with no Latin letters becomes `work-ID` (or `series-ID`, `shelf-ID`); creators
    whose names have none are left out, and a shelf names none.
    """
    people = [plain for person in book.creators if (plain := ascii_text(person.name))]
    stem = ascii_text(book.title) or book.label
    if people and book.kind != "shelf":
        stem = f"{stem} - {_names(people)}"
    return ascii_file_name(safe_file_name(stem, extension))


def ascii_file_name(name: str, fallback: str = "download") -> str:
    """The name in plain ASCII: accents dropped, other letters and unsafe punctuation left out."""
    stem, dot, extension = name.rpartition(".")
    return f"{ascii_text(stem) or fallback}{dot}{ascii_text(extension)}"


def content_disposition(name: str, ascii_fallback: str = "") -> str:
    """`attachment` with an ASCII `filename` and the exact `filename*=UTF-8''…` (RFC 6266)."""
    fallback = ascii_file_name(ascii_fallback or name)
    if fallback == name:
        return f'attachment; filename="{name}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
