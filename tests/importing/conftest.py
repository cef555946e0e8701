"""Helpers that build the importer's test files: EPUB, DOCX and zip archives are written here,
from text in the tests, so every hostile or friendly file is visible in the test that uses it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tests.importing.archivists import archie, immediate_tasks  # noqa: F401 - archivist imports
from tests.tags.conftest import wendy  # noqa: F401 - the wrangler, for canonical tags

DATA = Path(__file__).resolve().parent.parent / "data" / "importing"


def data_file(name: str) -> bytes:
    return (DATA / name).read_bytes()


def build_zip(members: dict[str, bytes | str], *, stored: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            compression = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=compression)
    return buffer.getvalue()


CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>"""


def build_epub(
    chapters: list[tuple[str, str]],
    *,
    title: str = "The Glass Orchard",
    creator: str = "Pim Halloway",
    subjects: tuple[str, ...] = (),
    extra_metadata: str = "",
    title_page: str | None = None,
) -> bytes:
    """An EPUB 2 book: one XHTML document per (title, body HTML) chapter, in spine order."""
    documents: dict[str, str] = {}
    if title_page is not None:
        documents["title_page.xhtml"] = title_page
    for number, (heading, body) in enumerate(chapters, start=1):
        documents[f"chapter{number}.xhtml"] = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<html xmlns="http://www.w3.org/1999/xhtml"><head>'
            f"<title>{heading}</title></head><body>{body}</body></html>"
        )
    manifest = "".join(
        f'<item id="d{i}" href="{name}" media-type="application/xhtml+xml"/>'
        for i, name in enumerate(documents)
    )
    spine = "".join(f'<itemref idref="d{i}"/>' for i in range(len(documents)))
    subject_xml = "".join(f"<dc:subject>{s}</dc:subject>" for s in subjects)
    opf = f"""<?xml version="1.0" encoding="utf-8"?>
<package version="2.0" xmlns="http://www.idpf.org/2007/opf" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
    <dc:identifier id="id">test-book</dc:identifier>
    <dc:title>{title}</dc:title>
    <dc:creator opf:role="aut">{creator}</dc:creator>
    <dc:language>en</dc:language>
    <dc:date opf:event="publication">2020-01-02</dc:date>
    <dc:description>Apples that ring like bells.</dc:description>
    {subject_xml}{extra_metadata}
  </metadata>
  <manifest>{manifest}</manifest>
  <spine>{spine}</spine>
</package>"""
    members: dict[str, bytes | str] = {
        "mimetype": "application/epub+zip",
        "META-INF/container.xml": CONTAINER,
        "OEBPS/content.opf": opf,
    }
    members.update({f"OEBPS/{name}": text for name, text in documents.items()})
    return build_zip(members, stored=("mimetype",))


def build_docx(paragraphs: list[tuple[str, str]]) -> bytes:
    """A minimal Word document: (style, text) paragraphs, style "" or "Heading1"."""
    body = "".join(
        "<w:p>"
        + (f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else "")
        + f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
        for style, text in paragraphs
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    styles = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>'
        "</w:styles>"
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    doc_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/></Relationships>'
    )
    return build_zip(
        {
            "[Content_Types].xml": content_types,
            "_rels/.rels": rels,
            "word/document.xml": document,
            "word/styles.xml": styles,
            "word/_rels/document.xml.rels": doc_rels,
        }
    )
