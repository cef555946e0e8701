"""The bad-file corpus: files an attacker or a broken tool sends, each with the reason the
importer must give for refusing it. Built here rather than stored, so that every byte of each
is visible (and the bombs take no room in the repository)."""

from __future__ import annotations

import codecs
import gzip
import random
import struct
from dataclasses import dataclass

from tests.importing.conftest import CONTAINER, build_docx, build_epub, build_zip

STORY = "The tide came in over the glass orchard, and the bells rang under water.\n\n" * 20


@dataclass(frozen=True)
class Hostile:
    name: str
    data: bytes
    reason: str  # what the refusal must say, after "NAME: "
    shown_as: str = ""  # the name the refusal gives, when not NAME (a zip's member)

    @property
    def refused_name(self) -> str:
        return self.shown_as or self.name


def _xml_header(body: str) -> str:
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body


XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
LAUGHS = (
    '<!DOCTYPE x [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
    '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
    '<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">'
    '<!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">]>\n'
)


def epub_with(member: str, replace: str, by: str) -> bytes:
    """A good EPUB whose MEMBER has REPLACE swapped for BY (an entity, a doctype)."""
    import io
    import zipfile

    good = build_epub([("One", "<p>" + STORY + "</p>")])
    source = zipfile.ZipFile(io.BytesIO(good))
    members: dict[str, bytes | str] = {}
    for info in source.infolist():
        text = source.read(info).decode("utf-8")
        if info.filename == member:
            assert replace in text
            text = text.replace(replace, by, 1)
        members[info.filename] = text
    return build_zip(members, stored=("mimetype",))


def docx_with(replace: str, by: str) -> bytes:
    import io
    import zipfile

    good = build_docx([("", STORY)])
    source = zipfile.ZipFile(io.BytesIO(good))
    members: dict[str, bytes | str] = {}
    for info in source.infolist():
        text = source.read(info).decode("utf-8")
        if info.filename == "word/document.xml":
            text = text.replace(replace, by, 1)
        members[info.filename] = text
    return build_zip(members)


def lying_zip(claimed: int) -> bytes:
    """A zip whose one member says it unpacks to CLAIMED bytes (it holds about 1,500)."""
    data = bytearray(build_zip({"story.txt": STORY}, stored=("story.txt",)))
    local = data.index(b"PK\x03\x04")
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, claimed)
    struct.pack_into("<I", data, central + 24, claimed)
    return bytes(data)


def junk(seed: int) -> bytes:
    return random.Random(seed).randbytes(5000)


