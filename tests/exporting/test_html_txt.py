"""The HTML and TXT downloads: one self-contained file each, with the EPUB's metadata."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from lxml import etree

from ficarchive.exporting.book import Site, series_book, work_book
from ficarchive.exporting.formats import FORMATS, html, txt
from ficarchive.works import actions
from tests.conftest import post_work

SITE = Site("ficarchive", "http://testserver")
X = {"x": "http://www.w3.org/1999/xhtml"}


def test_every_format_has_a_name_an_extension_and_a_media_type():
    assert list(FORMATS) == ["epub", "html", "txt"]
    assert [f.MEDIA_TYPE for f in FORMATS.values()] == [
        "application/epub+zip",
        "text/html",
        "text/plain",
    ]


def test_html_download_is_well_formed_and_self_contained(rich_work):
    data = html.write(work_book(rich_work, AnonymousUser(), SITE))
    assert data.startswith(b"<!DOCTYPE html>")
    root = etree.fromstring(data)  # well-formed XML: a strict parser reads it
    assert root.xpath("//x:style", namespaces=X)
    assert not root.xpath("//x:link[@rel='stylesheet'] | //x:script", namespaces=X)
    headings = [h.text for h in root.xpath("//x:h2[@class='chapter-heading']", namespaces=X)]
    assert headings == ["Chapter 1: The Storm", "Chapter 2"]
    toc = root.xpath("//x:nav[@class='book-contents']//x:a/@href", namespaces=X)
    assert toc == ["#work1-chapter1", "#work1-chapter2"]
    text = data.decode()
    assert "Rating:</dt>" in text and "Thanks for reading!" in text
    assert (  # a remote image is a link to click, as on the pages (FICARCHIVE_REMOTE_IMAGES)
        '<a class="remote-image" href="https://images.example/picture.png" '
        'rel="nofollow noopener noreferrer">Show image: a picture (from images.example)</a>'
    ) in text


def test_html_download_has_one_id_per_element(rich_work):
    root = etree.fromstring(html.write(work_book(rich_work, AnonymousUser(), SITE)))
    ids = root.xpath("//@id")
    assert len(ids) == len(set(ids))


def test_series_html_download_is_well_formed_with_hostile_titles(alice):
    first = post_work(alice, "One <b>&amp; \x0c", chapters=["<p>One.</p>"])
    second = post_work(alice, "Two ]]> </title>", chapters=["<p>Two.</p>"])
    series = actions.create_series(
        alice, "S <script>\x0b & ]]>", summary="<p>y<script>alert(1)</script></p>"
    )
    actions.add_work_to_series(alice, first, series)
    actions.add_work_to_series(alice, second, series)
    data = html.write(series_book(series, AnonymousUser(), SITE))
    root = etree.fromstring(data)
    assert root.xpath("string(//x:title)", namespaces=X) == "S <script> & ]]>"
    assert not root.xpath("//x:script", namespaces=X)
    titles = root.xpath("//x:article//x:h1/text()", namespaces=X)
    assert titles == ["One <b>&amp;", "Two ]]> </title>"]  # titles are text, not markup
    ids = root.xpath("//@id")
    assert len(ids) == len(set(ids))


def test_text_download_has_the_metadata_header_and_every_chapter(rich_work):
    text = txt.write(work_book(rich_work, AnonymousUser(), SITE)).decode()
    order = [
        rich_work.title,
        "by alice, bob",
        "Beta reader: Sam Reader",
        "Rating: Mature",
        "Fandoms: Lighthouses, Original Work",
        "Series: Part 1 of 1 of The Lamp Cycle",
        "Summary:\n\nA keeper, a gull & the rain.",
        "Notes:\n\nWritten for a friend.",
        "Chapter 1: The Storm",
        "Chapter summary:\n\nRain.",
        "東京の夜",
        "Chapter 2",
        "End notes:\n\nThanks for reading!",
        f"http://testserver/works/{rich_work.pk}#comments",
    ]
    positions = [text.index(piece) for piece in order]
    assert positions == sorted(positions)
    assert "<" not in text.replace(rich_work.title, "")
    assert all(len(line) <= 78 for line in text.splitlines() if " " in line)


def test_series_text_starts_with_the_series_and_holds_each_part(alice):
    first = post_work(alice, "Night One", chapters=["<p>One.</p>"])
    second = post_work(alice, "Night Two", chapters=["<p>Two.</p>"])
    series = actions.create_series(alice, "Nights", notes="<p>Read in order.</p>")
    actions.add_work_to_series(alice, first, series)
    actions.add_work_to_series(alice, second, series)
    text = txt.write(series_book(series, AnonymousUser(), SITE)).decode()
    assert text.index("Nights") < text.index("Read in order.") < text.index("Night One")
    assert text.index("One.") < text.index("Night Two") < text.index("Two.")
    assert "Series: Part 2 of 2 of Nights" in text
