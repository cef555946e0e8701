# ruff: noqa: RUF001 - the patterns match typographic quotes and dashes on purpose
"""Chapter headings ("Chapter One", "Ch. 3 - Title", "Prologue") and the titles they give."""

from __future__ import annotations

import re

# --- chapter headings ------------------------------------------------------------------

NUMBER_WORDS = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
]
_NUMBER = (
    r"(?:\d+(?:\.\d+)?|[ivxlcdm]+|"
    + r"(?:(?:twenty|thirty|forty|fifty)[\s-])?(?:"
    + "|".join(NUMBER_WORDS)
    + r")|[a-z])"
)
_SEP = r"(?:\s*[:.\-–—,|]\s*|\s+)"
CHAPTER_HEADING = re.compile(
    rf"^(?:(?:chapter|chap\.?|ch\.?)\s*{_NUMBER}\b\.?|part\s+{_NUMBER}\b\.?|"
    rf"(?:prologue|epilogue|interlude|afterword|foreword|preface)\b)(?:{_SEP}(?P<title>.*))?$",
    re.IGNORECASE,
)


def chapter_heading(text: str) -> tuple[str, str] | None:
    """(full heading, title after the number) when the text is a chapter heading line."""
    if len(text) > 1000:  # a heading is at most 120 characters, however it is spaced
        return None
    line = " ".join(text.replace("#", " ").replace("*", " ").split()).strip()
    if not line or len(line) > 120:
        return None
    match = CHAPTER_HEADING.match(line)
    if not match:
        return None
    title = (match.group("title") or "").strip(" :.-–—")
    if title and len(title.split()) > 15:
        return None
    return line, title


def chapter_title(heading: str) -> str:
    """A chapter's own title from its heading: "Chapter 3: Storm" gives "Storm", "Chapter 3"
    nothing, "Prologue" and headings that are not numbered stay whole."""
    heading = " ".join(heading.split())
    parsed = chapter_heading(heading)
    if parsed is None:
        return heading
    word = heading.split()[0].casefold().rstrip(".:")
    if word not in {"chapter", "ch", "chap", "part"}:
        return heading
    title = parsed[1]
    if title and not (title[0].isalnum() or title[0] in "\"'“‘"):
        return heading
    return title
