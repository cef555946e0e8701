"""The tags file of the OTW's public data dump, read as a stream.

Its header is `id,type,name,canonical,cached_count,merger_id` (copies saved through a data-frame
library add a first, unnamed column of row numbers, and may write ids as `123.0`); the order of
the columns does not matter and columns we do not use are ignored. `canonical` is true or false;
`merger_id` names, by id, the canonical tag a synonym stands for, anywhere in the file.

`DumpReader` yields the rows the archive can hold, one at a time, never the whole file, and
counts the rows it leaves out and why: rows named "Redacted" (the dump hides the names of
tags that no public work uses), Media tags (the archive has no media type, and the dump links no
fandom to its media), rows of a type it does not know, names a tag cannot have (a comma, more
than 150 characters), and ratings, warnings and categories (the archive's are fixed; those the
dump names are the archive's own or are left out). A line it cannot read at all is an error
naming the file, the line and the reason; the loader then writes nothing.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, Literal

from django.core.exceptions import ValidationError

from ficarchive.tags import csvfile
from ficarchive.tags.models import FIXED_TAGS, FIXED_TYPES, TagType, clean_tag_name
from ficarchive.tags.models import validate_tag_name as _validate_name

COLUMNS = ("id", "type", "name", "canonical", "cached_count", "merger_id")
REQUIRED = ("id", "type", "name", "canonical", "merger_id")
TYPES: dict[str, str] = {
    "Fandom": TagType.FANDOM,
    "Character": TagType.CHARACTER,
    "Relationship": TagType.RELATIONSHIP,
    "Freeform": TagType.FREEFORM,
    "Rating": TagType.RATING,
    "ArchiveWarning": TagType.WARNING,
    "Category": TagType.CATEGORY,
    # Tags authors typed that wranglers never sorted into a type: additional tags here.
    "UnsortedTag": TagType.FREEFORM,
}
REDACTED = "redacted"
MAX_LINE = 64 * 1024  # bytes; a dump's longest rows are a few hundred
MAX_ERRORS = 20
MAX_ID = 2**32 - 1
BOM = b"\xef\xbb\xbf"
TRUE = ("true", "t", "1", "yes")
FALSE = ("false", "f", "0", "no", "")

# Why rows are left out, as the report says it.
SKIP_REDACTED = "named “Redacted” (the dump hides the name)"
SKIP_MEDIA = "Media tags (the archive has no media type, and the dump links no fandom to a medium)"
SKIP_NAME = "names a tag cannot have (a comma, or longer than 150 characters)"
SKIP_FIXED_KNOWN = "ratings, warnings and categories the archive already has (they are fixed)"
SKIP_FIXED_OTHER = "ratings, warnings and categories outside the archive's fixed set"
SKIP_REPEATED = "names already on an earlier row (the first row counts)"

_FIXED_NAMES = {tag_type: {n.lower() for n in names} for tag_type, names in FIXED_TAGS.items()}


def skip_unknown(kind: str) -> str:
    return f"of the unknown type “{kind[:40]}”"


@dataclass(frozen=True, slots=True)
class DumpRow:
    line: int
    id: int
    type: str  # a TagType
    name: str
    canonical: bool
    merger_id: int | None


def _at(source: str, line: int) -> str:
    return f"{source} line {line}"


class _Fatal(Exception):
    """A line that leaves the rest of the file unreadable."""


def _decode(raw: bytes, source: str, line: int) -> str:
    if b"\x00" in raw:
        raise _Fatal(f"{_at(source, line)}: a NUL byte; this is a binary file, not CSV text.")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Fatal(
            f"{_at(source, line)}: this is not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
            "save the file as UTF-8."
        ) from exc


def _read_line(stream: BinaryIO, source: str, line: int) -> bytes:
    raw = stream.readline(MAX_LINE + 1)
    if len(raw) > MAX_LINE:
        raise _Fatal(
            f"{_at(source, line)}: the line is longer than {MAX_LINE:,} bytes; "
            "this is not a tags file."
        )
    if line == 1 and raw.startswith(BOM):
        raw = raw[len(BOM) :]
    return raw


def _header_cells(raw: bytes, source: str) -> list[str]:
    text = _decode(raw, source, 1)
    if not text.strip():
        raise _Fatal(
            f"{source} is empty; a tags file starts with the header line "
            f"{','.join(csvfile.HEADER)} or, from the OTW's data dump, {','.join(COLUMNS)}."
        )
    try:
        cells = next(csv.reader([text]))
    except (csv.Error, StopIteration) as exc:
        raise _Fatal(f"{_at(source, 1)}: the header cannot be read: {exc}.") from exc
    return [cell.strip().lower() for cell in cells]


def _header_problem(cells: list[str], source: str) -> str | None:
    """Why CELLS is not the header of a dump's tags file, or None when it is."""
    missing = [column for column in REQUIRED if column not in cells]
    if not missing:
        return None
    return (
        f"{_at(source, 1)}: the header lacks the column{'s' if len(missing) > 1 else ''} "
        f"{', '.join(missing)}; a tags file of the OTW's data dump starts with {','.join(COLUMNS)}."
    )


