"""HTML (AO3 and FanFicFare downloads, any page), Markdown, EPUB, DOCX and zip archives."""

from __future__ import annotations

import pytest

from ficarchive.importing.parsed import UnreadableFile
from ficarchive.importing.readers import read, read_many
from ficarchive.tags.models import MATURE, TEEN
from tests.importing.conftest import build_docx, build_epub, build_zip, data_file


@pytest.fixture
def ao3():
    return read("ao3-download.html", data_file("ao3-download.html"))


def test_ao3_download_preface_is_read_field_by_field(ao3):
    assert ao3.format == "ao3-html"
    assert ao3.title == "Salt and Cinders"
    assert ao3.creators == ["mossandmarrow", "tidewrack"]
    assert (ao3.rating, ao3.rating_source) == (MATURE, "stated")
    assert ao3.warnings == ["Graphic Depictions Of Violence", "Major Character Death"]
    assert ao3.categories == ["F/F"]
    assert ao3.fandoms == ["The Lantern Chronicles"]
    assert ao3.relationships == ["Wren Ashdown/Mira Vell"]
    assert ao3.characters == ["Wren Ashdown", "Mira Vell", "Old Tobias"]
    assert ao3.freeforms == ["Angst", "Smoke, Fire, and Ash"]
    assert ao3.language == "en"
    assert (ao3.series.name, ao3.series.part) == ("Lamps of Ferrier Street", 2)
    assert (ao3.complete, ao3.expected_chapters) == (False, 3)
    assert (str(ao3.published), str(ao3.updated)) == ("2024-02-03", "2024-03-09")


def test_ao3_summary_notes_and_chapters(ao3):
    assert "<em>someone</em>" in ao3.summary
    assert "beta reader Lowtide" in ao3.begin_notes
    assert ao3.end_notes == "<p>The last chapter is half written.</p>"
    assert [c.title for c in ao3.chapters] == ["Smoke", ""]
    first = ao3.chapters[0]
    assert first.summary == "<p>The fire starts.</p>"
    assert first.begin_notes == "<p>Content note: a building burns.</p>"
    assert first.end_notes == "<p>More soon.</p>"
    assert "drop by the archive" not in "".join(c.body for c in ao3.chapters)
    assert ao3.words == 35
    assert [(c.role, c.name) for c in ao3.credits] == [("beta", "Lowtide")]


def test_fanficfare_html_title_table_and_sections():
    work = read("fanficfare.html", data_file("fanficfare.html"))
    assert work.format == "fanficfare-html"
    assert work.title == "The Clockmaker's Debt"
    assert work.creators == ["Ferris Quell"]
    assert work.fandoms == ["Gears of Aldmoor"]
    assert work.characters == ["Ida Brass", "Pell"]
    assert work.rating == TEEN
    assert (work.complete, work.expected_chapters) == (True, 2)
    assert "<i>one hour</i>" in work.summary
    assert [c.title for c in work.chapters] == ["1. Wound Tight", "2. Unwinding"]
    assert work.words == 27  # counted from the text, not the file's claimed 99,999


def test_plain_html_page_is_split_at_its_chapter_headings():
    page = (
        "<html><head><title>Paper Boats</title></head><body>"
        "<p>Rating: T</p><h2>Chapter 1: Folding</h2><p>She folded the first boat.</p>"
        "<hr><p>It sank.</p><h2>Chapter 2: Floating</h2><p>The second one floated.</p>"
        "</body></html>"
    )
    work = read("boats.htm", page.encode())
    assert work.title == "Paper Boats"
    assert work.rating == TEEN
    assert [c.title for c in work.chapters] == ["Folding", "Floating"]
    assert '<p align="center">* * *</p>' in work.chapters[0].body


def test_markdown_headings_and_fields():
    work = read("story.md", data_file("story.md"))
    assert work.format == "markdown"
    assert work.title == "The Ferryman's Ledger"
    assert work.rating == TEEN
    assert work.fandoms == ["Original Work"]
    assert [c.title for c in work.chapters] == ["Low Water", "High Water"]
    assert "<em>low water</em>" in work.chapters[0].body


def test_generic_epub_reads_opf_metadata_and_spine_in_order():
    data = build_epub(
        [
            ("One", "<h1>Chapter One</h1><p>The orchard rang at noon.</p>"),
            ("Two", "<h1>Chapter Two: Windfall</h1><p>The glass apples fell.</p>"),
        ],
        subjects=("Magical Realism",),
    )
    work = read("orchard.epub", data)
    assert work.format == "epub"
    assert work.title == "The Glass Orchard"
    assert work.creators == ["Pim Halloway"]
    assert work.language == "en"
    assert str(work.published) == "2020-01-02"
    assert "ring like bells" in work.summary
    assert work.freeforms == ["Magical Realism"]
    assert [c.title for c in work.chapters] == ["", "Windfall"]
    assert work.chapters[1].text_start() == "The glass apples fell."


