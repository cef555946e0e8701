"""What a download holds: a work, a series of works or a reader's shelf, read out of the
archive once.

Every format writes from a `Book`, so that the EPUB, HTML and TXT files say the same things and
the database is read once per download. A book holds the sanitized HTML as stored; each writer
turns it into what its format needs (`exporting.xhtml`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ficarchive.exporting.xhtml import xml_text
from ficarchive.tags.models import TagType
from ficarchive.works.models import (
    Chapter,
    Credit,
    Series,
    Work,
    WorkQuerySet,
)
from ficarchive.works.series_places import series_neighbours

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import StrOrPromise

    from ficarchive.accounts.models import Pseud, User
    from ficarchive.social.models import Shelf

    AnyUser = User | AnonymousUser

RTL_LANGUAGES = {"ar", "fa", "he", "ur", "yi"}
# The credit role of an archivist who imported a work for its author (EPUB: relator "oth").
ARCHIVIST = "archivist"
TAG_LABELS: dict[str, tuple[StrOrPromise, StrOrPromise]] = {
    TagType.RATING: (gettext_lazy("Rating"), gettext_lazy("Ratings")),
    TagType.WARNING: (gettext_lazy("Archive Warning"), gettext_lazy("Archive Warnings")),
    TagType.CATEGORY: (gettext_lazy("Category"), gettext_lazy("Categories")),
    TagType.FANDOM: (gettext_lazy("Fandom"), gettext_lazy("Fandoms")),
    TagType.RELATIONSHIP: (gettext_lazy("Relationship"), gettext_lazy("Relationships")),
    TagType.CHARACTER: (gettext_lazy("Character"), gettext_lazy("Characters")),
    TagType.FREEFORM: (gettext_lazy("Additional Tags"), gettext_lazy("Additional Tags")),
}


@dataclass(frozen=True)
class Site:
    """The archive a book comes from: its name and the address its links start with."""

    name: str
    url: str  # scheme and host, no trailing slash: "https://archive.example"

    def absolute(self, path: str) -> str:
        return self.url.rstrip("/") + path


@dataclass(frozen=True)
class Person:
    name: str
    url: str = ""


@dataclass(frozen=True)
class SeriesMark:
    """ "Part 2 of 3 of <series>" for a work in a series."""

    title: str
    url: str
    number: int
    total: int


@dataclass(frozen=True)
class CreditGroup:
    """The people credited in one role: "Beta reader: Sam, Kit"."""

    role: str  # a CreditRole value, or ARCHIVIST
    label: str
    people: list[Person]


@dataclass
class ChapterText:
    number: int
    title: str
    heading: str
    url: str
    summary: str
    begin_notes: str
    body: str
    end_notes: str
    published_at: datetime | None


@dataclass
class WorkText:
    """One work as a book shows it: its preface (metadata, summary, notes) and its chapters."""

    number: int  # its place in the book, from 1
    id: int
    title: str
    url: str
    creators: list[Person]
    credits: list[CreditGroup]
    tags: dict[str, list[str]]  # by TagType, in the order the work page shows them
    language: str
    language_name: str
    series: list[SeriesMark]
    published_at: datetime | None
    updated_at: datetime | None
    is_complete: bool
    word_count: int
    chapters_display: str
    summary: str
    begin_notes: str
    end_notes: str
    chapters: list[ChapterText] = field(default_factory=list)

    @property
    def comments_url(self) -> str:
        return f"{self.url}#comments"

    @property
    def rating(self) -> str:
        ratings = self.tags.get(TagType.RATING, [])
        return ratings[0] if ratings else _("Not Rated")

    @property
    def tag_groups(self) -> list[tuple[str, list[str]]]:
        """(label, names) for every tag type the work uses, rating first: "Fandoms", […]."""
        return [
            (str(TAG_LABELS[kind][0 if len(names) == 1 else 1]), names)
            for kind, names in self.tags.items()
            if names
        ]

    @property
    def dir(self) -> str:
        return "rtl" if self.language.split("-")[0] in RTL_LANGUAGES else "ltr"


@dataclass
class Book:
    """A work, a series of works or a shelf of them, ready to be written in any format."""

    kind: str  # "work", "series" or "shelf"
    title: str
    url: str  # the canonical address: the book's identifier and source
    creators: list[Person]
    language: str
    summary: str
    parts: list[WorkText]
    published_at: datetime
    modified_at: datetime
    site: Site
    collections: list[SeriesMark] = field(default_factory=list)
    notes: str = ""  # a series' notes, a shelf's description
    id: int = 0  # the work's, the series' or the shelf's id
    keeper: str = ""  # whose shelf it is

    @property
    def label(self) -> str:
        """What the book is without its title: "work-12", "series-3"."""
        return f"{self.kind}-{self.id}"

    @property
    def is_series(self) -> bool:
        return self.kind == "series"

    @property
    def has_parts(self) -> bool:
        """A book of several works (a series or a shelf): a title page, then part by part."""
        return self.kind != "work"

    @property
    def subjects(self) -> list[str]:
        """Every tag of every part, once each, in order: what catalogs file the book under."""
        seen: dict[str, None] = {}
        for part in self.parts:
            for names in part.tags.values():
                seen.update(dict.fromkeys(names))
        return list(seen)

    @property
    def dir(self) -> str:
        return "rtl" if self.language.split("-")[0] in RTL_LANGUAGES else "ltr"

    @property
    def chapter_count(self) -> int:
        return sum(len(part.chapters) for part in self.parts)


def _exportable(works: WorkQuerySet) -> WorkQuerySet:
    return works.with_blurb_data().prefetch_related(
        Prefetch("credits", queryset=Credit.objects.select_related("pseud__user"))
    )


def _person(pseud: Pseud, site: Site) -> Person:
    return Person(xml_text(pseud.byline), site.absolute(pseud.get_absolute_url()))


def _chapters(chapters: Iterable[Chapter], site: Site) -> list[ChapterText]:
    texts = []
    for number, chapter in enumerate(chapters, start=1):
        title = xml_text(chapter.title)
        texts.append(
            ChapterText(
                number=number,
                title=title,
                heading=_("Chapter %(number)s: %(title)s") % {"number": number, "title": title}
                if title
                else _("Chapter %(number)s") % {"number": number},
                url=site.absolute(chapter.get_absolute_url()),
                summary=chapter.summary,
                begin_notes=chapter.begin_notes,
                body=chapter.body,
                end_notes=chapter.end_notes,
                published_at=chapter.published_at,
            )
        )
    return texts


def _work_text(
    work: Work, number: int, chapters: Iterable[Chapter], series: list[SeriesMark], site: Site
) -> WorkText:
    credits: dict[str, CreditGroup] = {}
    for credit in work.credits.all():
        url = site.absolute(credit.pseud.get_absolute_url()) if credit.pseud else ""
        group = credits.setdefault(
            credit.role, CreditGroup(credit.role, credit.get_role_display(), [])
        )
        group.people.append(Person(xml_text(credit.name), url))
    tags = {
        TagType.RATING: [work.rating.name] if work.rating else [],
        TagType.WARNING: [tag.name for tag in work.warnings],
        TagType.CATEGORY: [tag.name for tag in work.categories],
        TagType.FANDOM: [tag.name for tag in work.fandoms],
        TagType.RELATIONSHIP: [tag.name for tag in work.relationships],
        TagType.CHARACTER: [tag.name for tag in work.characters],
        TagType.FREEFORM: [tag.name for tag in work.freeforms],
    }
    return WorkText(
        number=number,
        id=work.pk,
        title=xml_text(work.title),
        url=site.absolute(work.get_absolute_url()),
        creators=_unique([*_original_creators(work), *_creators(work, site)]),
        credits=[*credits.values(), *_archivists(work, site)],
        tags={kind: [xml_text(name) for name in names] for kind, names in tags.items()},
        language=work.language,
        language_name=work.language_name,
        series=series,
        published_at=_originally(work.original_published) or work.published_at,
        updated_at=work.updated_at,
        is_complete=work.is_complete,
        word_count=work.word_count,
        chapters_display=work.chapters_display,
        summary=work.summary,
        begin_notes=work.begin_notes,
        end_notes=work.end_notes,
        chapters=_chapters(chapters, site),
    )


def _creators(work: Work, site: Site) -> list[Person]:
    """The pseuds of the byline; for a work an archivist imported for its author, the author
    (named without an address: they have no account here)."""
    return [
        Person(xml_text(credit.archived_for), "")
        if credit.archived_for
        else _person(credit.pseud, site)
        for credit in work.creator_credits
    ]


def _archivists(work: Work, site: Site) -> list[CreditGroup]:
    """The archivists who imported the work for its author, credited as contributors."""
    people = [_person(c.pseud, site) for c in work.creator_credits if c.archived_for]
    return [CreditGroup(ARCHIVIST, _("Archivist"), people)] if people else []


def _original_creators(work: Work) -> list[Person]:
    """The creators an imported file named (its first life elsewhere), before the pseuds."""
    names = [name.strip() for name in work.original_creators.split(",") if name.strip()]
    return [Person(xml_text(name), "") for name in names]


def _originally(day: date | None) -> datetime | None:
    """An imported work's first publication elsewhere, as the start of that day in UTC."""
    return datetime.combine(day, time.min, tzinfo=UTC) if day else None


