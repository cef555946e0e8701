"""Refusing what must not be read: empty, binary, oversized and undecodable files, and
archives (zip, EPUB, DOCX) whose members would unpack into far more than they weigh."""

from __future__ import annotations

import io
import re
import zipfile

from charset_normalizer import from_bytes

from ficarchive.importing.parsed import UnreadableFile

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_MEMBER_RATIO = 100  # uncompressed size / compressed size, per member
MAX_MEMBERS = 2000


def check_size(name: str, data: bytes, limit: int | None = None) -> None:
    limit = MAX_FILE_BYTES if limit is None else limit
    if not data.strip():
        raise UnreadableFile(name, "the file is empty.")
    if len(data) > limit:
        raise UnreadableFile(
            name, f"the file is {len(data):,} bytes; the most the importer reads is {limit:,}."
        )


def decode_text(name: str, data: bytes) -> str:
    """Text in any common encoding: UTF-8 (with or without BOM), UTF-16 with a BOM, or what
    charset-normalizer finds; binary data is refused."""
    check_size(name, data)
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise UnreadableFile(name, f"the text is not valid {encoding}.") from exc
    if looks_binary(data):
        raise UnreadableFile(name, "the file is binary, not text.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    results = from_bytes(data[:200_000])
    best = results.best()
    if best is None or best.encoding is None:
        raise UnreadableFile(name, "the text's encoding could not be recognized.")
    encoding = best.encoding
    # Western European text fits several code pages equally; Windows-1252 is by far the
    # commonest for fan fiction, so it wins among the Latin ones.
    if encoding in _LATIN and "cp1252" in {m.encoding for m in results}:
        encoding = "cp1252"
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise UnreadableFile(name, "the text's encoding could not be recognized.") from exc
    if not _plausible(text):
        raise UnreadableFile(name, "the text's encoding could not be recognized.")
    return text


_SEPARATORS = re.compile(r"[\s.,;:!?\"'()\u3000-\u303f\uff01-\uff0f\uff1a-\uff1f\u2014\u2026]")


def _plausible(text: str) -> bool:
    """Prose in any script has spaces, line breaks or punctuation; decoded noise has none."""
    sample = text[:20_000]
    if len(sample) < 40:
        return True
    return len(_SEPARATORS.findall(sample)) >= len(sample) * 0.02


_LATIN = {
    "cp1250", "cp1252", "cp1257", "cp775", "cp850", "cp437", "latin_1", "mac_latin2",
    "mac_roman", "iso8859_2", "iso8859_15", "iso8859_4", "iso8859_13", "cp1125",
}  # fmt: skip


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(sample) * 0.02


def open_zip(name: str, data: bytes, what: str = "zip archive") -> zipfile.ZipFile:
    """A zip whose members are checked for size and compression ratio before any is read."""
    check_size(name, data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFile(name, f"the {what} is damaged or not a zip file.") from exc
    if len(members) > MAX_MEMBERS:
        raise UnreadableFile(name, f"the {what} holds {len(members):,} files; too many.")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1_000_000 and ratio > MAX_MEMBER_RATIO:
            raise UnreadableFile(
                name,
                f"the {what} looks like a zip bomb ({member.filename} would unpack "
                f"{ratio:,.0f} times larger).",
            )
    if total > MAX_UNPACKED_BYTES:
        raise UnreadableFile(
            name, f"the {what} would unpack to {total:,} bytes; the most is {MAX_UNPACKED_BYTES:,}."
        )
    return archive


def read_member(name: str, archive: zipfile.ZipFile, member: str, what: str = "archive") -> bytes:
    """A member's bytes, read no further than its declared size."""
    try:
        info = archive.getinfo(member)
        with archive.open(info) as handle:
            data = handle.read(info.file_size + 1)
    except KeyError as exc:
        raise UnreadableFile(name, f"the {what} lacks {member}.") from exc
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as exc:
        raise UnreadableFile(name, f"{member} in the {what} is damaged.") from exc
    if len(data) > info.file_size:
        raise UnreadableFile(name, f"{member} in the {what} is larger than it claims.")
    return data
