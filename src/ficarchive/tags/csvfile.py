"""Tags as CSV: `type,name,canonical,synonym_of,fandoms,characters,media`, lists separated by
`|`; the `media` column (a fandom's media type) may be left out, as in older files.

`read_rows` parses a file and `check_rows` holds it against the archive, each reporting every bad
row by line number before anything is written; `tags.actions.load_tags` then applies it.
`dump_tags` writes the archive's tags in the same format.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Lower

from ficarchive.tags.models import (
    FIXED_TAGS,
    FIXED_TYPES,
    Tag,
    TagType,
    clean_tag_name,
    media_type_named,
    validate_tag_name,
)

HEADER = ("type", "name", "canonical", "synonym_of", "fandoms", "characters")
MEDIA_COLUMN = "media"
FULL_HEADER = (*HEADER, MEDIA_COLUMN)  # what a dump writes
SEPARATOR = "|"
# The file's type names, in the order a dump writes them.
CSV_TYPES: dict[str, str] = {
    "fandom": TagType.FANDOM,
    "character": TagType.CHARACTER,
    "relationship": TagType.RELATIONSHIP,
    "freeform": TagType.FREEFORM,
    "rating": TagType.RATING,
    "warning": TagType.WARNING,
    "category": TagType.CATEGORY,
}
CSV_NAMES = {tag_type: name for name, tag_type in CSV_TYPES.items()}

Key = tuple[str, str]  # (type, lower-case name)


def key_of(tag_type: str, name: str) -> Key:
    return tag_type, name.lower()


@dataclass
class Row:
    """One line of a tags file, parsed."""

    line: int
    type: str
    name: str
    canonical: bool | None  # None: the cell was empty
    synonym_of: str = ""
    fandoms: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    media: str = ""  # a fandom's media type (its slug); empty: as it is (new: Uncategorized)

    @property
    def key(self) -> Key:
        return key_of(self.type, self.name)

    @property
    def is_canonical(self) -> bool:
        return bool(self.canonical)


def _q(name: str) -> str:
    return f"“{name}”"


# --- reading -----------------------------------------------------------------------------


def read_rows(data: bytes, source: str) -> list[Row]:
    """The file's rows; a ValidationError lists every line that cannot be read."""
    if not data.strip():
        raise ValidationError(
            f"{source} is empty; a tags file starts with the header line {','.join(HEADER)}."
        )
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ValidationError(
            f"{source} line {line}: a NUL byte; this is a binary file, not CSV text."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValidationError(
            f"{source} line {line}: this is not UTF-8 text (byte 0x{data[exc.start]:02x}); "
            "save the file as UTF-8."
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[Row] = []
    errors: list[str] = []
    try:
        header = _check_header(next(reader), source)
        end = reader.line_num
        for cells in reader:
            line, end = end + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                row = _parse_row(cells, header, line, source, errors)
                if row is not None:
                    rows.append(row)
    except csv.Error as exc:
        errors.append(f"{source} line {reader.line_num}: {exc}.")
    if errors:
        raise ValidationError(errors)
    return rows


def _check_header(cells: list[str], source: str) -> tuple[str, ...]:
    found = tuple(cell.strip().lower() for cell in cells)
    if found in (HEADER, FULL_HEADER):
        return found
    expected = ",".join(HEADER)
    missing = [column for column in HEADER if column not in found]
    if missing:
        raise ValidationError(
            f"{source} line 1: the header lacks the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}; it must be {expected}."
        )
    raise ValidationError(f"{source} line 1: the header must be {expected}, not {','.join(found)}.")


def _parse_row(
    cells: list[str], header: tuple[str, ...], line: int, source: str, errors: list[str]
) -> Row | None:
    at = f"{source} line {line}"
    if len(cells) != len(header):
        errors.append(
            f"{at}: expected {len(header)} fields ({','.join(header)}), found {len(cells)}."
        )
        return None
    kind, name, canonical, synonym_of, fandoms, characters, *rest = (c.strip() for c in cells)
    problems: list[str] = []
    media = _media(rest[0] if rest else "", kind, problems)
    tag_type = CSV_TYPES.get(kind.lower())
    if tag_type is None:
        problems.append(f"unknown type {_q(kind)}; use one of {', '.join(CSV_TYPES)}")
    flag: bool | None = None
    if canonical.lower() in ("true", "false"):
        flag = canonical.lower() == "true"
    elif canonical:
        problems.append(f"canonical must be true or false, not {_q(canonical)}")
    names = [clean_tag_name(name), clean_tag_name(synonym_of)]
    lists = [_split(fandoms), _split(characters)]
    for value in [names[0], *filter(None, names[1:]), *lists[0], *lists[1]]:
        try:
            validate_tag_name(value)
        except ValidationError as exc:
            problems.extend(message.rstrip(".") for message in exc.messages)
    if problems:
        errors.append(f"{at}: {'; '.join(problems)}.")
        return None
    assert tag_type is not None
    return Row(line, tag_type, names[0], flag, names[1], lists[0], lists[1], media)


def _media(cell: str, kind: str, problems: list[str]) -> str:
    """The slug of the media type CELL names (empty if it names none); a problem otherwise."""
    if not cell:
        return ""
    if kind.lower() != "fandom":
        problems.append(f"media “{cell}” is for fandoms only; leave it empty on a {kind} row")
        return ""
    try:
        return media_type_named(cell).value
    except ValidationError as exc:
        problems.extend(exc.messages)
        return ""


def _split(cell: str) -> list[str]:
    names = (clean_tag_name(part) for part in cell.split(SEPARATOR))
    return list(dict.fromkeys(name for name in names if name))


# --- checking against the archive --------------------------------------------------------


@dataclass
class _Known:
    """A tag as it will be once the file is loaded: from its row, else from the archive."""

    name: str
    canonical: bool
    synonym_of: str  # the name of its canonical tag, if it is a synonym


def check_rows(rows: list[Row], source: str) -> dict[Key, Tag]:
    """Hold the rows against the archive and each other; a ValidationError lists every bad row.

    Returns the archive's tags that the rows name, by key.
    """
    errors: list[tuple[int, str]] = []
    by_key: dict[Key, Row] = {}
    for row in rows:
        first = by_key.get(row.key)
        if first is not None:
            errors.append((row.line, f"{_q(row.name)} is already on line {first.line}."))
        else:
            by_key[row.key] = row
    archive = _archive_tags(rows)
    known = {key: _known(tag) for key, tag in archive.items()}
    known.update(
        {
            key: _Known(row.name, row.is_canonical, row.synonym_of)
            for key, row in by_key.items()
            if row.type not in FIXED_TYPES
        }
    )
    for row in by_key.values():
        for problem in _row_problems(row, known, archive, by_key):
            errors.append((row.line, problem))
    errors.extend(_cycles(by_key))
    if errors:
        raise ValidationError(
            [f"{source} line {line}: {problem}" for line, problem in sorted(errors)]
        )
    return archive


def _known(tag: Tag) -> _Known:
    target = tag.synonym_of.name if tag.synonym_of else ""
    return _Known(tag.name, tag.canonical, target)


def _archive_tags(rows: list[Row]) -> dict[Key, Tag]:
    wanted: dict[str, set[str]] = {}
    for row in rows:
        wanted.setdefault(row.type, set()).add(row.name.lower())
        if row.synonym_of:
            wanted[row.type].add(row.synonym_of.lower())
        wanted.setdefault(TagType.FANDOM, set()).update(name.lower() for name in row.fandoms)
        wanted.setdefault(TagType.CHARACTER, set()).update(n.lower() for n in row.characters)
    match = Q(pk__in=[])
    for tag_type, names in wanted.items():
        match |= Q(type=tag_type, lower_name__in=names)
    tags = Tag.objects.annotate(lower_name=Lower("name")).filter(match)
    tags = tags.select_related("synonym_of").prefetch_related("parents", "characters")
    return {key_of(tag.type, tag.name): tag for tag in tags}


def _row_problems(
    row: Row, known: dict[Key, _Known], archive: dict[Key, Tag], rows: dict[Key, Row]
) -> Iterable[str]:
    noun = CSV_NAMES[row.type]
    if row.type in FIXED_TYPES:
        allowed = {name.lower() for name in FIXED_TAGS[row.type]}
        if row.name.lower() not in allowed:
            yield (
                f"{_q(row.name)} is not a {noun}; the {noun} tags are fixed: "
                f"{', '.join(FIXED_TAGS[row.type])}."
            )
        if row.canonical is False or row.synonym_of or row.fandoms or row.characters:
            yield f"{_q(row.name)} is a fixed {noun} tag: always canonical, never wrangled."
        return
    if row.is_canonical and row.synonym_of:
        yield f"{_q(row.name)} cannot be canonical and a synonym of {_q(row.synonym_of)} at once."
    if row.synonym_of:
        yield from _synonym_problems(row, known)
        yield from _repeated_links(row, known, archive, rows)
        return  # a synonym has no links of its own
    if row.characters and row.type != TagType.RELATIONSHIP:
        yield f"{_q(row.name)} is a {noun}; only relationships have characters."
    for name in row.fandoms:
        if key_of(TagType.FANDOM, name) == row.key:
            yield f"{_q(row.name)} cannot be its own parent fandom."
        else:
            yield from _link_problem(known, TagType.FANDOM, name, "fandom")
    if row.type == TagType.RELATIONSHIP:
        for name in row.characters:
            yield from _link_problem(known, TagType.CHARACTER, name, "character")
    tag = archive.get(row.key)
    if tag is not None and tag.canonical and not row.is_canonical:
        yield from _dependants(row, tag, rows)


def _synonym_problems(row: Row, known: dict[Key, _Known]) -> Iterable[str]:
    noun = CSV_NAMES[row.type]
    if key_of(row.type, row.synonym_of) == row.key:
        yield f"{_q(row.name)} cannot be a synonym of itself."
        return
    target = known.get(key_of(row.type, row.synonym_of))
    if target is None:
        yield (f"synonym_of {_q(row.synonym_of)} is not a {noun} tag in this file or the archive.")
    elif target.synonym_of:
        yield (
            f"synonym_of {_q(target.name)} is itself a synonym of {_q(target.synonym_of)}; "
            f"make {_q(row.name)} a synonym of {_q(target.synonym_of)} instead."
        )
    elif not target.canonical:
        yield f"synonym_of {_q(target.name)} is not canonical; mark it canonical first."


def _repeated_links(
    row: Row, known: dict[Key, _Known], archive: dict[Key, Tag], rows: dict[Key, Row]
) -> Iterable[str]:
    """A synonym takes its fandoms and characters from its canonical tag. A row may repeat them,
    as AO3's tag pages show a synonym's fandoms, if they are the canonical tag's."""
    if not (row.fandoms or row.characters):
        return
    key = key_of(row.type, row.synonym_of)
    if key in rows:
        fandoms, characters = rows[key].fandoms, rows[key].characters
    elif key in archive:
        fandoms = [tag.name for tag in archive[key].parents.all()]
        characters = [tag.name for tag in archive[key].characters.all()]
    else:
        return  # _synonym_problems said the canonical tag is missing

    def same(listed: list[str], held: list[str], tag_type: str) -> bool:
        def canonical_name(name: str) -> str:
            found = known.get(key_of(tag_type, name))
            return (found.synonym_of or name).lower() if found else name.lower()

        return {canonical_name(n) for n in listed} == {canonical_name(n) for n in held}

    for listed, held, noun, tag_type in (
        (row.fandoms, fandoms, "fandoms", TagType.FANDOM),
        (row.characters, characters, "characters", TagType.CHARACTER),
    ):
        if listed and not same(listed, held, tag_type):
            has = ", ".join(_q(name) for name in held) or "none"
            yield (
                f"{_q(row.name)} is a synonym of {_q(row.synonym_of)} and takes its {noun} from "
                f"it: this row lists {', '.join(_q(name) for name in listed)}, but "
                f"{_q(row.synonym_of)} has {has}; list the same {noun} or leave them out."
            )


def _link_problem(known: dict[Key, _Known], tag_type: str, name: str, noun: str) -> Iterable[str]:
    target = known.get(key_of(tag_type, name))
    if target is None:
        yield f"{noun} {_q(name)} is not in this file or the archive."
    elif not target.canonical:
        yield f"{noun} {_q(target.name)} is not canonical; mark it canonical first."


def _dependants(row: Row, tag: Tag, rows: dict[Key, Row]) -> Iterable[str]:
    """Archive tags that need TAG canonical and that the file does not wrangle anew."""
    groups = [
        ("synonyms", tag.synonyms.all()),
        ("sub-tags", tag.children.all()),
        ("relationships", tag.relationships.all()),
    ]
    for label, found in groups:
        stuck = [other.name for other in found if key_of(other.type, other.name) not in rows]
        if stuck:
            yield (
                f"{_q(row.name)} would stop being canonical, but the archive's {label} "
                f"{', '.join(_q(name) for name in stuck[:5])} depend on it."
            )


def _cycles(rows: dict[Key, Row]) -> list[tuple[int, str]]:
    """Cycles of parent fandoms in the archive as it will be, reported on a row in each."""
    fandoms = {key: row for key, row in rows.items() if row.type == TagType.FANDOM}
    if not fandoms:
        return []
    parents: dict[Key, list[Key]] = {}
    names: dict[Key, str] = {}
    links = Tag.parents.through.objects.filter(
        from_tag__type=TagType.FANDOM, to_tag__type=TagType.FANDOM
    ).values_list("from_tag__name", "to_tag__name")
    for child, parent in links:
        child_key, parent_key = key_of(TagType.FANDOM, child), key_of(TagType.FANDOM, parent)
        names.setdefault(child_key, child)
        names.setdefault(parent_key, parent)
        if child_key not in fandoms:
            parents.setdefault(child_key, []).append(parent_key)
    for key, row in fandoms.items():
        names[key] = row.name
        # A fandom naming itself is reported on its own row, not as a cycle.
        parents[key] = [key_of(TagType.FANDOM, name) for name in row.fandoms]
        parents[key] = [parent for parent in parents[key] if parent != key]
        for name in row.fandoms:
            names.setdefault(key_of(TagType.FANDOM, name), name)
    found: list[tuple[int, str]] = []
    reported: set[Key] = set()
    for key, row in sorted(fandoms.items(), key=lambda item: item[1].line):
        if key in reported:
            continue
        path = _path_back_to(key, parents)
        if path:
            reported.update(path)
            shown = " → ".join(names[step] for step in [*path, key])
            found.append((row.line, f"the parent fandoms make a cycle: {shown}."))
    return found


def _path_back_to(start: Key, parents: dict[Key, list[Key]]) -> list[Key] | None:
    """The path start → parent → … that leads back to START, if there is one."""
    came_from: dict[Key, Key] = {}
    queue = [start]
    while queue:
        current = queue.pop(0)
        for parent in parents.get(current, []):
            if parent == start:
                path = [current]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return list(reversed(path))
            if parent not in came_from:
                came_from[parent] = current
                queue.append(parent)
    return None


# --- writing -----------------------------------------------------------------------------


def dump_tags() -> str:
    """Every tag as a tags file: fandoms, characters, relationships, additional tags, then the
    fixed ones, each type by name. Loading the result into an archive gives the same tags."""
    order = {tag_type: index for index, tag_type in enumerate(CSV_TYPES.values())}
    tags = sorted(
        Tag.objects.select_related("synonym_of").prefetch_related("parents", "characters"),
        key=lambda tag: (order[tag.type], tag.name.lower(), tag.pk),
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FULL_HEADER)
    for tag in tags:
        writer.writerow(
            [
                CSV_NAMES[tag.type],
                tag.name,
                "true" if tag.canonical else "false",
                tag.synonym_of.name if tag.synonym_of else "",
                _join(tag, tag.parents.all()),
                _join(tag, tag.characters.all()),
                tag.media if tag.type == TagType.FANDOM and tag.canonical else "",
            ]
        )
    return out.getvalue()


def _join(tag: Tag, linked: Iterable[Tag]) -> str:
    names = sorted((other.name for other in linked), key=str.lower)
    for name in names:
        if SEPARATOR in name:
            raise ValueError(
                f"{_q(name)} (linked from {_q(tag.name)}) contains {SEPARATOR!r}, which "
                "separates names in a tags file; rename it first."
            )
    return SEPARATOR.join(names)
