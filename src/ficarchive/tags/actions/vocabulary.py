"""A real vocabulary: the tags file of the OTW's public data dump (tags/otwfile.py), loaded as a
stream in batches with bulk writes, so that the full dump's fourteen million rows load in minutes.

The dump adds to the archive and never undoes a wrangler's work:
- a new name becomes a tag as the dump has it: canonical, a synonym, or unwrangled;
- a tag the archive already has keeps its wrangling; an unwrangled one takes the dump's state
  (each such change is logged, like any wrangling change, and can be undone);
- a synonym's `merger_id` may name a tag on a later row: synonyms are linked once the whole file
  is read, from a compact map of the canonical rows' ids (a row whose tag the archive holds as a
  synonym stands for that synonym's canonical tag). A synonym whose canonical tag is not a
  canonical tag of its type in the file (left out, redacted, or of another type) stays
  unwrangled, counted in the report;
- a canonical relationship the load makes gets its characters from its name ("A/B", "A & B",
  "Loki (Marvel)/Thor (Marvel)"): those that name a canonical character, or a synonym of one.

The whole load is one transaction: a line that cannot be read (the report names the file, the
line and the reason) leaves the archive as it was, and loading the same file again changes
nothing. The dump holds no fandom links (which fandoms a character belongs to), so none are made.
"""

from __future__ import annotations

import bisect
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils import timezone

from ficarchive.search.actions import record_change
from ficarchive.tags.actions.wrangling import _q, _require_wrangler, _snapshot
from ficarchive.tags.models import ChangeKind, Tag, TagType, WranglingChange
from ficarchive.tags.otwfile import SKIP_REPEATED, DumpReader, DumpRow, relationship_members

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User

    AnyUser = User | AnonymousUser

SKIP_SPELLING = "names the archive has in another spelling of upper and lower case"
BATCH = 5000  # rows per bulk write
CHUNK = 2000  # synonyms or relationships per statement
SQLITE_CACHE_KIB = 256 * 1024
_LOW = 0xFFFFFFFF

# progress(phase, done, share): phase is "rows", "synonyms" or "characters"; DONE counts what
# the phase went through; SHARE is how far it is, from 0 to 1.
Progress = Callable[[str, int, float], None]


@dataclass
class VocabularyReport:
    rows: int = 0  # rows read, the header aside
    created: int = 0
    made_canonical: int = 0  # tags the archive had, unwrangled, that the dump made canonical
    synonyms: int = 0  # synonyms linked to their canonical tag
    kept: int = 0  # tags the archive had: as the dump says, or wrangled otherwise and kept so
    unresolved: int = 0  # synonyms left unwrangled: no canonical tag of their type in the file
    with_characters: int = 0  # relationships given characters from their names
    skipped: Counter[str] = field(default_factory=Counter)

    def summary(self, source: str) -> list[str]:
        """What the load did, as sentences for the command line."""
        lines = [
            f"Loaded {source}: {self.rows:,} rows; {self.created:,} tags created, "
            f"{self.made_canonical:,} made canonical, {self.synonyms:,} synonyms linked, "
            f"{self.kept:,} already in the archive and kept as they are.",
            f"Relationships given characters from their names: {self.with_characters:,}.",
        ]
        if self.unresolved:
            lines.append(
                f"Left unwrangled: {self.unresolved:,} synonyms whose canonical tag is not a "
                "canonical tag of their type in the file (or is left out below)."
            )
        for reason, count in sorted(self.skipped.items(), key=lambda item: -item[1]):
            lines.append(f"Left out: {count:,} rows {reason}.")
        return lines


def load_otw_tags(
    stream: BinaryIO,
    source: str,
    *,
    size: int = 0,
    progress: Progress | None = None,
    user: AnyUser | None = None,
) -> VocabularyReport:
    """Load the tags file of the OTW's data dump from STREAM (SIZE bytes, for the progress
    share), all or nothing. A ValidationError lists the lines that could not be read; then
    nothing is written. The command line passes no user."""
    if user is not None:
        _require_wrangler(user)
    loader = _Loader(source, size, progress, user)
    with transaction.atomic():
        loader.load(stream)
    return loader.report


