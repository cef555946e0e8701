"""What a reader makes of a file: the work's metadata and chapters, before anything is saved."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from ficarchive.text import count_words, sanitize_html
from ficarchive.text.wordcount import html_to_text

STATED = "stated"
INFERRED = "inferred"


class UnreadableFile(Exception):
    """A file the importer refuses, with the file's name and the reason in the message."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


@dataclass
class ParsedChapter:
    title: str = ""
    body: str = ""  # HTML
    begin_notes: str = ""
    end_notes: str = ""
    summary: str = ""
    words: int = 0

    @property
    def notes(self) -> dict[str, str]:
        return {"begin": self.begin_notes, "end": self.end_notes}

    def text_start(self, length: int = 80) -> str:
        return " ".join(html_to_text(markup_start(self.body, length * 50)).split())[:length]


@dataclass
class SeriesPlace:
    name: str
    part: int | None = None


@dataclass
class Credit:
    role: str  # a works.models.CreditRole value
    name: str


@dataclass
class ParsedWork:
    source: str
    format: str
    title: str = ""
    creators: list[str] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    rating: str = ""
    rating_source: str | None = None
    warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    fandoms: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    freeforms: list[str] = field(default_factory=list)
    language: str = ""
    summary: str = ""  # HTML
    begin_notes: str = ""  # HTML
    end_notes: str = ""  # HTML
    disclaimer: str = ""
    complete: bool | None = None
    expected_chapters: int | None = None
    published: date | None = None
    updated: date | None = None
    series: SeriesPlace | None = None
    # The file lists every tag the work has (an AO3 preface): inference adds no tags to it.
    tags_stated: bool = False
    chapters: list[ParsedChapter] = field(default_factory=list)
    words: int = 0
    inferred: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def set_rating(self, rating: str, source: str = STATED) -> None:
        self.rating = rating
        self.rating_source = source if rating else None

    def infer(self, name: str, reason: str) -> None:
        self.inferred[name] = reason

    def problem(self, text: str) -> None:
        if text not in self.problems:
            self.problems.append(text)

    def finish(self) -> ParsedWork:
        """Sanitize every piece of HTML, drop empty chapters, count words, tidy the lists."""
        scripts = False
        for chapter in self.chapters:
            scripts = scripts or _has_active_content(chapter.body)
            chapter.body = sanitize_html(chapter.body)
            chapter.begin_notes = _clean(chapter.begin_notes)
            chapter.end_notes = _clean(chapter.end_notes)
            chapter.summary = _clean(chapter.summary)
            chapter.title = one_line(chapter.title)
            chapter.words = count_words(chapter.body)
        for name in ("summary", "begin_notes", "end_notes"):
            value = getattr(self, name)
            scripts = scripts or _has_active_content(value)
            setattr(self, name, _clean(value))
        if scripts:
            self.problem(ACTIVE_CONTENT)
        self.chapters = [c for c in self.chapters if c.words or "<img" in c.body]
        self.words = sum(c.words for c in self.chapters)
        self.title = one_line(self.title)
        self.disclaimer = one_line(self.disclaimer)
        for name in ("creators", "warnings", "categories", "fandoms", "relationships"):
            setattr(self, name, unique(getattr(self, name)))
        self.characters = unique(self.characters)
        self.freeforms = unique(self.freeforms)
        return self

    def texts(self) -> Iterator[tuple[str, str]]:
        """Every piece of text the work holds, with where it stands ("chapter 2's body")."""
        for name in ("title", "summary", "begin_notes", "end_notes", "disclaimer"):
            yield name.replace("_", " "), getattr(self, name)
        for name in ("creators", "warnings", "categories", "fandoms", "relationships"):
            for value in getattr(self, name):
                yield name[:-1], value
        for name in ("characters", "freeforms"):
            for value in getattr(self, name):
                yield "tag", value
        for credit in self.credits:
            yield "credit", credit.name
        if self.series is not None:
            yield "series", self.series.name
        for number, chapter in enumerate(self.chapters, start=1):
            for name in ("title", "body", "begin_notes", "end_notes", "summary"):
                yield f"chapter {number}'s {name.replace('_', ' ')}", getattr(chapter, name)

    def as_json(self) -> dict[str, Any]:
        """The fields of `ficarchive import --json`, in the order the issue lists them."""
        return {
            "source": self.source,
            "format": self.format,
            "title": self.title,
            "creators": self.creators,
            "credits": [asdict(c) for c in self.credits],
            "rating": self.rating or None,
            "rating_source": self.rating_source,
            "warnings": self.warnings,
            "categories": self.categories,
            "fandoms": self.fandoms,
            "relationships": self.relationships,
            "characters": self.characters,
            "freeforms": self.freeforms,
            "language": self.language or None,
            "summary": self.summary,
            "notes": {"begin": self.begin_notes, "end": self.end_notes},
            "disclaimer": self.disclaimer,
            "complete": self.complete,
            "expected_chapters": self.expected_chapters,
            "published": self.published.isoformat() if self.published else None,
            "updated": self.updated.isoformat() if self.updated else None,
            "series": asdict(self.series) if self.series else None,
            "chapters": [
                {
                    "title": c.title,
                    "words": c.words,
                    "notes": c.notes,
                    "text_start": c.text_start(),
                }
                for c in self.chapters
            ],
            "words": self.words,
            "inferred": self.inferred,
            "problems": self.problems,
        }


