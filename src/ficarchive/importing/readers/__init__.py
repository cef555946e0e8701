"""One reader per format behind `read(name, data) -> ParsedWork`, chosen by the file's
extension or, without one, by sniffing its first bytes."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePath

from ficarchive.importing.parsed import ParsedWork, UnreadableFile
from ficarchive.importing.safety import check_chapters, check_size, check_work
from ficarchive.text import count_words
from ficarchive.text.wordcount import html_to_text

Reader = Callable[[str, bytes], ParsedWork]


def _readers() -> dict[str, Reader]:
    from ficarchive.importing.readers import docx, epub, markdown, text, webpage

    table: dict[str, Reader] = {}
    for module in (text, markdown, webpage, epub, docx):
        for extension in module.EXTENSIONS:
            table[extension] = module.read
    return table


def sniff(data: bytes) -> str:
    """The extension a file's content suggests."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if data.startswith(b"PK\x03\x04"):
        if b"mimetypeapplication/epub+zip" in data[:200]:
            return ".epub"
        if b"word/" in data[:4096] or b"[Content_Types].xml" in data[:4096]:
            return ".docx"
        return ".zip"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head:
        return ".html"
    return ".txt"


def reader_for(name: str, data: bytes) -> Reader:
    """The reader for a file's extension; a file without one is sniffed."""
    from ficarchive.importing.readers import archive

    readers = {**_readers(), ".zip": archive.read_single}
    extension = PurePath(name).suffix.lower()
    if not extension:
        extension = sniff(data)
    if extension not in readers:
        raise UnreadableFile(
            name,
            f"{extension} files are not supported; use .txt, .html, .epub, .docx, .md or .zip.",
        )
    return readers[extension]


def read(name: str, data: bytes) -> ParsedWork:
    """Read one file into a work; UnreadableFile names the file and the reason."""
    check_size(name, data)
    try:
        work = reader_for(name, data)(name, data)
        check_chapters(name, work, slack=2)  # before sanitizing what would be refused anyway
        work.finish()
    except UnicodeError as exc:  # lxml hands on XML that spells a lone surrogate, then fails
        raise UnreadableFile(
            name,
            "the file's text holds a character that cannot be decoded "
            "(a lone surrogate or a broken byte sequence).",
        ) from exc
    if not work.chapters:
        raise UnreadableFile(name, "no story text was found in the file.")
    if not work.title:
        _title_from_name(work, name)
    check_chapters(name, work)
    check_work(name, work)
    return work


# File names that say nothing of the work: hashes, numbers, dates, "download (3)".
_MEANINGLESS_NAME = re.compile(
    r"[0-9a-f]{12,}|[0-9a-f-]{32,40}|[\d\s_.()-]+|(?:download|untitled|story|document|file)"
    r"[\s_-]*(?:\(?\d*\)?)",
    re.IGNORECASE,
)


def _title_from_name(work: ParsedWork, name: str) -> None:
    """A title for a file that states none: its name, unless that is a hash or a number; then
    the only chapter's title, or the first line of the story when it reads like a title."""
    stem = PurePath(name).stem.replace("_", " ").strip()
    if stem and not _MEANINGLESS_NAME.fullmatch(stem):
        work.title = stem
        work.infer("title", "the file gives none; taken from the file name")
        return
    first = work.chapters[0]
    opening = re.match(r"\s*<p>(.*?)</p>\s*", first.body, re.DOTALL)
    line = " ".join(html_to_text(opening.group(1)).split()) if opening else ""
    if len(work.chapters) == 1 and first.title:
        work.title = first.title
        work.infer("title", "the file gives none; taken from its only chapter's heading")
    elif (
        len(work.chapters) == 1
        and opening
        and line
        and len(line.split()) <= 10
        and not line.endswith((".", "!", "?", ",", '"', "”"))
        and first.body[opening.end() :].strip()
    ):
        work.title = line
        first.body = first.body[opening.end() :]
        first.words = count_words(first.body)
        work.words = sum(c.words for c in work.chapters)
        work.infer("title", "the file gives none; taken from the story's first line")
    else:
        work.title = "Untitled"
        work.infer("title", "neither the file nor its name gives one")


def read_many(name: str, data: bytes) -> list[ParsedWork | UnreadableFile]:
    """Every work in a file: one, or one per member of a zip archive."""
    if PurePath(name).suffix.lower() == ".zip" or (
        not PurePath(name).suffix and sniff(data) == ".zip"
    ):
        from ficarchive.importing.readers import archive

        return archive.read_all(name, data)
    try:
        return [read(name, data)]
    except UnreadableFile as exc:
        return [exc]
