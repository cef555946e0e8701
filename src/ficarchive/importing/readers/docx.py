"""Word documents (.docx) through mammoth: headings and bold "Chapter" lines start chapters,
and the text is read like any other page."""

from __future__ import annotations

import io
import zipfile

import mammoth

from ficarchive.importing.parsed import ParsedWork, UnreadableFile
from ficarchive.importing.readers import webpage
from ficarchive.importing.safety import open_zip, read_xml_member

EXTENSIONS = (".docx",)
FORMAT = "docx"


def read(name: str, data: bytes) -> ParsedWork:
    archive = open_zip(name, data, "Word document")
    if "word/document.xml" not in archive.namelist():
        raise UnreadableFile(name, "the Word document lacks its text (word/document.xml).")
    for member in archive.namelist():
        if member.endswith((".xml", ".rels")):
            read_xml_member(name, archive, member, "Word document")
    try:
        result = mammoth.convert_to_html(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, AttributeError) as exc:
        raise UnreadableFile(name, "the Word document is damaged.") from exc
    except Exception as exc:  # mammoth raises many kinds of error on damaged XML
        raise UnreadableFile(name, f"the Word document could not be read ({exc}).") from exc
    return webpage.read_markup(name, result.value, FORMAT)