def _series_marks(work: Work, reader: AnyUser, site: Site) -> list[SeriesMark]:
    return [
        SeriesMark(
            xml_text(link.series.title),
            site.absolute(link.series.get_absolute_url()),
            link.number,
            link.total,
        )
        for link in series_neighbours(work, reader)
    ]


def _unique(people: list[Person]) -> list[Person]:
    return list(dict.fromkeys(people))


def _dates(parts: list[WorkText], fallback: datetime) -> tuple[datetime, datetime]:
    published = [p.published_at for p in parts if p.published_at is not None]
    updated = [p.updated_at for p in parts if p.updated_at is not None]
    first = min(published, default=fallback)
    return first, max([*updated, first])


def work_book(work: Work, reader: AnyUser, site: Site, *, drafts: bool = False) -> Book:
    """The book of one work with the chapters READER may read.

    With `drafts`, draft chapters are included as the work's creators see them.
    """
    work = _exportable(Work.objects.filter(pk=work.pk)).get()
    chapters = work.chapters.order_by("position") if drafts else work.posted_chapters()
    series = _series_marks(work, reader, site)
    part = _work_text(work, 1, chapters, series, site)
    published, updated = _dates([part], work.revised_at or timezone.now())
    return Book(
        kind="work",
        title=part.title,
        url=part.url,
        creators=part.creators,
        language=part.language,
        summary=part.summary,
        parts=[part],
        published_at=published,
        modified_at=max(updated, work.revised_at),
        site=site,
        collections=series,
        id=work.pk,
    )


