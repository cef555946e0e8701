# ruff: noqa: RUF001 - the patterns match typographic quotes and dashes on purpose
"""`Key: value` metadata, as title pages and text headers carry it: which keys mean which
field, and how each value is put on the work."""

from __future__ import annotations

import re

from ficarchive.importing.conventions.notes import split_names
from ficarchive.importing.conventions.values import (
    parse_date,
    parse_int,
    rating_name,
    set_language,
)
from ficarchive.importing.parsed import Credit, ParsedWork, unique
from ficarchive.tags.models import (
    CATEGORIES,
    WARNINGS,
)
from ficarchive.works.models import CreditRole


def list_value(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"\s*,\s*", text) if part.strip()]


def status_complete(text: str) -> bool | None:
    value = text.strip().casefold()
    if value in {"complete", "completed", "finished", "yes", "true"}:
        return True
    if value in {
        "in-progress",
        "in progress",
        "incomplete",
        "wip",
        "ongoing",
        "no",
        "false",
    }:
        return False
    return None


# --- "Key: value" metadata, as title pages and text headers carry it --------------------


_CATEGORY_NAMES = {c.casefold(): c for c in CATEGORIES}
_WARNING_NAMES = {w.casefold(): w for w in WARNINGS}
_WARNING_NAMES["choose not to use archive warnings"] = WARNINGS[0]

FIELD_KEYS: dict[str, str] = {
    "title": "title",
    "story": "title",
    "author": "creators",
    "authors": "creators",
    "writer": "creators",
    "by": "creators",
    "rating": "rating",
    "rated": "rating",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "warning": "warnings",
    "warnings": "warnings",
    "content warnings": "warnings",
    "category": "category",
    "categories": "category",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "genre": "freeforms",
    "genres": "freeforms",
    "additional tags": "freeforms",
    "tags": "freeforms",
    "freeform": "freeforms",
    "freeforms": "freeforms",
    "character": "characters",
    "characters": "characters",
    "relationship": "relationships",
    "relationships": "relationships",
    "pairing": "relationships",
    "pairings": "relationships",
    "ship": "relationships",
    "ships": "relationships",
    "status": "status",
    "published": "published",
    "posted": "published",
    "updated": "updated",
    "completed": "updated",
    "chapters": "chapters",
    "words": "words",
    "language": "language",
    "summary": "summary",
    "description": "summary",
    "disclaimer": "disclaimer",
    "series": "series",
    "beta": "beta",
    "beta reader": "beta",
    "beta readers": "beta",
    "betas": "beta",
    "beta'd by": "beta",
    "notes": "notes",
    "author's notes": "notes",
    "author's note": "notes",
    "a/n": "notes",
}
# Keys a reader accepts from a title page but that name nothing to keep.
IGNORED_KEYS = {
    "packaged",
    "publisher",
    "story url",
    "author url",
    "url",
    "source",
    "stats",
    "collections",
    "id",
    "reviews",
    "favs",
    "follows",
    "kudos",
    "hits",
    "bookmarks",
    "comments",
}
KEY_LINE = re.compile(
    r"^\s*\**\s*(?P<key>[A-Za-z][A-Za-z' /]{0,24}?)\s*\**\s*:\s*\**\s*(?P<value>.*)$"
)


def field_key(key: str) -> str | None:
    folded = " ".join(key.replace("’", "'").split()).casefold()
    if folded in IGNORED_KEYS:
        return "ignore"
    return FIELD_KEYS.get(folded)


def apply_field(work: ParsedWork, key: str, value: str) -> bool:
    """Put a "Key: value" pair where it belongs; False when the key means nothing here."""
    name = field_key(key)
    value = value.strip()
    if name is None:
        return False
    if name == "ignore" or not value:
        return True
    if name == "title":
        work.title = work.title or value
    elif name == "creators":
        work.creators = unique(work.creators + split_names(value))
    elif name == "rating":
        rating = rating_name(value)
        if rating:
            work.set_rating(rating)
        else:
            work.problem(f"The rating {value!r} is not one the archive knows.")
    elif name == "warnings":
        for warning in list_value(value):
            known = _WARNING_NAMES.get(warning.casefold())
            if known:
                work.warnings.append(known)
            else:
                work.freeforms.append(warning)
    elif name == "category":
        for part in list_value(value):
            if part.casefold() in _CATEGORY_NAMES:
                work.categories.append(_CATEGORY_NAMES[part.casefold()])
            else:
                work.fandoms.append(part)
    elif name == "characters":
        add_characters(work, value)
    elif name in {"fandoms", "freeforms", "relationships"}:
        getattr(work, name).extend(list_value(value))
    elif name == "status":
        work.complete = status_complete(value)
    elif name in {"published", "updated"}:
        setattr(work, name, parse_date(value))
        if key.strip().casefold() == "completed":
            work.complete = True
    elif name == "chapters":
        set_chapter_count(work, value)
    elif name == "language":
        set_language(work, value)
    elif name == "summary":
        work.summary = work.summary or value
    elif name == "disclaimer":
        work.disclaimer = work.disclaimer or value
    elif name == "series":
        set_series(work, value)
    elif name == "beta":
        work.credits.extend(Credit(role=str(CreditRole.BETA), name=n) for n in split_names(value))
    elif name == "notes":
        work.begin_notes = work.begin_notes or value
    return True


def add_characters(work: ParsedWork, value: str) -> None:
    """FanFiction.Net's character list: "[A, B] C" names A, B and C, and the pairing A/B."""
    for pairing in re.findall(r"\[([^\]]+)\]", value):
        members = list_value(pairing)
        if len(members) > 1:
            work.relationships.append("/".join(members))
    work.characters.extend(m.strip() for m in re.split(r"[,\[\]]", value) if m.strip())


def set_chapter_count(work: ParsedWork, value: str) -> None:
    """AO3's "3/10" or "3/?" and FanFicFare's plain count."""
    match = re.match(r"\s*(\d+)\s*/\s*(\d+|\?)", value)
    if match:
        posted = int(match.group(1))
        expected = None if match.group(2) == "?" else int(match.group(2))
        work.expected_chapters = expected
        if work.complete is None:
            work.complete = expected is not None and posted == expected
    elif parse_int(value) is not None and work.complete:
        work.expected_chapters = parse_int(value)


def set_series(work: ParsedWork, value: str) -> None:
    text = " ".join(value.split())
    match = re.match(r"^part\s+(\d+)\s+of\s+(?:the\s+)?(.+?)(?:\s+series)?$", text, re.IGNORECASE)
    if match:
        from ficarchive.importing.parsed import SeriesPlace

        work.series = SeriesPlace(name=match.group(2).strip(), part=int(match.group(1)))
        return
    match = re.match(
        r"^(.+?)\s*\[(\d+)\]$|^(.+?)\s*[,#(]\s*(?:part\s*)?(\d+)\)?$",
        text,
        re.IGNORECASE,
    )
    from ficarchive.importing.parsed import SeriesPlace

    if match:
        name = match.group(1) or match.group(3)
        part = match.group(2) or match.group(4)
        work.series = SeriesPlace(name=name.strip(), part=int(part))
    else:
        work.series = SeriesPlace(name=text)
