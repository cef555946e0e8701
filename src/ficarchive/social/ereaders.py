"""Our EPUBs as KOReader knows them, and positions in them.

KOReader names a document by its *partial MD5*: the MD5 of up to twelve 1 KiB samples of the
file at offsets 0, 1 KiB, 4 KiB, 16 KiB, … 1 GiB (`util.partialMD5`; LuaJIT's 32-bit shift
makes the first offset 0), or, when the reader chose so, by the MD5 of the file's name. A
work's EPUB is the same bytes until the work changes (downloads are made from the work's
version, with fixed timestamps in the zip), so each EPUB the archive serves is recorded once
(`record_epub`) with its layout: for each file of its spine, the chapter it holds, and the
blocks of the chapter's text in order.

A KOReader position is an XPointer into a spine file, such as
`/body/DocFragment[3]/body/section/div[2]/p[7]/text().0`: the third spine file, the text's
`div` (the second of the section's divs), its seventh `p`. `place_of` turns it into the
chapter and paragraph (the Nth block of the text, as the web counts them) and `progress_of`
turns a chapter and paragraph back into an XPointer and a percentage of the book.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction
from lxml import etree

from ficarchive.db import without_waiting
from ficarchive.social.models import EpubVersion

logger = logging.getLogger(__name__)

SAMPLE = 1024
XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
_CHAPTER_FILE = re.compile(r"chapter(\d+)\.xhtml$")
_FRAGMENT = re.compile(r"^/body/DocFragment\[(\d+)\](.*)$")
_STEP = re.compile(r"^([A-Za-z][\w.-]*)(?:\[(\d+)\])?")


def partial_md5(content: bytes) -> str:
    """KOReader's partial MD5 of a file's CONTENT."""
    digest = hashlib.md5(usedforsecurity=False)
    for i in range(-1, 11):
        offset = 0 if i < 0 else SAMPLE << (2 * i)
        sample = content[offset : offset + SAMPLE]
        if not sample:
            break
        digest.update(sample)
    return digest.hexdigest()


def name_md5(file_name: str) -> str:
    """The MD5 of a file name, as KOReader's "file name" matching sends it."""
    return hashlib.md5(file_name.encode("utf-8"), usedforsecurity=False).hexdigest()


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text_layout(document: bytes) -> tuple[int, list[list[Any]]]:
    """Where a chapter file's text is (its div's place among the section's divs) and its
    blocks: [tag, whether it starts with text]."""
    root = etree.fromstring(document, parser=etree.XMLParser(resolve_entities=False))
    section = root.find(f"{XHTML}body/{XHTML}section")
    if section is None:
        return 0, []
    divs = [child for child in section if _local(child.tag) == "div"]
    for number, div in enumerate(divs, start=1):
        if "userstuff" in (div.get("class") or "").split():
            blocks = [
                [_local(block.tag), bool((block.text or "").strip())]
                for block in div
                if _local(block.tag)
            ]
            return number, blocks
    return 0, []


def layout_of(content: bytes, chapter_ids: list[int]) -> list[dict[str, Any]]:
    """The spine of the EPUB CONTENT, each file with its chapter (the Nth `chapterNNN.xhtml`
    holds the Nth of CHAPTER_IDS) and its text's layout."""
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        package = etree.fromstring(book.read("EPUB/package.opf"))
        hrefs = {item.get("id"): item.get("href") for item in package.iter(f"{OPF}item")}
        layout: list[dict[str, Any]] = []
        for itemref in package.iter(f"{OPF}itemref"):
            href = hrefs.get(itemref.get("idref"), "")
            match = _CHAPTER_FILE.search(href)
            number = int(match.group(1)) if match else 0
            if not match or not 0 < number <= len(chapter_ids):
                layout.append({"chapter": None, "div": 0, "blocks": []})
                continue
            div, blocks = _text_layout(book.read(f"EPUB/{href}"))
            layout.append({"chapter": chapter_ids[number - 1], "div": div, "blocks": blocks})
    return layout


