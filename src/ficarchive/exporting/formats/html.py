"""One self-contained HTML file: the stylesheet inline, every chapter, the EPUB's metadata.

It is written as polyglot XHTML (HTML5 that is also well-formed XML), so that browsers, e-book
converters and XML tools all read it. Images stay where they are on the web.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from ficarchive.exporting.book import Book
from ficarchive.exporting.formats.common import series_fields, stylesheet, xhtml_parts

NAME = "html"
LABEL = "HTML"
EXTENSION = "html"
MEDIA_TYPE = "text/html"


def write(book: Book) -> bytes:
    context = {
        "book": book,
        "parts": xhtml_parts(book, images=True),
        "css": stylesheet(),
        **series_fields(book, images=True),
    }
    return render_to_string("exporting/book.html", context).encode("utf-8")
