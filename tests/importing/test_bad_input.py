"""Hostile and broken files are refused with the file's name and the reason."""

from __future__ import annotations

import random

import pytest

from ficarchive.importing import safety
from ficarchive.importing.parsed import ACTIVE_CONTENT, UnreadableFile
from ficarchive.importing.readers import read, read_many
from tests.importing.conftest import CONTAINER, build_epub, build_zip


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(UnreadableFile) as caught:
        read(name, data)
    assert str(caught.value).startswith(f"{name}: ")
    return caught.value.reason


def test_empty_file_is_refused():
    assert "empty" in refusal("nothing.txt", b"")
    assert "empty" in refusal("blank.txt", b"  \n\n ")


def test_binary_file_is_refused():
    assert "binary" in refusal("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)


def test_unknown_encoding_is_refused():
    noise = bytes(random.Random(6).randrange(128, 256) for _ in range(3000))
    assert "encoding" in refusal("garbled.txt", noise)


def test_broken_utf16_is_refused():
    assert "utf-16" in refusal("half.txt", b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00\xd8")


def test_file_over_the_size_limit_is_refused(settings):
    settings.MAX_UPLOAD_BYTES = 1000
    assert "the most the importer reads is 1,000" in refusal("long.txt", b"word " * 300)


def test_unsupported_extension_is_refused():
    assert ".pdf files are not supported" in refusal("story.pdf", b"%PDF-1.4 text")


def test_zip_bomb_is_refused_before_anything_is_unpacked():
    bomb = build_zip({"story.txt": b"\0" * 5_000_000})
    assert len(bomb) < 50_000
    [error] = read_many("bomb.zip", bomb)
    assert isinstance(error, UnreadableFile)
    assert "zip bomb" in error.reason


def test_archive_unpacking_past_the_total_limit_is_refused(monkeypatch):
    monkeypatch.setattr(safety, "MAX_UNPACKED_BYTES", 10_000)
    data = build_zip({f"part{i}.txt": bytes(random.Random(i).randbytes(6000)) for i in range(3)})
    [error] = read_many("many.zip", data)
    assert "would unpack to 18,000 bytes" in str(error)


def test_epub_bomb_is_refused():
    epub = build_epub([("One", "<p>" + "a" * 3_000_000 + "</p>")])
    assert "zip bomb" in refusal("huge.epub", epub)


def test_epub_that_is_not_a_zip_is_refused():
    assert "damaged or not a zip" in refusal("broken.epub", b"PK\x03\x04 truncated")


def test_epub_without_container_is_refused():
    data = build_zip({"mimetype": "application/epub+zip", "OEBPS/a.xhtml": "<p>x</p>"})
    assert "lacks META-INF/container.xml" in refusal("nocontainer.epub", data)


def test_epub_with_broken_package_is_refused():
    data = build_zip(
        {
            "mimetype": "application/epub+zip",
            "META-INF/container.xml": CONTAINER,
            "OEBPS/content.opf": "",
        }
    )
    assert "content.opf" in refusal("badopf.epub", data)


def test_epub_scripts_are_removed_and_noted():
    data = build_epub(
        [
            (
                "One",
                '<p onclick="steal()">The orchard rang.</p><script>steal()</script>'
                '<p><a href="javascript:steal()">link</a></p>',
            )
        ]
    )
    work = read("scripted.epub", data)
    body = work.chapters[0].body
    assert "script" not in body
    assert "onclick" not in body
    assert "javascript" not in body
    assert "The orchard rang." in body
    assert ACTIVE_CONTENT in work.problems


def test_html_scripts_are_removed_and_noted():
    page = b"<html><body><p>Rain.</p><script>alert(1)</script></body></html>"
    work = read("rain.html", page)
    assert work.chapters[0].body == "<p>Rain.</p>"
    assert ACTIVE_CONTENT in work.problems


def test_broken_docx_is_refused():
    assert "damaged or not a zip" in refusal("broken.docx", b"not a word document at all")


def test_docx_without_its_text_is_refused():
    data = build_zip({"[Content_Types].xml": "<Types/>", "word/styles.xml": "<x/>"})
    assert "lacks its text" in refusal("hollow.docx", data)


def test_docx_with_damaged_xml_is_refused():
    data = build_zip(
        {
            "[Content_Types].xml": "<Types/>",
            "_rels/.rels": "<Relationships",
            "word/document.xml": "<w:document>",
        }
    )
    assert "Word document" in refusal("damaged.docx", data)


def test_one_bad_member_does_not_stop_the_rest_of_a_zip():
    data = build_zip({"good.txt": "A good story.\n", "bad.epub": b"garbage"})
    results = read_many("mixed.zip", data)
    assert [type(r).__name__ for r in results] == ["ParsedWork", "UnreadableFile"]


def test_file_with_only_metadata_is_refused():
    reason = refusal("header-only.txt", b"Title: Nothing Here\nRating: T\nFandom: Gears\n")
    assert reason == "no story text was found in the file."
