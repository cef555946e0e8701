"""Rich text, Markdown and plain text all become sanitized HTML."""

from __future__ import annotations

import pytest

from ficarchive.text import BodyFormat, render_body
from ficarchive.text.formats import plain_to_html


def test_blank_lines_make_paragraphs_and_single_breaks_stay():
    assert plain_to_html("One line\nand the next.\n\nA new paragraph.") == (
        "<p>One line<br>\nand the next.</p>\n<p>A new paragraph.</p>"
    )


def test_many_blank_lines_and_windows_line_ends_make_one_break():
    assert plain_to_html("One.\r\n\r\n\r\n\r\nTwo.") == "<p>One.</p>\n<p>Two.</p>"


@pytest.mark.parametrize("scene_break", ["***", "* * *", "~~~", "---", "oOo", "-x-", "#", "◇◇◇"])
def test_scene_breaks_are_kept_centered(scene_break):
    html = plain_to_html(f"Before.\n\n{scene_break}\n\nAfter.")
    assert f'<p align="center">{scene_break}</p>' in html
    assert html.startswith("<p>Before.</p>")
    assert html.endswith("<p>After.</p>")


def test_plain_text_is_escaped_not_interpreted():
    html = render_body("I <3 you & <script>alert(1)</script>", BodyFormat.PLAIN)
    assert "<script" not in html
    assert "I &lt;3 you &amp; " in html


def test_html_without_tags_is_treated_as_plain_text():
    assert render_body("One.\n\nTwo.", BodyFormat.HTML) == "<p>One.</p>\n<p>Two.</p>"


def test_rich_text_with_inline_tags_only_gets_paragraphs_from_blank_lines():
    html = render_body("She <em>ran</em>.\n\nHe <b>stayed</b>,\nand waited.", BodyFormat.HTML)
    assert html == "<p>She <em>ran</em>.</p>\n<p>He <b>stayed</b>,<br>\nand waited.</p>"


def test_rich_text_with_its_own_paragraphs_is_left_as_written():
    assert render_body("<p>One.</p>\n\n<p>Two.</p>", BodyFormat.HTML) == (
        "<p>One.</p>\n\n<p>Two.</p>"
    )


def test_markdown_renders_emphasis_headings_and_scene_breaks():
    html = render_body("# Title\n\nSome *soft* and **loud** words.\n\n***\n\nAfter.", "markdown")
    assert "<h1>Title</h1>" in html
    assert "<em>soft</em>" in html
    assert "<strong>loud</strong>" in html
    assert "<hr>" in html


def test_markdown_with_hostile_html_is_sanitized():
    html = render_body('Hi <img src=x onerror="alert(1)"> [x](javascript:alert(2))', "markdown")
    assert "onerror" not in html
    assert 'href="javascript' not in html


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown body format"):
        render_body("text", "rtf")