class _Loader:
    def __init__(
        self, source: str, size: int, progress: Progress | None, user: AnyUser | None
    ) -> None:
        self.source, self.size, self.progress = source, size, progress
        self.user = user if user is not None and user.is_authenticated else None
        self.report = VocabularyReport()
        # The canonical rows, as (dump id << 32 | tag id), sorted for bisect once all are read.
        self.canonical = array("Q")
        self.in_order = True
        # Synonyms waiting for the end of the file: their tags and their mergers' dump ids.
        self.synonym_tags, self.synonym_mergers = array("Q"), array("Q")
        self.relationships = array("Q")  # canonical relationships made: characters to find
        self.touched: dict[int, tuple[int, dict[str, Any]]] = {}  # archive tag → (line, before)
        self.analyzed_at = 5000  # tags created when the table was last analyzed

    def load(self, stream: BinaryIO) -> None:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:  # the name index of a big archive stays in memory
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        reader = DumpReader(stream, self.source)
        batch: list[DumpRow] = []
        for row in reader.rows():
            if reader.errors:
                continue  # keep reading to report more bad lines, but write nothing
            batch.append(row)
            if len(batch) >= BATCH:
                self._write(batch)
                batch = []
                self._tell(
                    "rows", reader.rows_read, reader.bytes_read / self.size if self.size else 0
                )
        if reader.errors:
            raise ValidationError(reader.errors)
        self._write(batch)
        self.report.rows = reader.rows_read
        self.report.skipped.update(reader.skipped)
        self._tell("rows", reader.rows_read, 1.0)
        self._link_synonyms()
        self._link_characters()
        self._log_changes()
        if self.report.created or self.report.made_canonical or self.report.synonyms:
            record_change([None])  # filters follow the new wrangling at once

    def _tell(self, phase: str, done: int, share: float) -> None:
        if self.progress is not None:
            self.progress(phase, done, min(share, 1.0))

    # --- the rows, a batch at a time ---------------------------------------------------

    def _write(self, rows: Sequence[DumpRow]) -> None:
        first: dict[tuple[str, str], DumpRow] = {}
        for row in rows:
            key = (row.type, row.name.lower())
            if key in first:
                self.report.skipped[SKIP_REPEATED] += 1
            else:
                first[key] = row
        if not first:
            return
        found = _existing(first)
        made = _insert([row for key, row in first.items() if key not in found])
        self.report.created += len(made)
        self._refresh_statistics()
        to_canonical: list[tuple[int, DumpRow]] = []
        for key, row in first.items():
            if key in made:
                self._place(row, made[key], canonical=row.canonical, fresh=True)
                continue
            if key not in found:  # the database's LOWER found it where Python's does not
                self.report.skipped[SKIP_SPELLING] += 1
                continue
            pk, canonical, synonym_of = found[key]
            if canonical or synonym_of:  # wrangled in the archive: kept as it is
                self.report.kept += 1
                # The dump's synonyms of this row stand for the tag this one stands for.
                self._place(row, synonym_of or pk, canonical=True, fresh=False)
            elif row.canonical:
                to_canonical.append((pk, row))
            elif row.merger_id:
                self.touched.setdefault(pk, (row.line, {}))
                self._place(row, pk, canonical=False, fresh=True)
            else:
                self.report.kept += 1  # unwrangled, as the dump has it
        if to_canonical:
            self._make_canonical(to_canonical)

    def _refresh_statistics(self) -> None:
        """On PostgreSQL, let the planner see the table grow (each time it doubles): planned
        for an empty table, the name lookups and the synonym links scan the whole table."""
        if connection.vendor != "postgresql" or self.report.created < self.analyzed_at * 2:
            return
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Tag._meta.db_table)}")
        self.analyzed_at = self.report.created

    def _make_canonical(self, rows: list[tuple[int, DumpRow]]) -> None:
        before = _snapshot(pk for pk, _ in rows)
        Tag.objects.filter(pk__in=[pk for pk, _ in rows]).update(canonical=True)
        for pk, row in rows:
            self.touched[pk] = (row.line, before[str(pk)])
            self.report.made_canonical += 1
            self._place(row, pk, canonical=True, fresh=True)

    def _place(self, row: DumpRow, pk: int, *, canonical: bool, fresh: bool) -> None:
        """Remember what the end of the file needs: canonical rows by dump id, synonyms to
        link, relationships to give characters. FRESH: the load decides this tag's state."""
        if pk > _LOW:
            raise ValidationError(
                f"{self.source} line {row.line}: the archive's tag ids have outgrown this loader."
            )
        if canonical:
            packed = row.id << 32 | pk
            if self.canonical and packed < self.canonical[-1]:
                self.in_order = False
            self.canonical.append(packed)
            if fresh and row.type == TagType.RELATIONSHIP:
                self.relationships.append(pk)
        elif fresh and row.merger_id:
            self.synonym_tags.append(pk)
            self.synonym_mergers.append(row.merger_id)

    # --- once the whole file is read ---------------------------------------------------

    def _canonical_tag(self, dump_id: int) -> int | None:
        index = bisect.bisect_left(self.canonical, dump_id << 32)
        if index < len(self.canonical) and self.canonical[index] >> 32 == dump_id:
            return self.canonical[index] & _LOW
        return None

    def _link_synonyms(self) -> None:
        if not self.in_order:
            self.canonical = array("Q", sorted(self.canonical))
        total = len(self.synonym_tags)
        for start in range(0, total, CHUNK):
            pairs: list[tuple[int, int]] = []
            for index in range(start, min(start + CHUNK, total)):
                target = self._canonical_tag(self.synonym_mergers[index])
                if target is None:
                    self.report.unresolved += 1
                else:
                    pairs.append((self.synonym_tags[index], target))
            for pk, _ in pairs:
                if pk in self.touched and not self.touched[pk][1]:
                    self.touched[pk] = (self.touched[pk][0], _snapshot([pk])[str(pk)])
            linked = _set_synonyms(pairs)
            self.report.synonyms += linked
            self.report.unresolved += len(pairs) - linked
            self._tell("synonyms", min(start + CHUNK, total), min(start + CHUNK, total) / total)
        del self.synonym_tags, self.synonym_mergers, self.canonical

    def _link_characters(self) -> None:
        total = len(self.relationships)
        for start in range(0, total, CHUNK):
            chunk = list(self.relationships[start : start + CHUNK])
            self.report.with_characters += _characters_from_names(chunk)
            done = min(start + CHUNK, total)
            self._tell("characters", done, done / total)

    def _log_changes(self) -> None:
        """One logged (undoable) change for each tag the archive had that the load changed."""
        changed = [pk for pk, (_, before) in self.touched.items() if before]
        for start in range(0, len(changed), CHUNK):
            chunk = changed[start : start + CHUNK]
            after = _snapshot(chunk)
            tags = Tag.objects.in_bulk(chunk)
            WranglingChange.objects.bulk_create(
                WranglingChange(
                    kind=ChangeKind.LOAD,
                    tag=tags[pk],
                    user=self.user,
                    description=(
                        f"Loaded {_q(tags[pk])} ({tags[pk].state}) from {self.source}, "
                        f"line {self.touched[pk][0]}."
                    ),
                    before={str(pk): self.touched[pk][1]},
                    after={str(pk): after[str(pk)]},
                )
                for pk in chunk
                if after[str(pk)] != self.touched[pk][1]
            )


