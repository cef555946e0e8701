"""The HTML sanitizer keeps what authors format with and drops everything that could run."""

from __future__ import annotations

import pytest

from ficarchive.text import sanitize_html


@pytest.mark.parametrize(
    "markup",
    [
        "<p>A paragraph.</p>",
        "<p><em>soft</em> <strong>loud</strong> <i>i</i> <b>b</b> <u>u</u> <s>s</s></p>",
        "<h1>One</h1><h2>Two</h2><h3>Three</h3><h4>Four</h4><h5>Five</h5><h6>Six</h6>",
        "<ul><li>a</li></ul><ol><li>b</li></ol><dl><dt>c</dt><dd>d</dd></dl>",
        "<blockquote>Quoted.</blockquote>",
        "<hr>",
        '<p align="center">* * *</p>',
        '<p align="right">Signed.</p>',
        "<p>H<sub>2</sub>O and E=mc<sup>2</sup></p>",
        "<details><summary>Spoiler</summary>Hidden</details>",
    ],
)
def test_sanitizer_keeps_allowed_markup(markup):
    assert sanitize_html(markup) == markup


def test_sanitizer_keeps_tables():
    cleaned = sanitize_html('<table><tr><th scope="col">A</th><td colspan="2">B</td></tr></table>')
    assert '<th scope="col">A</th>' in cleaned
    assert '<td colspan="2">B</td>' in cleaned
    assert cleaned.startswith("<table>")


def test_sanitizer_keeps_images_with_safe_sources():
    cleaned = sanitize_html('<img src="https://example.org/a.png" alt="A lamp" width="40">')
    assert cleaned == '<img src="https://example.org/a.png" alt="A lamp" width="40">'


def test_links_get_nofollow():
    cleaned = sanitize_html('<a href="https://example.org/">there</a>')
    assert cleaned == (
        '<a href="https://example.org/" rel="nofollow noopener noreferrer">there</a>'
    )


def test_links_cannot_set_their_own_rel_or_target():
    cleaned = sanitize_html('<a href="https://example.org/" rel="me" target="_top">x</a>')
    assert 'rel="nofollow noopener noreferrer"' in cleaned
    assert "target" not in cleaned
    assert 'rel="me"' not in cleaned


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>Hi<script>alert(1)</script></p>", "<p>Hi</p>"),
        ("<style>p { color: red }</style><p>Hi</p>", "<p>Hi</p>"),
        ('<iframe src="https://evil.example">inside</iframe><p>Hi</p>', "<p>Hi</p>"),
        ('<p onclick="steal()">Hi</p>', "<p>Hi</p>"),
        ('<img src="a.png" onerror="steal()">', '<img src="a.png">'),
        ("<form><input name=x><button>Go</button></form>", "Go"),
        ("<object data=x></object><embed src=x><p>Hi</p>", "<p>Hi</p>"),
        ('<font color="red">Hi</font>', "Hi"),
        ("<p>Hi<!-- secret --></p>", "<p>Hi</p>"),
        ('<p class="x" id="y">Hi</p>', "<p>Hi</p>"),
    ],
)
def test_sanitizer_drops_everything_else(markup, expected):
    assert sanitize_html(markup) == expected


@pytest.mark.parametrize(
    "href", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>x</script>",
             "vbscript:msgbox(1)"],
)  # fmt: skip
def test_links_with_unsafe_schemes_lose_their_address(href):
    cleaned = sanitize_html(f'<a href="{href}">x</a>')
    assert "href" not in cleaned
    assert "script" not in cleaned.lower()


def test_images_with_unsafe_sources_lose_their_source():
    assert "javascript" not in sanitize_html('<img src="javascript:alert(1)">')


def test_styles_keep_only_alignment_and_emphasis():
    cleaned = sanitize_html(
        '<p style="text-align: center; position: fixed; background: url(javascript:x)">Hi</p>'
    )
    assert cleaned == '<p style="text-align:center">Hi</p>'


def test_unclosed_markup_is_closed():
    assert sanitize_html("<p><em>Unclosed") == "<p><em>Unclosed</em></p>"