def corpus() -> list[Hostile]:
    epub = build_epub([("One", "<p>" + STORY + "</p>")])
    docx = build_docx([("", STORY)])
    zipped = build_zip({"story.txt": STORY})
    return [
        # zip bombs, by ratio and nested
        Hostile("bomb.zip", build_zip({"story.txt": b"\0" * 5_000_000}), "looks like a zip bomb"),
        Hostile("bomb.epub", build_epub([("One", "<p>" + "a" * 3_000_000 + "</p>")]), "zip bomb"),
        Hostile(
            "nested.zip",
            build_zip({"inner.zip": build_zip({"story.txt": b"\0" * 5_000_000})}),
            ".zip files are not read.",
            "nested.zip/inner.zip",
        ),
        Hostile(
            "nested-book.zip",
            build_zip({"book.epub": build_epub([("One", "<p>" + "a" * 3_000_000 + "</p>")])}),
            "looks like a zip bomb",
            "nested-book.zip/book.epub",
        ),
        # XML entities: XXE and billion laughs in every XML an EPUB or DOCX holds
        Hostile(
            "xxe-container.epub",
            epub_with(
                "META-INF/container.xml", '<?xml version="1.0"?>', '<?xml version="1.0"?>' + XXE
            ),
            "META-INF/container.xml in the EPUB declares XML entities",
        ),
        Hostile(
            "xxe-package.epub",
            epub_with("OEBPS/content.opf", "<package", XXE + "<package"),
            "OEBPS/content.opf in the EPUB declares XML entities",
        ),
        Hostile(
            "laughs-package.epub",
            epub_with(
                "OEBPS/content.opf", '<?xml version="1.0" encoding="utf-8"?>', _xml_header(LAUGHS)
            ),
            "OEBPS/content.opf in the EPUB declares XML entities",
        ),
        Hostile(
            "xxe-chapter.epub",
            epub_with(
                "OEBPS/chapter1.xhtml", '<?xml version="1.0" encoding="utf-8"?>', _xml_header(XXE)
            ),
            "OEBPS/chapter1.xhtml in the EPUB declares XML entities",
        ),
        Hostile(
            "laughs-chapter.epub",
            epub_with(
                "OEBPS/chapter1.xhtml",
                '<?xml version="1.0" encoding="utf-8"?>',
                _xml_header(LAUGHS),
            ),
            "OEBPS/chapter1.xhtml in the EPUB declares XML entities",
        ),
        Hostile(
            "xxe.docx",
            docx_with('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>', _xml_header(XXE)),
            "word/document.xml in the Word document declares XML entities",
        ),
        Hostile(
            "laughs.docx",
            docx_with(
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>', _xml_header(LAUGHS)
            ),
            "word/document.xml in the Word document declares XML entities",
        ),
        # names that climb out of the archive
        Hostile(
            "climb.zip", build_zip({"../evil.txt": STORY}), "'../evil.txt', which points outside it"
        ),
        Hostile("root.zip", build_zip({"/etc/evil.txt": STORY}), "which points outside it"),
        Hostile("back.zip", build_zip({"..\\evil.txt": STORY}), "which points outside it"),
        Hostile("drive.zip", build_zip({"C:\\evil.txt": STORY}), "which points outside it"),
        Hostile(
            "climb.epub",
            build_zip(
                {
                    "mimetype": "application/epub+zip",
                    "META-INF/container.xml": CONTAINER,
                    "../../x.xhtml": STORY,
                }
            ),
            "which points outside it",
        ),
        # sizes that lie
        Hostile(
            "lies-small.zip",
            lying_zip(100),
            "story.txt in the archive is damaged",
            "lies-small.zip",
        ),
        Hostile("lies-big.zip", lying_zip(3_000_000_000), "zip bomb"),
        # binary junk under a text name
        Hostile("junk.txt", junk(1), "the file is binary, not text."),
        Hostile("junk.html", junk(2), "the file is binary, not text."),
        Hostile("junk.md", junk(3), "the file is binary, not text."),
        Hostile("junk.epub", junk(4), "the EPUB is damaged or not a zip file."),
        Hostile("junk.docx", junk(5), "the Word document is damaged or not a zip file."),
        Hostile("junk.zip", junk(6), "the zip archive is damaged or not a zip file."),
        Hostile(
            "story.txt.gz.txt",
            gzip.compress(STORY.encode() * 5),
            "binary (gzip-compressed), not text; unpack it first.",
        ),
        # truncated archives
        Hostile("cut.epub", epub[: len(epub) // 2], "the EPUB is damaged or not a zip file."),
        Hostile("cut.docx", docx[: len(docx) // 2], "the Word document is damaged or not a zip"),
        Hostile("cut.zip", zipped[: len(zipped) // 2], "the zip archive is damaged or not a zip"),
        # nothing at all
        *(
            Hostile(f"empty{ext}", b"", "the file is empty.")
            for ext in (".txt", ".html", ".md", ".epub", ".docx", ".zip")
        ),
        # text that is not what it says
        Hostile(
            "noise.txt",
            bytes(random.Random(6).randrange(128, 256) for _ in range(3000)),
            "encoding could not be recognized",
        ),
        Hostile(
            "half.txt",
            codecs.BOM_UTF16_LE
            + "The tide came in.".encode("utf-16-le")
            + b"\x00\xd8"
            + "and out".encode("utf-16-le"),
            "the text is not valid utf-16-le",
        ),
        Hostile(
            "nobom.txt",
            ("The tide came in. " * 20).encode("utf-16-le")
            + b"\x00\xd8"
            + ("And out. " * 20).encode("utf-16-le"),
            "the text is not valid utf-16-le",
        ),
        Hostile(
            "surrogate.epub",
            epub_with("OEBPS/content.opf", "<dc:title>The Glass", "<dc:title>The &#xD800; Glass"),
            "the file's text holds a character that cannot be decoded (a lone surrogate",
        ),
    ]