def _existing(rows: dict[tuple[str, str], DumpRow]) -> dict[tuple[str, str], tuple[int, bool, int]]:
    """The archive's tags with the rows' names: (id, canonical, synonym_of id) by key.

    The database lowers both sides (`Tag.objects.named` does the same), so a name is found however
    its LOWER differs from Python's (PostgreSQL's "ΟΔΟΣ" is "οδοσ", Python's "οδος")."""
    by_type: dict[str, list[str]] = {}
    for (tag_type, _), row in rows.items():
        by_type.setdefault(tag_type, []).append(row.name)
    table = connection.ops.quote_name(Tag._meta.db_table)
    found: dict[tuple[str, str], tuple[int, bool, int]] = {}
    for tag_type, names in by_type.items():
        for start in range(0, len(names), CHUNK):
            chunk = names[start : start + CHUNK]
            wanted = ", ".join(["LOWER(%s)"] * len(chunk))
            sql = (
                f"SELECT id, name, canonical, synonym_of_id FROM {table} "  # noqa: S608
                f"WHERE type = %s AND LOWER(name) IN ({wanted})"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [tag_type, *chunk])
                for pk, name, canonical, synonym_of in cursor.fetchall():
                    found[(tag_type, name.lower())] = (pk, bool(canonical), synonym_of or 0)
    return found


