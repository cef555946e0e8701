"""Markdown (.md): rendered as the archive renders Markdown, then split at its headings."""

from __future__ import annotations

from ficarchive.importing.parsed import ParsedWork
from ficarchive.importing.readers import webpage
from ficarchive.importing.safety import decode_text
from ficarchive.text.formats import _markdown

EXTENSIONS = (".md", ".markdown")
FORMAT = "markdown"


def read(name: str, data: bytes) -> ParsedWork:
    source = decode_text(name, data).replace("\r\n", "\n").lstrip("\ufeff")
    return webpage.read_markup(name, _markdown.render(source), FORMAT)
