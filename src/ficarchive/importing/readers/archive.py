"""Zip archives (.zip) of any of the other formats: each member is its own work, and a member
that cannot be read is reported without stopping the rest."""

from __future__ import annotations

from pathlib import PurePath

from ficarchive.importing.parsed import ParsedWork, UnreadableFile
from ficarchive.importing.safety import open_zip, read_member

EXTENSIONS = (".zip",)
SUPPORTED = {".txt", ".text", ".html", ".htm", ".xhtml", ".epub", ".docx", ".md", ".markdown"}


def read_all(name: str, data: bytes) -> list[ParsedWork | UnreadableFile]:
    from ficarchive.importing.readers import read

    try:
        archive = open_zip(name, data)
    except UnreadableFile as exc:
        return [exc]
    results: list[ParsedWork | UnreadableFile] = []
    for info in archive.infolist():
        path = PurePath(info.filename)
        if info.is_dir() or path.name.startswith(".") or "__MACOSX" in path.parts:
            continue
        member = f"{name}/{info.filename}"
        if path.suffix.lower() not in SUPPORTED:
            results.append(UnreadableFile(member, f"{path.suffix or 'this'} files are not read."))
            continue
        try:
            results.append(read(member, read_member(name, archive, info.filename)))
        except UnreadableFile as exc:
            results.append(exc)
    if not results:
        results.append(UnreadableFile(name, "the zip archive holds no files to import."))
    return results


def read_single(name: str, data: bytes) -> ParsedWork:
    """A zip read as one file: its only readable member."""
    works = [w for w in read_all(name, data) if isinstance(w, ParsedWork)]
    if len(works) != 1:
        raise UnreadableFile(name, "the zip archive does not hold exactly one work.")
    return works[0]
