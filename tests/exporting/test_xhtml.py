"""Stored (sanitized) HTML into well-formed, valid XHTML, and into wrapped plain text."""

from __future__ import annotations

import pytest
from lxml import etree

from ficarchive.exporting.xhtml import to_text, to_xhtml, wrap
from ficarchive.text import sanitize_html
from ficarchive.text.nesting import MAX_DEPTH


def xhtml(html: str, **options) -> str:
    """As a download sees it: the text as the archive stores it, then converted."""
    converted = to_xhtml(sanitize_html(html), base_url="https://archive.example/works/7", **options)
    etree.fromstring(f'<div xmlns="http://www.w3.org/1999/xhtml">{converted}</div>')
    return converted


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>one&nbsp;two</p>", "<p>one\u00a0two</p>"),
        ("<p>line<br>break</p>", "<p>line<br/>break</p>"),
        ("<p>unclosed <b>bold", "<p>unclosed <b>bold</b></p>"),
        ("<p>a &amp; b &lt; c</p>", "<p>a &amp; b &lt; c</p>"),
        ("<p>東京の夜、雨。</p>", "<p>東京の夜、雨。</p>"),
        ('<p dir="rtl">שלום עולם</p>', '<p dir="rtl">שלום עולם</p>'),
        ('<p align="center">***</p>', '<p style="text-align: center">***</p>'),
        ("<center>~</center>", '<div style="text-align: center">~</div>'),
        ("<strike>x</strike><tt>y</tt>", "<s>x</s><code>y</code>"),
        ("<em><p>x</p></em>", '<div style="font-style: italic"><p>x</p></div>'),
        ("<li>stray</li>", "<ul><li>stray</li></ul>"),
        ("<p>tab\x0bvertical</p>", "<p>tabvertical</p>"),
        ("", ""),
    ],
)
def test_markup_becomes_well_formed_xhtml(html, expected):
    assert xhtml(html) == expected


def test_relative_links_become_absolute_and_anchors_plain_text():
    converted = xhtml('<a href="/users/a">a</a> <a href="#n">here</a> <a name="n">n</a>')
    assert 'href="https://archive.example/users/a"' in converted
    assert 'href="https://archive.example/works/7#n"' in converted
    assert "<span>n</span>" in converted


def test_remote_images_become_links_when_a_format_cannot_load_them():
    assert xhtml('<img src="https://i.example/a.png" alt="A map">', images=False) == (
        '<a href="https://i.example/a.png">[Image: A map]</a>'
    )
    kept = xhtml('<img src="/a.png">')
    assert kept == '<img src="https://archive.example/a.png" alt=""/>'


def test_script_and_event_handlers_never_reach_the_file():
    converted = xhtml('<p onclick="x()">a<script>alert(1)</script></p><iframe src="x"></iframe>')
    assert converted == "<p>a</p>"


def test_deeply_nested_markup_converts_without_failing():
    converted = xhtml("<span>" * 200 + "deep" + "</span>" * 200)
    assert converted.count("<span>") == MAX_DEPTH  # deeper tags are left out, not their text
    assert "deep" in converted and to_text(sanitize_html("<em>" * 200 + "deep")) == "deep"


def test_plain_text_wraps_paragraphs_and_keeps_breaks_and_scene_breaks():
    text = to_text(
        "<p>" + "word " * 30 + "</p><p>first<br>second</p><hr>"
        '<p style="text-align: center">* * *</p><blockquote><p>quoted</p></blockquote>'
        "<ul><li>item</li></ul>"
    )
    lines = text.split("\n")
    assert max(len(line) for line in lines) <= 78
    assert "first\nsecond" in text
    assert "\n                                    * * *\n" in text
    assert "    quoted" in lines
    assert "- item" in lines


def test_plain_text_cuts_long_lines_of_wide_characters_by_their_width():
    lines = wrap("雨" * 100).split("\n")
    assert [len(line) for line in lines] == [39, 39, 22]


def test_plain_text_never_splits_a_long_word():
    url = "https://archive.example/" + "x" * 100
    assert wrap(f"see {url}") == f"see\n{url}"
