"""The checker finds each kind of live markup, in pages, feeds and EPUB files, and lets the
archive's own markup be: a hostile test is only as good as what it can see."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.hostile.checker import check_epub, check_html, check_plain_text, check_xml

OWN_PAGE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width">'
    '<link rel="icon" href="data:,"><link rel="stylesheet" href="/static/ficarchive/site.css">'
    '<script src="/static/ficarchive/vendor/htmx.min.js" defer></script></head><body>'
    '<form method="post" action="/works/1/kudos" hx-post="/works/1/kudos" hx-target="#kudos">'
    '<input name="q" hx-get="/tags/autocomplete" hx-trigger="input changed delay:250ms"></form>'
    '<a href="https://example.org/" rel="nofollow">out</a><a href="mailto:a@example.org">m</a>'
    '<p style="text-align: center">XV001-body &lt;script&gt;alert(1)&lt;/script&gt;</p>'
    '<img src="https://images.example/a.png"><svg class="chart"><title>t</title></svg>'
    "</body></html>"
)

LIVE = [
    "<script>alert(1)</script>",
    '<script src="https://evil.example/x.js"></script>',
    '<script src="/static/x.js">alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="  JaVa&#x09;Script:alert(1)">x</a>',
    '<a href="&#1;javascript:alert(1)">x</a>',
    '<a href="vbscript:x">x</a>',
    '<a href="data:text/html,x">x</a>',
    '<img src="https://a.example/x.png" srcset="javascript:alert(1) 2x">',
    '<form action="https://evil.example/"><input></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<iframe src="https://example.org"></iframe>',
    '<iframe srcdoc="x"></iframe>',
    "<object data=x></object>",
    "<embed src=x>",
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<link rel="stylesheet" href="//evil.example/x.css">',
    "<style>@import 'x.css';</style>",
    '<p style="background:url(https://evil.example/t.png)">x</p>',
    '<p style="width:expr/**/ession(alert(1))">x</p>',
    '<p style="x:\\65xpression(1)">x</p>',
    '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
    '<svg><set attributeName="href" to="javascript:alert(1)"/></svg>',
    "<math><mi><template><img src=x onerror=alert(1)></template></mi></math>",
    '<div hx-on:click="alert(1)">x</div>',
    '<div hx-get="/logout" hx-trigger="load">x</div>',
    '<div hx-get="https://evil.example/">x</div>',
    "<div data-hx-vals='js:{a:1}'>x</div>",
    "<noscript><p>x</p></noscript>",
]


def test_the_archives_own_page_passes():
    assert check_html(OWN_PAGE, "/") == []


@pytest.mark.parametrize("markup", LIVE)
def test_live_markup_is_found_and_labelled(markup):
    findings = check_html(f"<p>XV007-summary {markup}</p>", "/works/1")
    assert findings, markup
    assert findings[0].label == "vector 7 in summary"
    assert findings[0].where == "/works/1"


def test_scripts_of_our_own_are_found_where_none_belong():
    script = '<script src="/static/ficarchive/vendor/htmx.min.js"></script>'
    assert check_html(script, "/downloads/works/1.html", own_scripts=False)


def test_feeds_are_checked_as_xml_and_their_html_content_as_html():
    feed = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>XV003-title &lt;b&gt;</title>'
        b'<entry><link href="javascript:alert(1)"/>'
        b'<content type="html">XV004-body &lt;img src=x onerror=alert(1)&gt;</content></entry>'
        b'<entry><summary type="text">XV005-body &lt;img src=x onerror=alert(1)&gt;</summary>'
        b"</entry></feed>"
    )
    findings = check_xml(feed, "/works/1/feed.atom")
    assert [(f.label, f.what[:14]) for f in findings] == [
        ("vector 3 in title", "a javascript: "),
        ("vector 4 in body", "an event handl"),
    ]


def test_every_file_of_an_epub_is_checked():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as book:
        book.writestr("mimetype", "application/epub+zip")
        book.writestr(
            "EPUB/chapter001.xhtml",
            '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>XV002-body</p>'
            "<script>alert(1)</script></body></html>",
        )
        book.writestr("EPUB/nav.xhtml", '<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>')
    findings = check_epub(data.getvalue(), "1.epub")
    assert {f.where for f in findings} == {
        "1.epub!EPUB/chapter001.xhtml",
        "1.epub!EPUB/chapter001.xhtml (as HTML)",
    }
    assert all(f.label == "vector 2 in body" for f in findings)


def test_a_text_download_must_be_served_as_plain_text():
    assert check_plain_text("text/plain; charset=utf-8", "1.txt") == []
    assert check_plain_text("text/html; charset=utf-8", "1.txt")
