"""The EPUB writer: valid under epubcheck, well-formed XHTML, metadata that e-readers file by."""

from __future__ import annotations

import io
import zipfile

from django.contrib.auth.models import AnonymousUser
from lxml import etree

from ficarchive.exporting.book import Site, series_book, work_book
from ficarchive.exporting.formats import epub
from ficarchive.works import actions
from tests.conftest import post_work

SITE = Site("ficarchive", "http://testserver")
OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
XHTML = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


def files_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


BLOCKS = {"title", "h1", "h2", "h3", "p", "div", "dt", "dd", "li", "blockquote", "section", "tr"}


def text_of(content: bytes) -> str:
    """The document's text as a reader sees it: blocks apart, inline markup run together."""
    root = etree.fromstring(content)
    for element in root.iter():
        if etree.QName(element).localname in BLOCKS:
            element.text = " " + (element.text or "")
            element.tail = " " + (element.tail or "")
    return " ".join("".join(root.itertext()).split())


def test_rich_work_with_hostile_markup_passes_epubcheck(rich_work, epubcheck):
    epubcheck(epub.write(work_book(rich_work, AnonymousUser(), SITE)))


def test_every_xhtml_file_is_well_formed_xhtml(rich_work):
    files = files_of(epub.write(work_book(rich_work, AnonymousUser(), SITE)))
    pages = [name for name in files if name.endswith(".xhtml")]
    assert len(pages) == 5  # nav, title page, two chapters, afterword
    for name in pages:
        root = etree.fromstring(files[name])
        assert root.tag == "{http://www.w3.org/1999/xhtml}html", name


def test_mimetype_comes_first_and_uncompressed(rich_work):
    data = epub.write(work_book(rich_work, AnonymousUser(), SITE))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/epub+zip"
    assert data[30:58] == b"mimetypeapplication/epub+zip"


def test_package_metadata_names_the_work_for_readers_and_update_tools(rich_work):
    files = files_of(epub.write(work_book(rich_work, AnonymousUser(), SITE)))
    package = etree.fromstring(files["EPUB/package.opf"])
    url = f"http://testserver/works/{rich_work.pk}"

    def values(path: str) -> list[str]:
        return [node.text for node in package.xpath(path, namespaces=OPF)]

    # The package's identifier is the address; calibre keeps an identifier with a scheme, and
    # in EPUB 3 (which refuses EPUB 2's opf:scheme) it reads that from the value: "url:…".
    assert values("//dc:identifier") == [url, f"url:{url}"]
    assert values("//opf:meta[@refines='#book-id'][@property='identifier-type']") == ["URL"]
    assert package.get("unique-identifier") == "book-id"
    assert values("//dc:source") == [url]
    assert values("//dc:title") == [rich_work.title]
    assert values("//dc:creator") == ["alice", "bob"]
    assert values("//dc:contributor") == ["Sam Reader"]
    assert values("//dc:language") == ["en"]
    assert values("//dc:publisher") == ["ficarchive"]
    assert values("//dc:description") == ["A keeper, a gull & the rain."]
    assert {"Mature", "Lighthouses", "Keeper & Gull", "The Keeper", "Slow Burn"} <= set(
        values("//dc:subject")
    )
    assert values("//opf:meta[@property='belongs-to-collection']") == ["The Lamp Cycle"]
    assert values("//opf:meta[@property='group-position']") == ["1"]
    assert len(values("//opf:meta[@property='dcterms:modified']")[0]) == len("2024-01-01T00:00:00Z")
    assert values("//dc:date")[0].startswith(f"{rich_work.published_at:%Y-%m-%d}T")


def test_title_page_shows_every_piece_of_metadata(rich_work):
    files = files_of(epub.write(work_book(rich_work, AnonymousUser(), SITE)))
    page = text_of(files["EPUB/title.xhtml"])
    for expected in [
        rich_work.title,
        "by alice, bob",
        "Beta reader: Sam Reader",
        "Rating: Mature",
        "Archive Warning: No Archive Warnings Apply",
        "Category: Gen",
        "Fandoms: Lighthouses, Original Work",
        "Relationship: Keeper & Gull",
        "Character: The Keeper",
        "Additional Tags: Rain, Slow Burn",
        "Language: English",
        "Part 1 of 1 of The Lamp Cycle",
        "Chapters: 2/2",
        "Summary A keeper, a gull & the rain.",
        "Notes Written for a friend.",
    ]:
        assert expected in page


def test_chapter_files_hold_title_summary_notes_and_text_in_order(rich_work):
    files = files_of(epub.write(work_book(rich_work, AnonymousUser(), SITE)))
    page = text_of(files["EPUB/chapter001.xhtml"])
    order = [
        "Chapter 1: The Storm",
        "Chapter summary Rain.",
        "Chapter notes Chapter notes.",
        "Unclosed bold and italic",
        "東京の夜",
        "مرحبا بالعالم",
        "Chapter end notes Chapter end notes.",
    ]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)
    assert "The second chapter, short." in text_of(files["EPUB/chapter002.xhtml"])