def record_epub(work_id: int, content: bytes, file_name: str, chapter_ids: list[int]) -> bool:
    """Remember a work's EPUB as served, unless known already; whether it is known now. A
    download is a read: the write is skipped, not waited for, when another writer holds the
    database (the next download tries again)."""
    digest = partial_md5(content)
    if EpubVersion.objects.filter(work_id=work_id, digest=digest).exists():
        return True
    try:
        layout = layout_of(content, chapter_ids)
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        logger.warning("EPUB of work %s: no layout could be read", work_id, exc_info=True)
        return False
    try:
        with without_waiting(), transaction.atomic():
            EpubVersion.objects.create(
                work_id=work_id, digest=digest, name_digest=name_md5(file_name), layout=layout
            )
    except IntegrityError:
        return True  # another process recorded it first
    except DatabaseError:
        logger.info("EPUB of work %s not recorded now: the database is busy", work_id)
        return False
    return True


@dataclass(frozen=True)
class Position:
    chapter_id: int
    paragraph: int  # 0: the chapter's start
    finished: bool  # the chapter's text was read to its end


def _chapters(layout: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    """(spine number, entry) of the spine files that hold chapters."""
    return [(n, entry) for n, entry in enumerate(layout, start=1) if entry["chapter"]]


def place_of(version: EpubVersion, progress: str) -> Position | None:
    """The chapter and paragraph a KOReader XPointer points at; None when it is not one."""
    match = _FRAGMENT.match(progress.strip())
    chapters = _chapters(version.layout)
    if not match or not chapters:
        return None
    spine = int(match.group(1))
    found = next((entry for n, entry in chapters if n == spine), None)
    if found is None:  # the title page, or the afterword
        first_n, first = chapters[0]
        last = chapters[-1][1]
        if spine < first_n:
            return Position(first["chapter"], 0, False)
        return Position(last["chapter"], len(last["blocks"]), True)
    blocks = found["blocks"]
    steps = [step for step in match.group(2).split("/") if step]
    names = [_STEP.match(step) for step in steps]
    parsed = [(m.group(1), int(m.group(2) or 1)) for m in names if m]
    try:
        at = [name for name, _ in parsed].index("section")
    except ValueError:
        return Position(found["chapter"], 0, False)
    after = parsed[at + 1 :]
    if not after or after[0][0] != "div" or not found["div"]:
        return Position(found["chapter"], 0, False)  # the heading
    div = after[0][1]
    if div < found["div"]:
        return Position(found["chapter"], 0, False)  # the summary or the notes
    if div > found["div"]:
        return Position(found["chapter"], len(blocks), True)  # the end notes
    if len(after) < 2:
        return Position(found["chapter"], 1 if blocks else 0, False)
    tag, nth = after[1]
    seen = 0
    for index, (block_tag, _) in enumerate(blocks, start=1):
        if block_tag == tag:
            seen += 1
            if seen == nth:
                return Position(found["chapter"], index, index == len(blocks))
    return Position(found["chapter"], len(blocks), True)


def progress_of(version: EpubVersion, chapter_id: int, paragraph: int) -> tuple[str, float] | None:
    """The XPointer and the percentage of the book for a chapter and paragraph; None when the
    chapter is not in this EPUB."""
    layout = version.layout
    found = next(((n, e) for n, e in _chapters(layout) if e["chapter"] == chapter_id), None)
    if found is None:
        return None
    spine, entry = found
    blocks = entry["blocks"]
    paragraph = min(paragraph, len(blocks))
    share = paragraph / len(blocks) if blocks else 0.0
    percentage = round((spine - 1 + share) / len(layout), 4)
    base = f"/body/DocFragment[{spine}]/body/section"
    if paragraph == 0 or not entry["div"]:
        return f"{base}/h2/text().0", percentage
    tag, starts_with_text = blocks[paragraph - 1]
    nth = sum(1 for block_tag, _ in blocks[:paragraph] if block_tag == tag)
    pointer = f"{base}/div[{entry['div']}]/{tag}[{nth}]"
    return (f"{pointer}/text().0" if starts_with_text else pointer), percentage
