"""Refusing what must not be read: empty, binary, oversized and undecodable files, text that
decodes to characters no text may hold, and archives (zip, EPUB, DOCX) whose members would
unpack into far more than they weigh or would be written outside the archive."""

from __future__ import annotations

import io
import re
import zipfile

from charset_normalizer import from_bytes

from ficarchive.importing.parsed import ParsedWork, UnreadableFile
from ficarchive.text.characters import unusable_character
from ficarchive.uploads import upload_limit

MAX_UNPACKED_BYTES = 30 * 1024 * 1024  # Word's XML takes about five bytes for one of text
MAX_MEMBER_RATIO = 100  # uncompressed size / compressed size, per member
MAX_MEMBERS = 2000


def max_file_bytes() -> int:
    """The largest file the importer reads: the upload limit, FICARCHIVE_MAX_UPLOAD_BYTES."""
    return upload_limit()


def too_large(size: int, limit: int) -> str:
    return f"the file is {size:,} bytes; the most the importer reads is {limit:,}."


def check_size(name: str, data: bytes, limit: int | None = None) -> None:
    limit = max_file_bytes() if limit is None else limit
    if not data.strip():
        raise UnreadableFile(name, "the file is empty.")
    if len(data) > limit:
        raise UnreadableFile(name, too_large(len(data), limit))


def decode_text(name: str, data: bytes) -> str:
    """Text in any common encoding: UTF-8 (with or without BOM), UTF-16 with a BOM, or what
    charset-normalizer finds; binary data, and text that decodes to a NUL or a lone surrogate,
    are refused."""
    text = _decode(name, data)
    check_characters(name, text)
    return text


def check_characters(name: str, text: str) -> None:
    """Refuse decoded text holding a character no text may hold (a NUL, a lone surrogate such
    as UTF-7 or a lax decoder can yield), by the archive's one rule for them."""
    reason = unusable_character(text)
    if reason is not None:
        raise UnreadableFile(name, f"the decoded text cannot be used: {reason}.")


def check_chapters(name: str, work: ParsedWork, slack: int = 1) -> None:
    """Refuse a work with a chapter longer than the archive takes (SLACK times that, for text
    not sanitized yet): a file with no chapter headings, or one line of megabytes, is one
    chapter, and is refused before any more work is spent on it."""
    from ficarchive.works.actions import MAX_BODY

    total = sum(len(chapter.body) for chapter in work.chapters)
    if total > max_file_bytes() * slack:
        raise UnreadableFile(
            name,
            f"its chapters hold {total:,} characters of text; the most the importer reads in "
            f"one work is {max_file_bytes():,}.",
        )
    for number, chapter in enumerate(work.chapters, start=1):
        if len(chapter.body) > MAX_BODY * slack:
            raise UnreadableFile(
                name,
                f"chapter {number} is {len(chapter.body):,} characters long; the archive takes "
                f"at most {MAX_BODY:,} in one chapter. Start each chapter with a heading "
                "such as “Chapter 2”, or split the file.",
            )


def check_work(name: str, work: ParsedWork) -> None:
    """Refuse a work any of whose texts holds a character no text may hold (markup can spell
    one as a character reference, which some parsers pass on)."""
    for where, text in work.texts():
        reason = unusable_character(text)
        if reason is not None:
            raise UnreadableFile(name, f"the {where} cannot be used: {reason}.")


def _decode(name: str, data: bytes) -> str:
    check_size(name, data)
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            return _strict(name, memoryview(data)[len(bom) :], encoding)
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return _strict(name, data, utf16)
    if looks_binary(data):
        raise UnreadableFile(name, binary_kind(data) or "the file is binary, not text.")
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


def _strict(name: str, data: bytes | memoryview, encoding: str) -> str:
    try:
        return str(data, encoding)  # a memoryview is decoded where it lies, not copied first
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            name, f"the text is not valid {encoding} (at byte {exc.start:,}: {exc.reason})."
        ) from exc


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a byte order mark: text in the Latin scripts has a NUL in every other
    byte, on the even side for big-endian and the odd side for little-endian."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    half = len(sample) // 2
    even, odd = sample[0::2], sample[1::2]
    for zeros, letters, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= half * 0.9 and _printable(letters) >= half * 0.9:
            return encoding
    return None


def _printable(data: bytes) -> int:
    return sum(1 for b in data if b >= 32 or b in (9, 10, 13))


# What binary files sent as text most often are, by their first bytes.
_SIGNATURES = (
    (b"\x1f\x8b", "gzip-compressed", "unpack it first"),
    (b"BZh", "bzip2-compressed", "unpack it first"),
    (b"\xfd7zXZ\x00", "xz-compressed", "unpack it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unpack it first"),
    (b"Rar!", "a RAR archive", "unpack it first"),
    (b"PK\x03\x04", "a zip archive", "upload it as .zip, .epub or .docx"),
    (b"%PDF", "a PDF", "save the story as text, HTML, EPUB or DOCX"),
    (b"\x89PNG", "a PNG picture", "upload the story's text"),
    (b"\xff\xd8\xff", "a JPEG picture", "upload the story's text"),
    (b"GIF8", "a GIF picture", "upload the story's text"),
    (b"\xd0\xcf\x11\xe0", "an old Word (.doc) document", "save it as .docx"),
)


def binary_kind(data: bytes) -> str | None:
    """Why a file sent as text is not: what its first bytes say it is, or None."""
    if not looks_binary(data):
        return None  # a story may well begin "Rar!"
    for signature, kind, advice in _SIGNATURES:
        if data.startswith(signature):
            return f"the file is binary ({kind}), not text; {advice}."
    return None


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
        if outside(member.filename):
            raise UnreadableFile(
                name, f"the {what} holds a file named {member.filename!r}, which points outside it."
            )
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


_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


def read_xml_member(
    name: str, archive: zipfile.ZipFile, member: str, what: str = "archive"
) -> bytes:
    """An XML member's bytes, refused when it declares entities: no e-book or Word document
    needs them, and they are how XML reaches other files (XXE) or expands without bound
    ("billion laughs")."""
    data = read_member(name, archive, member, what)
    if _ENTITY.search(data):
        raise UnreadableFile(
            name,
            f"{member} in the {what} declares XML entities, which the importer does not read.",
        )
    return data


def outside(path: str) -> bool:
    """A member name that would climb out of the archive or start from a root: "../x",
    "/etc/x", "C:\\x", "..\\x" (Windows tools write backslashes)."""
    parts = re.split(r"[/\\]", path)
    return path.startswith(("/", "\\")) or bool(re.match(r"[A-Za-z]:", path)) or ".." in parts


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