def test_markup_becomes_valid_xhtml_keeping_scene_breaks_and_meaning(rich_work):
    files = files_of(epub.write(work_book(rich_work, AnonymousUser(), SITE)))
    chapter = files["EPUB/chapter001.xhtml"].decode()
    assert "non-breaking\u00a0space" not in chapter  # the &nbsp; became the character…
    assert "A\u00a0non-breaking space" in chapter
    assert "line<br/>break" in chapter
    assert '<p style="text-align: center"><b><i>* * *</i></b></p>' in chapter
    assert '<div style="text-align: center"><b><i>~ centered ~</i></b></div>' in chapter
    assert "<hr/>" in chapter
    assert '<a href="http://testserver/works/1"' in chapter  # relative links go absolute
    assert '<a href="https://images.example/picture.png">[Image: a picture]</a>' in chapter
    assert "<img" not in chapter  # EPUB may not load remote images
    assert "\x0b" not in chapter and "\x07" not in chapter
    assert "<center" not in chapter and "align=" not in chapter


def test_every_page_uses_the_book_s_stylesheet_which_keeps_scene_breaks(rich_work):
    files = files_of(epub.write(work_book(rich_work, AnonymousUser(), SITE)))
    package = etree.fromstring(files["EPUB/package.opf"])
    (style,) = package.xpath("//opf:item[@href='style.css']", namespaces=OPF)
    assert style.get("media-type") == "text/css"
    for name in [name for name in files if name.endswith(".xhtml")]:
        page = etree.fromstring(files[name])
        assert page.xpath("//x:link[@rel='stylesheet']/@href", namespaces=XHTML) == ["style.css"]
    css = files["EPUB/style.css"].decode()
    assert "hr {" in css and "margin: 2em auto" in css  # a scene break stands apart
    assert "<hr/>" in files["EPUB/chapter001.xhtml"].decode()


def test_afterword_links_back_to_the_work_and_its_comments(rich_work):
    files = files_of(epub.write(work_book(rich_work, AnonymousUser(), SITE)))
    afterword = files["EPUB/afterword.xhtml"].decode()
    assert "Thanks for reading!" in afterword
    assert f'href="http://testserver/works/{rich_work.pk}#comments"' in afterword


def test_table_of_contents_lists_every_file_in_nav_and_ncx(rich_work):
    files = files_of(epub.write(work_book(rich_work, AnonymousUser(), SITE)))
    nav = etree.fromstring(files["EPUB/nav.xhtml"])
    toc = nav.xpath("//x:nav[@epub:type='toc']//x:a", namespaces=XHTML)
    assert [a.text for a in toc] == ["Preface", "Chapter 1: The Storm", "Chapter 2", "Afterword"]
    ncx = etree.fromstring(files["EPUB/toc.ncx"])
    points = ncx.xpath("//n:navPoint/@playOrder", namespaces={"n": ncx.nsmap[None]})
    assert points == ["1", "2", "3", "4"]


def test_same_work_gives_the_same_bytes(rich_work):
    book = work_book(rich_work, AnonymousUser(), SITE)
    assert epub.write(book) == epub.write(work_book(rich_work, AnonymousUser(), SITE))


def test_right_to_left_work_reads_right_to_left_and_validates(alice, epubcheck):
    work = post_work(alice, "الليل", language="ar", chapters=["<p>مرحبا بالعالم</p>"])
    files = files_of(data := epub.write(work_book(work, AnonymousUser(), SITE)))
    assert 'page-progression-direction="rtl"' in files["EPUB/package.opf"].decode()
    assert 'lang="ar" xml:lang="ar" dir="rtl"' in files["EPUB/chapter001.xhtml"].decode()
    epubcheck(data)


def test_series_is_one_book_of_its_visible_parts(alice, carol, epubcheck):
    first = post_work(alice, "Part One", chapters=["<p>One.</p>", "<p>One, again.</p>"])
    hidden = post_work(alice, "Part Two, restricted", restricted=True)
    third = post_work(alice, "Part Three")
    series = actions.create_series(alice, "The Cycle", summary="<p>Three nights.</p>")
    for work in (first, hidden, third):
        actions.add_work_to_series(alice, work, series)

    data = epub.write(series_book(series, AnonymousUser(), SITE))
    files = files_of(data)
    nav = text_of(files["EPUB/nav.xhtml"])
    assert "Part 1: Part One" in nav and "Part 2: Part Three" in nav
    assert "restricted" not in nav
    assert "Three nights." in text_of(files["EPUB/series.xhtml"])
    package = files["EPUB/package.opf"].decode()
    assert f'<dc:identifier id="book-id">http://testserver/series/{series.pk}<' in package
    epubcheck(data)

    for_carol = files_of(epub.write(series_book(series, carol, SITE)))
    assert "Part 2: Part Two, restricted" in text_of(for_carol["EPUB/nav.xhtml"])