def file_format(stream: BinaryIO, source: str) -> Literal["csv", "otw"]:
    """Which tags file STREAM holds, from its header: "csv" (ours) or "otw" (the OTW's data
    dump). Reads the first line only and rewinds; a ValidationError says what is wrong."""
    try:
        start = stream.read(8192)  # a binary file shows itself early: say so before decoding
        if b"\x00" in start:
            line = start[: start.index(b"\x00")].count(b"\n") + 1
            raise _Fatal(f"{_at(source, line)}: a NUL byte; this is a binary file, not CSV text.")
        stream.seek(0)
        cells = _header_cells(_read_line(stream, source, 1), source)
    except _Fatal as exc:
        raise ValidationError(str(exc)) from exc
    finally:
        stream.seek(0)
    if not {"id", "merger_id", "cached_count"} & set(cells):
        return "csv"  # `csvfile.read_rows` says what is wrong with a header of ours
    problem = _header_problem(cells, source)
    if problem:
        raise ValidationError(problem)
    return "otw"


@dataclass
class DumpReader:
    """The rows of a dump's tags file that the archive can hold, read one line at a time.

    `rows_read` and `bytes_read` say how far it is; `skipped` counts the rows left out, by
    reason; `errors` lists the lines it could not read (it stops after MAX_ERRORS, or at the
    first line that leaves the rest unreadable).
    """

    stream: BinaryIO
    source: str
    rows_read: int = 0
    bytes_read: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def rows(self) -> Iterator[DumpRow]:
        try:
            yield from self._rows()
        except _Fatal as exc:
            self.errors.append(str(exc))

    def _lines(self) -> Iterator[str]:
        number = 1  # the header was line 1
        while True:
            number += 1
            raw = _read_line(self.stream, self.source, number)
            if not raw:
                return
            self.bytes_read += len(raw)
            yield _decode(raw, self.source, number)

    def _rows(self) -> Iterator[DumpRow]:
        raw = _read_line(self.stream, self.source, 1)
        self.bytes_read = len(raw)
        cells = _header_cells(raw, self.source)
        problem = _header_problem(cells, self.source)
        if problem:
            raise _Fatal(problem)
        columns = {name: cells.index(name) for name in REQUIRED}
        width = len(cells)
        reader = csv.reader(self._lines())
        end = 1
        try:
            for cells in reader:
                line, end = end + 1, reader.line_num + 1
                if not any(cell.strip() for cell in cells):
                    continue
                self.rows_read += 1
                if len(cells) != width:
                    self._error(
                        line, f"expected {width} fields as in the header, found {len(cells)}"
                    )
                else:
                    row = self._parse(cells, columns, line)
                    if row is not None:
                        yield row
                if len(self.errors) >= MAX_ERRORS:
                    self.errors.append(f"{self.source}: stopped reading after {MAX_ERRORS} errors.")
                    return
        except csv.Error as exc:
            raise _Fatal(f"{_at(self.source, reader.line_num + 1)}: {exc}.") from exc

    def _error(self, line: int, reason: str) -> None:
        self.errors.append(f"{_at(self.source, line)}: {reason}.")

    def _parse(self, cells: list[str], columns: dict[str, int], line: int) -> DumpRow | None:
        kind = cells[columns["type"]].strip()
        name = clean_tag_name(cells[columns["name"]])
        tag_id = self._id(cells[columns["id"]], "id", line)
        merger = self._id(cells[columns["merger_id"]], "merger_id", line, empty=True)
        flag = cells[columns["canonical"]].strip().lower()
        if flag not in TRUE and flag not in FALSE:
            self._error(line, f"canonical must be true or false, not “{flag[:40]}”")
            return None
        if tag_id is None or merger == -1:
            return None
        if name.lower() == REDACTED:
            self.skipped[SKIP_REDACTED] += 1
            return None
        if kind == "Media":
            self.skipped[SKIP_MEDIA] += 1
            return None
        tag_type = TYPES.get(kind)
        if tag_type is None:
            reason = skip_unknown(kind)
            unknown = sum(1 for key in self.skipped if key.startswith("of the unknown"))
            if reason not in self.skipped and unknown >= MAX_ERRORS:
                reason = skip_unknown("…")  # a hostile file does not grow the report without end
            self.skipped[reason] += 1
            return None
        try:
            _validate_name(name)
        except ValidationError:
            self.skipped[SKIP_NAME] += 1
            return None
        if tag_type in FIXED_TYPES:
            known = name.lower() in _FIXED_NAMES[tag_type]
            self.skipped[SKIP_FIXED_KNOWN if known else SKIP_FIXED_OTHER] += 1
            return None
        return DumpRow(line, tag_id, tag_type, name, flag in TRUE, merger or None)

    def _id(self, cell: str, column: str, line: int, *, empty: bool = False) -> int | None:
        """The whole number in CELL (`123` or `123.0`); None when empty and EMPTY allows it;
        -1 after reporting an error (None for the id column)."""
        text = cell.strip()
        if not text and empty:
            return None
        digits = text[:-2] if text.endswith(".0") else text
        if not digits.isascii() or not digits.isdigit() or int(digits) > MAX_ID:
            self._error(
                line, f"{column} must be a whole number up to {MAX_ID:,}, not “{text[:40]}”"
            )
            return -1 if empty else None
        return int(digits)


def relationship_members(name: str) -> list[str]:
    """The characters a relationship's name names: "A/B" (romantic), "A & B" (platonic), or a
    mix ("A/B & C"); a disambiguator in brackets stays with its name ("Loki (Marvel)/Thor
    (Marvel)", "Sam (Supernatural/Pinterest)"). Fewer than two names: none."""
    members: list[str] = []
    depth, start = 0, 0
    for index, char in enumerate(name):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(depth - 1, 0)
        elif char in "/&" and depth == 0:
            members.append(name[start:index])
            start = index + 1
    members.append(name[start:])
    cleaned = list(dict.fromkeys(clean_tag_name(member) for member in members))
    return cleaned if len(cleaned) >= 2 and all(cleaned) else []
