# ruff: noqa: RUF001 - the patterns match typographic quotes on purpose
"""Values as files state them: rating names (AO3's, FanFiction.Net's K to MA, film letters),
languages, dates and numbers."""

from __future__ import annotations

import re
from datetime import date, datetime

from ficarchive.importing.parsed import ParsedWork
from ficarchive.tags.models import (
    EXPLICIT,
    GENERAL,
    MATURE,
    NOT_RATED,
    TEEN,
)
from ficarchive.works.models import LANGUAGES

# Rating names as files state them: AO3's own, FanFiction.Net's, film-style letters.
RATINGS: dict[str, str] = {
    "general audiences": GENERAL,
    "general": GENERAL,
    "g": GENERAL,
    "k": GENERAL,
    "k+": GENERAL,
    "pg": GENERAL,
    "teen and up audiences": TEEN,
    "teen and up": TEEN,
    "teen": TEEN,
    "t": TEEN,
    "pg-13": TEEN,
    "pg13": TEEN,
    "mature": MATURE,
    "m": MATURE,
    "r": MATURE,
    "explicit": EXPLICIT,
    "e": EXPLICIT,
    "ma": EXPLICIT,
    "nc-17": EXPLICIT,
    "nc17": EXPLICIT,
    "x": EXPLICIT,
    "xxx": EXPLICIT,
    "not rated": NOT_RATED,
}
_RATING_WORDS = sorted(RATINGS, key=len, reverse=True)
_RATING_IN_TEXT = re.compile(
    r"^\s*(?:fiction\s+)?(?:rated|rating)\s*[:\-]?\s*("
    + "|".join(re.escape(w) for w in _RATING_WORDS)
    + r")(?![\w+\-])",
    re.IGNORECASE,
)


def rating_name(text: str) -> str | None:
    """The archive's rating for a stated one ("M", "Rated MA for violence", "Teen And Up")."""
    value = " ".join(text.strip().split()).casefold()
    value = re.sub(r"^(?:fiction\s+)?(?:rated|rating)\s*[:\-]?\s*", "", value)
    if value in RATINGS:
        return RATINGS[value]
    match = re.match("(" + "|".join(re.escape(w) for w in _RATING_WORDS) + r")(?![\w+\-])", value)
    return RATINGS[match.group(1)] if match else None


def rating_line(line: str) -> str | None:
    """A line like "Rated M", "Rating: T", "Rated MA for language": the rating it states."""
    match = _RATING_IN_TEXT.match(line)
    return RATINGS[match.group(1).casefold()] if match else None


# A rating stated in a sentence: "Rated M for language", "This is rated MA", "rating: T". Single
# letters count only in capitals there ("rated m" is not a rating, "underrated" nothing).
_RATING_IN_PROSE = re.compile(
    r"(?<![\w-])(?:[Rr]ated|RATED|[Rr]ating|RATING)(?:\s+is)?\s*[:\-]?\s*[\"'“‘(]?("
    + "|".join(re.escape(w.upper()) for w in _RATING_WORDS)
    + r"|(?i:general(?: audiences)?|teen(?: and up(?: audiences)?)?|mature|explicit|not rated))"
    + r"(?![\w+\-])"
)


def rating_in_prose(text: str) -> str | None:
    """The rating a sentence anywhere in a note states ("… so this is rated M for …")."""
    match = _RATING_IN_PROSE.search(text[:5000])
    return RATINGS.get(match.group(1).casefold()) if match else None


# --- languages -------------------------------------------------------------------------

_LANGUAGE_NAMES = {name.casefold(): code for code, name in LANGUAGES}
_LANGUAGE_NAMES.update({code: code for code, _ in LANGUAGES})
_LANGUAGE_NAMES.update(
    {
        "english": "en",
        "spanish": "es",
        "español": "es",
        "french": "fr",
        "german": "de",
        "italian": "it",
        "portuguese": "pt",
        "russian": "ru",
        "japanese": "ja",
        "korean": "ko",
        "chinese": "zh",
        "中文-普通话 國語": "zh",
        "中文-广东话 粵語": "zh",
        "polish": "pl",
        "dutch": "nl",
    }
)


def language_code(text: str) -> str | None:
    value = " ".join(text.split()).casefold()
    if value in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[value]
    base = value.split("-")[0].split("_")[0]
    if base in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[base]
    if value.startswith("中文"):
        return "zh"
    return None


def set_language(work: ParsedWork, text: str) -> None:
    code = language_code(text)
    known = {c for c, _ in LANGUAGES}
    if code and code in known:
        work.language = code
    elif text.strip():
        work.problem(f"The language {text.strip()!r} is not one the archive knows.")


# --- dates -----------------------------------------------------------------------------

_DATE_FORMATS = (
    "%Y-%m-%d", "%Y/%m/%d", "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y",
    "%m/%d/%Y", "%m-%d-%y", "%m/%d/%y",
)  # fmt: skip


def parse_date(text: str) -> date | None:
    value = text.strip()
    match = re.match(r"(\d{4}-\d{2}-\d{2})", value)
    if match:
        value = match.group(1)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def parse_int(text: str) -> int | None:
    digits = re.sub(r"[,.\s\u00a0]", "", text)
    return int(digits) if digits.isdigit() else None
