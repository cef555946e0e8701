"""Deeply nested chapters: every paragraph the page shows is in every download, in order."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.test import Client

from ficarchive.exporting.xhtml import to_text, to_xhtml
from tests.conftest import post_work

COUNT = 400
_MARK = re.compile(r"Line (\d+) of the storm")


def line(number: int) -> str:
    return f"Line {number} of the storm"


def shown(text: str) -> list[int]:
    """The numbers of the lines TEXT holds, in the order it holds them (wrapped or not)."""
    return [int(number) for number in _MARK.findall(" ".join(text.split()))]


DEEP_SHAPES = {
    "unclosed divs": "".join(f"<div><p>{line(n)}</p>" for n in range(COUNT)),
    "closed divs": "".join(f"<div><p>{line(n)}</p>" for n in range(COUNT)) + "</div>" * COUNT,
    "blockquotes": "".join(f"<blockquote><p>{line(n)}</p>" for n in range(COUNT)),
    "lists": "".join(f"<ul><li>{line(n)}" for n in range(COUNT)),
    "spans": "<p>" + "".join(f"<span>{line(n)}. " for n in range(COUNT)) + "</p>",
    "mixed": "".join(
        f"<{tag}>{line(n)} " for n, tag in enumerate(["div", "em", "blockquote", "span"] * 100)
    ),
    "tables": "".join(f"<table><tr><td>{line(n)}" for n in range(COUNT)),
}


def epub_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        names = sorted(name for name in book.namelist() if re.search(r"chapter\d+\.xhtml$", name))
        return "".join(book.read(name).decode() for name in names)


@pytest.mark.parametrize("shape", DEEP_SHAPES)
def test_every_line_the_page_shows_is_in_every_download(client: Client, alice, shape, epubcheck):
    work = post_work(alice, "Deep Water", chapters=[DEEP_SHAPES[shape]])
    page = client.get(f"/works/{work.pk}").content.decode()
    assert shown(page) == list(range(COUNT))
    epub = client.get(f"/downloads/works/{work.pk}.epub").content
    assert shown(epub_text(epub)) == list(range(COUNT))
    html = client.get(f"/downloads/works/{work.pk}.html").content.decode()
    assert shown(html) == list(range(COUNT))
    txt = client.get(f"/downloads/works/{work.pk}.txt").content.decode()
    assert shown(txt) == list(range(COUNT))
    epubcheck(epub)


def test_deep_lines_stay_apart_in_the_text_download(client: Client, alice):
    work = post_work(alice, "Deep Water", chapters=[DEEP_SHAPES["unclosed divs"]])
    txt = client.get(f"/downloads/works/{work.pk}.txt").content.decode()
    for number in (0, 150, COUNT - 1):  # one per line, above and below the bound
        assert re.search(rf"^\s*{line(number)}\s*$", txt, re.MULTILINE)


@pytest.mark.parametrize("depth", [300, 3000])
def test_text_stored_before_nesting_was_bounded_loses_nothing_in_downloads(depth):
    body = "".join(f"<div><p>{line(n)}</p>" for n in range(depth)) + "</div>" * depth
    assert shown(to_xhtml(body)) == list(range(depth))
    assert shown(to_text(body)) == list(range(depth))