_ACTIVE = re.compile(r"<\s*(?:script|iframe|object|embed)\b|\son\w+\s*=|javascript:", re.I)


def note_active_content(work: ParsedWork, markup: str) -> None:
    """Note in the work's problems that the file carried scripts (the sanitizer drops them)."""
    if _has_active_content(markup):
        work.problem(ACTIVE_CONTENT)


ACTIVE_CONTENT = "Scripts and other active content were removed from the text."


def _has_active_content(markup: str) -> bool:
    return bool(_ACTIVE.search(markup))


def _clean(markup: str) -> str:
    cleaned = sanitize_html(markup) if markup.strip() else ""
    return cleaned if html_to_text(cleaned).strip() else ""


# White space that is not already one plain space: runs, and lone tabs or line breaks.
_SPACES = re.compile(r"\s\s+|[^\S ]")
_PIECE = 65_536


def one_line(text: str) -> str:
    """TEXT with each run of white space made one space, and none at either end.

    Piece by piece: splitting and joining (or one substitution, which collects its pieces the
    same way) holds an object for every word of a paragraph, 60 bytes a word, and a one-line
    16 MB file took 200 MB more for each look at its only paragraph."""
    if len(text) <= _PIECE:
        return " ".join(text.split())
    if not _SPACES.search(text):
        return text.strip()  # the text itself when it is already on one line
    pieces = []
    start = 0
    while start < len(text):
        end = min(start + _PIECE, len(text))
        while end < len(text) and (text[end].isspace() or text[end - 1].isspace()):
            end += 1  # never cut inside a run of white space
        pieces.append(_SPACES.sub(" ", text[start:end]))
        start = end
    return "".join(pieces).strip()


def markup_start(markup: str, length: int) -> str:
    """About the first LENGTH characters of MARKUP, not cut inside a tag (or entity)."""
    if len(markup) <= length:
        return markup
    head = markup[:length]
    tag, entity = head.rfind("<"), head.rfind("&")
    if tag > head.rfind(">"):
        head = head[:tag]
    if entity > max(head.rfind(";"), head.rfind(" ")):
        head = head[:entity]
    return head


def unique(names: list[str]) -> list[str]:
    """Names without blanks or repeats (case-insensitive), in their first order."""
    seen: dict[str, str] = {}
    for name in names:
        name = one_line(name)
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())