def test_fanficfare_epub_title_page_fields_win():
    title_page = (
        '<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
        '<head><title>t</title></head><body class="fff_titlepage">'
        '<h3><a href="#">The Glass Orchard</a> by <a class="authorlink" href="#">Pim</a></h3>'
        "<div><b>Category:</b> Orchard Tales<br/><b>Rating:</b> M<br/>"
        "<b>Status:</b> Completed<br/><b>Chapters:</b> 1<br/></div></body></html>"
    )
    data = build_epub(
        [("Chapter 1", '<h3 class="fff_chapter_title">Chapter 1</h3><div><p>Ring.</p></div>')],
        title_page=title_page,
        subjects=("FanFiction", "Completed"),
    )
    work = read("fff.epub", data)
    assert work.format == "fanficfare-epub"
    assert work.creators == ["Pim"]
    assert work.fandoms == ["Orchard Tales"]
    assert work.rating == MATURE
    assert (work.complete, work.expected_chapters) == (True, 1)
    assert work.chapters[0].body == "<div><p>Ring.</p></div>"


def test_docx_headings_make_chapters():
    data = build_docx(
        [
            ("Heading1", "Chapter 1: Thaw"),
            ("", "The river cracked at dawn, loud as a door."),
            ("Heading1", "Chapter 2: Flood"),
            ("", "By noon the lower town was wet to the knees."),
        ]
    )
    work = read("river.docx", data)
    assert work.format == "docx"
    assert work.title == "river"
    assert [c.title for c in work.chapters] == ["Thaw", "Flood"]
    assert work.words == 19


def test_zip_of_files_gives_one_work_each_and_reports_the_unreadable():
    data = build_zip(
        {
            "one.txt": "The first lantern.\n",
            "two.md": "# Second\n\nThe second lantern.\n",
            "empty.txt": "",
            "cover.png": b"\x89PNG\r\n",
        }
    )
    results = read_many("lanterns.zip", data)
    works = [r for r in results if not isinstance(r, UnreadableFile)]
    errors = [r for r in results if isinstance(r, UnreadableFile)]
    assert sorted(w.source for w in works) == ["lanterns.zip/one.txt", "lanterns.zip/two.md"]
    assert sorted(e.name for e in errors) == ["lanterns.zip/cover.png", "lanterns.zip/empty.txt"]


def test_a_file_without_extension_is_sniffed():
    work = read("download", b"<html><body><p>Only a paragraph.</p></body></html>")
    assert work.format == "html"


def test_fanfiction_net_page_saved_from_the_browser():
    work = read("ffn-page.html", data_file("ffn-page.html"))
    assert work.format == "ffn-html"
    assert work.title == "The Borrowed Broom"
    assert work.creators == ["Bramble Finch"]
    assert work.fandoms == ["Harry Potter"]
    assert work.rating == "General Audiences"
    assert work.language == "en"
    assert work.freeforms == ["Humor", "Friendship"]
    assert work.relationships == ["Neville L./Luna L."]
    assert work.characters == ["Neville L.", "Luna L.", "Ginny W."]
    assert (work.complete, work.expected_chapters) == (True, 3)
    assert (str(work.published), str(work.updated)) == ("2023-07-22", "2023-11-14")
    assert work.chapters[0].title == "Lessons"
    assert work.chapters[0].text_start().startswith("The broom bucked twice")


def ao3_epub() -> bytes:
    """AO3's EPUB, as its converter splits the HTML download: the preface in one document,
    each chapter in its own (inside a copy of the `#chapters` wrapper), then the afterword."""
    import lxml.html

    page = lxml.html.fromstring(data_file("ao3-download.html"))
    markup = lambda element: lxml.html.tostring(element, encoding="unicode")  # noqa: E731
    preface = page.get_element_by_id("preface")
    chapters: list[list[str]] = []
    for part in page.get_element_by_id("chapters"):
        if part.find("h2") is not None:
            chapters.append([])
        chapters[-1].append(markup(part))
    documents = [
        (f"Chapter {number}", f'<div id="chapters" class="userstuff">{"".join(parts)}</div>')
        for number, parts in enumerate(chapters, start=1)
    ]
    documents.append(("Afterword", markup(page.get_element_by_id("afterword"))))
    title_page = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        f"<head><title>Preface</title></head><body>{markup(preface)}</body></html>"
    )
    return build_epub(
        documents,
        title="Salt and Cinders",
        creator="mossandmarrow",
        subjects=("Mature", "The Lantern Chronicles", "Angst"),
        title_page=title_page,
    )


def test_ao3_epub_reads_the_same_as_the_ao3_html_download(ao3):
    work = read("Salt and Cinders.epub", ao3_epub())
    assert work.format == "ao3-epub"
    for field in (
        "title", "creators", "rating", "warnings", "categories", "fandoms", "relationships",
        "characters", "freeforms", "language", "series", "complete", "expected_chapters",
        "published", "updated", "summary", "begin_notes", "end_notes",
    ):  # fmt: skip
        assert getattr(work, field) == getattr(ao3, field), field
    assert [c.title for c in work.chapters] == ["Smoke", ""]
    assert [(c.summary, c.begin_notes, c.end_notes) for c in work.chapters] == [
        (c.summary, c.begin_notes, c.end_notes) for c in ao3.chapters
    ]
    assert work.words == ao3.words == 35
    assert "drop by the archive" not in "".join(c.body for c in work.chapters)
