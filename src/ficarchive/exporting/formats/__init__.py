"""One module per download format, each behind the same small interface.

A format module has `NAME` (as in URLs: "epub"), `LABEL` (as shown: "EPUB"), `EXTENSION`,
`MEDIA_TYPE` and `write(book) -> bytes`. `FORMATS` lists them in the order the work page offers
them; add a module here to offer another format.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from ficarchive.exporting.formats import epub, html, txt

if TYPE_CHECKING:
    from ficarchive.exporting.book import Book


class Format(Protocol):
    NAME: str
    LABEL: str
    EXTENSION: str
    MEDIA_TYPE: str

    def write(self, book: Book) -> bytes: ...


FORMATS: dict[str, Format] = {module.NAME: module for module in (epub, html, txt)}


def get_format(name: str) -> Format:
    """The format called NAME; a KeyError names the formats there are."""
    try:
        return FORMATS[name]
    except KeyError:
        raise KeyError(f"{name!r} is not a download format; use {', '.join(FORMATS)}.") from None
