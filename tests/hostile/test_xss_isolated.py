"""Each XSS vector alone, through every step that turns what a user typed into markup: the
sanitizer in each text format, and the converter after it that writes EPUB and HTML downloads.
In the whole-archive tests vectors share a field; here none can hide behind the one before it.
"""

from __future__ import annotations

import pytest

from ficarchive.exporting.xhtml import to_xhtml
from ficarchive.text import BodyFormat, render_body
from tests.hostile.checker import check_html, check_xml
from tests.hostile.surfaces import explain
from tests.hostile.vectors import labelled, xss_vectors

FORMATS = [BodyFormat.HTML, BodyFormat.MARKDOWN, BodyFormat.PLAIN]


def _rendered() -> list[tuple[int, str, str]]:
    """(vector, format, sanitized HTML) for each vector in each format."""
    return [
        (number, str(fmt), render_body(labelled(number, f"{fmt}-body"), fmt))
        for number in range(len(xss_vectors()))
        for fmt in FORMATS
    ]


def test_the_sanitizer_leaves_no_vector_live_in_any_format():
    findings = [
        finding
        for number, fmt, html in _rendered()
        for finding in check_html(html, f"vector {number} as {fmt}", own_scripts=False)
    ]
    assert not findings, explain(findings)


def test_the_download_converters_leave_no_vector_live():
    findings = []
    for number, fmt, html in _rendered():
        where = f"vector {number} as {fmt}"
        for images in (True, False):  # the HTML download keeps images, EPUB links to them
            xhtml = to_xhtml(html, base_url="https://archive.example/", images=images)
            document = f'<div xmlns="http://www.w3.org/1999/xhtml">{xhtml}</div>'.encode()
            findings.extend(check_xml(document, f"{where}, XHTML"))
            findings.extend(check_html(xhtml, f"{where}, XHTML read as HTML", own_scripts=False))
    assert not findings, explain(findings)


@pytest.mark.parametrize("raw", ["<script>x</script>", "<img src=x onerror=alert(1)>"])
def test_the_checker_finds_live_markup(raw):
    """The tests above can fail: unsanitized, the same input is found."""
    assert check_html(f"XV001-body {raw}", "raw")
