"""Finds the words of a template that a reader sees but no translator was asked for.

The template is rebuilt with every `{{ variable }}`, tag and translated string replaced by a
mark with no letters, then read as HTML (or as plain text, for e-mails): any text, or any
attribute a reader sees (title, alt, placeholder, aria-label, a button's value), that still has
letters in it was written in English and never marked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

PLACE = "\u00a7"  # stands for what a tag or variable draws: no letters in it

# Tags whose content is not shown or is already a translator's: skipped to their end tag.
_SKIPPED = {
    "comment": "endcomment",
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "verbatim": "endverbatim",
}
_TRANSLATING = ("translate", "trans")

# Words no language translates: names of formats, protocols and the software.
NAMES = {
    "AO3",
    "API",
    "Atom",
    "AZW3",
    "CSV",
    "EPUB",
    "FanFiction.Net",
    "ficarchive",
    "HTML",
    "JSON",
    "KOReader",
    "Markdown",
    "MOBI",
    "OPDS",
    "PDF",
    "RSS",
    "AGPL",
    "OpenAPI",
    "TXT",
    "URL",
    "Swagger",
    "Calibre",
    "calibre",
    "TOTP",
    "WebAuthn",
}
_NAME = re.compile("|".join(sorted((re.escape(n) for n in NAMES), key=len, reverse=True)))
_LETTER = re.compile(r"[^\W\d_]")
SEEN_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description", "label"}
_BUTTON_TYPES = {"submit", "button", "reset"}


@dataclass(frozen=True)
class Unmarked:
    template: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.template}:{self.line}: {self.text!r}"


def has_words(text: str) -> bool:
    """Whether TEXT, without marks and names, still has letters."""
    return bool(_LETTER.search(_NAME.sub("", text.replace(PLACE, ""))))


def rebuilt(source: str) -> str:
    """SOURCE with tags and variables replaced by PLACE, comments and translated blocks too;
    newlines are kept, so line numbers stay those of the template."""
    out: list[str] = []
    skipping: str | None = None
    for token in Lexer(source).tokenize():
        raw = token.contents
        if token.token_type == TokenType.BLOCK:
            name = raw.split()[0] if raw.split() else ""
            if skipping:
                if name == skipping:
                    skipping = None
                    out.append(PLACE)
                continue
            if name in _SKIPPED:
                skipping = _SKIPPED[name]
                continue
            out.append(PLACE)
            continue
        if skipping:
            out.append("\n" * _lines_of(token))
            continue
        if token.token_type == TokenType.TEXT:
            out.append(raw)
        elif token.token_type == TokenType.VAR:
            out.append(PLACE)
        # COMMENT tokens ({# … #}) draw nothing
    return "".join(out)


def _lines_of(token: object) -> int:
    return str(getattr(token, "contents", "")).count("\n")


class _Reader(HTMLParser):
    def __init__(self, name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.name = name
        self.found: list[Unmarked] = []
        self._hidden = 0  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        values = dict(attrs)
        for attribute, value in attrs:
            seen = attribute in SEEN_ATTRIBUTES or (
                attribute == "value" and tag == "input" and values.get("type") in _BUTTON_TYPES
            )
            if seen and value and has_words(value):
                self._add(value)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and has_words(data):
            self._add(data)

    def _add(self, text: str) -> None:
        line, _ = self.getpos()
        self.found.append(Unmarked(self.name, line, " ".join(text.split())))


def unmarked_in(path: Path, name: str) -> list[Unmarked]:
    """The unmarked words of the template at PATH (called NAME in the report)."""
    text = rebuilt(path.read_text(encoding="utf-8"))
    if path.suffix == ".txt":
        return [
            Unmarked(name, number, " ".join(line.split()))
            for number, line in enumerate(text.splitlines(), start=1)
            if has_words(line)
        ]
    reader = _Reader(name)
    reader.feed(text)
    reader.close()
    return reader.found