def series_book(series: Series, reader: AnyUser, site: Site) -> Book:
    """The book of a series: every part READER may read, in order, each with its chapters."""
    parts = list(series.parts_visible_to(reader))
    works = _exportable(Work.objects.filter(pk__in=[part.work_id for part in parts])).in_bulk()
    total = len(parts)
    texts = []
    for number, part in enumerate(parts, start=1):
        work = works[part.work_id]
        mark = SeriesMark(
            xml_text(series.title), site.absolute(series.get_absolute_url()), number, total
        )
        texts.append(_work_text(work, number, work.posted_chapters(), [mark], site))
    revised = [works[part.work_id].revised_at for part in parts]
    published, updated = _dates(texts, series.updated_at)
    return Book(
        kind="series",
        title=xml_text(series.title),
        url=site.absolute(series.get_absolute_url()),
        creators=_unique([person for text in texts for person in text.creators]),
        language=texts[0].language if texts else "en",
        summary=series.summary,
        notes=series.notes,
        parts=texts,
        published_at=published,
        modified_at=max([updated, series.updated_at, *revised]),
        site=site,
        id=series.pk,
    )


def shelf_book(shelf: Shelf, reader: User, site: Site) -> Book:
    """The book of a reader's shelf: every work on it READER may still read, in the shelf's
    order, each with its posted chapters."""
    posted = Chapter.objects.filter(is_draft=False).order_by("position")
    works = list(
        _exportable(shelf.readable_works(reader)).prefetch_related(
            Prefetch("chapters", queryset=posted, to_attr="posted_list")
        )
    )
    texts = [
        _work_text(work, number, work.posted_list, [], site)  # type: ignore[attr-defined]
        for number, work in enumerate(works, start=1)
    ]
    published, updated = _dates(texts, shelf.updated_at)
    return Book(
        kind="shelf",
        title=xml_text(shelf.name),
        url=site.absolute(shelf.get_absolute_url()),
        creators=_unique([person for text in texts for person in text.creators]),
        language=texts[0].language if texts else "en",
        summary="",
        notes=linebreaks(escape(shelf.description)) if shelf.description else "",
        parts=texts,
        published_at=published,
        modified_at=max([updated, shelf.updated_at, *(work.revised_at for work in works)]),
        site=site,
        id=shelf.pk,
        keeper=xml_text(reader.username),
    )