def _insert(rows: list[DumpRow]) -> dict[tuple[str, str], int]:
    """Insert a tag for each row, as the row has it; their ids by key (a name the archive already
    has is left alone). A few statements of CHUNK rows each: Django's bulk_create spends most of
    a big load building its SQL."""
    made: dict[tuple[str, str], int] = {}
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = connection.ops.quote_name(Tag._meta.db_table)
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
        columns = "(type, name, canonical, created_at)"
        sql = (
            f"INSERT INTO {table} {columns} VALUES {values} "  # noqa: S608
            "ON CONFLICT DO NOTHING RETURNING id, type, name"
        )
        params = [value for row in chunk for value in (row.type, row.name, row.canonical, now)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            made.update({(kind, name.lower()): pk for pk, kind, name in cursor.fetchall()})
    return made


def _set_synonyms(pairs: list[tuple[int, int]]) -> int:
    """Make each (tag, target) pair's tag a synonym of its target, where the rules allow it:
    the tag is unwrangled and has no links of its own, the target is canonical and of the tag's
    type. One statement; the number of tags linked."""
    if not pairs:
        return 0
    quote = connection.ops.quote_name
    tags = quote(Tag._meta.db_table)
    parents = quote(Tag.parents.through._meta.db_table)
    characters = quote(Tag.characters.through._meta.db_table)
    values = ", ".join(["(%s, %s)"] * len(pairs))
    true = "TRUE" if connection.vendor == "postgresql" else "1"
    sql = f"""
        UPDATE {tags} SET synonym_of_id = pairs.column2
        FROM (VALUES {values}) AS pairs, {tags} AS target
        WHERE {tags}.id = pairs.column1 AND target.id = pairs.column2
          AND target.type = {tags}.type AND target.canonical = {true}
          AND target.synonym_of_id IS NULL
          AND {tags}.canonical <> {true} AND {tags}.synonym_of_id IS NULL
          AND NOT EXISTS (SELECT 1 FROM {parents} link WHERE link.from_tag_id = {tags}.id)
          AND NOT EXISTS (SELECT 1 FROM {characters} link WHERE link.from_tag_id = {tags}.id)
    """  # noqa: S608 - table names are ours; values are bound parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [number for pair in pairs for number in pair])
        return max(cursor.rowcount, 0)


def _characters_from_names(relationship_ids: Iterable[int]) -> int:
    """Give the relationships that have no characters yet the canonical characters their names
    name. The number of relationships given characters."""
    through = Tag.characters.through
    has_characters = through.objects.filter(from_tag_id=OuterRef("pk"))
    relationships = (
        Tag.objects.filter(pk__in=list(relationship_ids), canonical=True)
        .exclude(Exists(has_characters))
        .values_list("pk", "name")
    )
    members = {pk: relationship_members(name) for pk, name in relationships}
    wanted = {member.lower() for names in members.values() for member in names}
    if not wanted:
        return 0
    characters: dict[str, int] = {}
    found = (
        Tag.objects.filter(type=TagType.CHARACTER)
        .annotate(lower_name=Lower("name"))
        .filter(lower_name__in=wanted)
        .values_list("lower_name", "pk", "canonical", "synonym_of_id")
    )
    for lower, pk, canonical, synonym_of in found:
        target = pk if canonical else synonym_of  # a synonym's canonical tag is canonical
        if target:
            characters[lower] = target
    links: list[Any] = []
    given = 0
    for pk, names in members.items():
        ids = dict.fromkeys(characters[n.lower()] for n in names if n.lower() in characters)
        links.extend(through(from_tag_id=pk, to_tag_id=character) for character in ids)
        given += bool(ids)
    through.objects.bulk_create(links, ignore_conflicts=True)
    return given
