"""Bulk-load works from JSON Lines (`ficarchive works load FILE.jsonl`), for big archives and the
search benchmark. Each batch is written in one transaction, or not at all if a line in it is bad.

One object per line: title, creators (list of account names, made as needed), rating, warnings,
categories, fandoms, relationships, characters, freeforms (lists of tag names; free tags are made
unwrangled as needed), language (a code or a name as AO3 writes it: "en", "English",
"中文-普通话 國語"), words, chapters, expected_chapters (null for "?"), complete,
published, updated (ISO dates), kudos, comments, bookmarks, hits, summary, and optionally text
(one posted chapter holding it) or chapter_texts (a list of texts, one posted chapter each,
as many as `chapters` says). The work's counts are the ones given; each chapter's words are
counted from its text.

Characters and relationships are resolved within each line's fandoms as the posting form resolves
them (tags/resolving.py, tags.actions.find_or_create_tags): "Harry", "Harry/Draco" or "Drarry"
become synonyms of the fandom's canonical tags they stand for, each a logged change a wrangler
can undo, or the work takes the canonical tag itself when the name cannot become its synonym.
An archive without canonical characters or relationships skips this at the cost of one query.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO

from django.db import connection, transaction
from django.db.models import Model
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone

from ficarchive.accounts.models import Pseud, User
from ficarchive.search.actions import record_change
from ficarchive.social.models import WorkStats
from ficarchive.tags import resolving
from ficarchive.tags.actions import make_resolved_synonym
from ficarchive.tags.models import FIXED_TAGS, MAX_TAG_LENGTH, Tag, TagType, clean_tag_name
from ficarchive.text.characters import unusable_in
from ficarchive.text.wordcount import count_words
from ficarchive.works.models import Chapter, Creatorship, Tagging, Work, language_code

BATCH = 2000
SQLITE_CACHE_KIB = 256 * 1024
MAX_COUNT = 2**31 - 1  # the counters are PositiveIntegerFields
MAX_CHAPTERS = 1000
ACCOUNT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_]{2,39}$")  # accounts.models.USERNAME_RULE
TAG_FIELDS: dict[str, str] = {
    "rating": TagType.RATING,
    "warnings": TagType.WARNING,
    "categories": TagType.CATEGORY,
    "fandoms": TagType.FANDOM,
    "relationships": TagType.RELATIONSHIP,
    "characters": TagType.CHARACTER,
    "freeforms": TagType.FREEFORM,
}
COUNTS = ("words", "chapters", "kudos", "comments", "bookmarks", "hits")
CHUNK = 5000  # ids per IN (...) list


class BadLine(ValueError):
    pass


@dataclass
class LoadReport:
    loaded: int = 0
    bad: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Entry:
    data: dict[str, Any]
    tags: list[tuple[str, str]]
    published: datetime
    updated: datetime


def _names(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key, [])
    if key == "rating":
        value = [value] if value else []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadLine(f"{key} must be a list of names.")
    names = [clean_tag_name(v) for v in value if v.strip()]
    for name in names:
        if "," in name or len(name) > MAX_TAG_LENGTH:
            raise BadLine(f"{key}: {name[:40]!r} is not a valid tag name.")
    return names


def _moment(data: dict[str, Any], key: str) -> datetime:
    try:
        return datetime.combine(date.fromisoformat(str(data[key])[:10]), datetime.min.time(), UTC)
    except (KeyError, ValueError):
        raise BadLine(f"{key} must be an ISO date.") from None


def parse_line(line: str) -> Entry:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLine(f"not JSON ({exc.msg}).") from None
    if not isinstance(data, dict):
        raise BadLine("not a JSON object.")
    if "\\u" in line:  # JSON can only carry NUL and lone surrogates escaped
        unusable = unusable_in(data)
        if unusable is not None:
            raise BadLine(f"{unusable[0]} cannot be used: {unusable[1]}.")
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        raise BadLine("title is missing.")
    creators = data.get("creators")
    if not isinstance(creators, list) or not creators:
        raise BadLine("creators must be a non-empty list of account names.")
    for name in creators:
        if not isinstance(name, str) or not ACCOUNT_NAME.match(name):
            raise BadLine(f"creator {name!r} is not a valid account name.")
    for key in COUNTS:
        value = data.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise BadLine(f"{key} must be a whole number.")
        if value > MAX_COUNT:
            raise BadLine(f"{key} must be at most {MAX_COUNT:,}.")
    texts = data.get("chapter_texts")
    if texts is not None:
        if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
            raise BadLine("chapter_texts must be a non-empty list of texts.")
        if len(texts) > MAX_CHAPTERS:
            raise BadLine(f"chapter_texts may hold at most {MAX_CHAPTERS:,} chapters.")
        if data.get("chapters", len(texts)) != len(texts):
            raise BadLine(f"chapters is {data['chapters']} but chapter_texts holds {len(texts)}.")
        data["chapters"] = len(texts)
    expected = data.get("expected_chapters")
    if expected is not None and (
        not isinstance(expected, int)
        or isinstance(expected, bool)
        or not 1 <= expected <= MAX_COUNT
    ):
        raise BadLine("expected_chapters must be a positive number or null.")
    language = data.get("language", "en")
    code = language_code(language) if isinstance(language, str) else None
    if code is None:
        raise BadLine(
            f"language {language!r} is not known: give a code or a name (“en”, “English”)."
        )
    data["language"] = code
    tags = [(TAG_FIELDS[key], name) for key in TAG_FIELDS for name in _names(data, key)]
    for kind, name in tags:
        if kind in FIXED_TAGS and name not in FIXED_TAGS[kind]:
            raise BadLine(f"{name!r} is not a {kind}.")
    return Entry(data, tags, _moment(data, "published"), _moment(data, "updated"))


class _Table:
    """Raw `executemany` inserts into one model's table: the ORM's bulk_create builds a model
    object per row and costs most of a bulk load. Columns not given get the field's default
    (now, for automatic dates), computed once per batch."""

    def __init__(self, model: type[Model], given: tuple[str, ...]) -> None:
        self.model = model
        self.given = given
        self.rest = [
            f
            for f in model._meta.concrete_fields
            if f.column not in given and not isinstance(f, AutoFieldMixin)
        ]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in (*given, *(f.column for f in self.rest)))
        marks = ", ".join(["%s"] * (len(given) + len(self.rest)))
        table = quote(model._meta.db_table)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (our names)

    def _defaults(self) -> tuple[Any, ...]:
        now = timezone.now()
        values: list[Any] = []
        for f in self.rest:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value: Any = now
            else:
                value = f.get_default()  # "" or None when the field has no default
            values.append(f.get_db_prep_save(value, connection))
        return tuple(values)

    def insert(self, rows: Iterable[tuple[Any, ...]]) -> None:
        rest = self._defaults()
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, [(*row, *rest) for row in rows])


def _new_ids(model: type[Model], count: int) -> list[int]:
    """COUNT fresh primary keys for MODEL, taken inside the current transaction."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the write lock is held (IMMEDIATE transactions), so the next ids are ours.
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quote(table)}")  # noqa: S608
        top = cursor.fetchone()[0]
        cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = %s", [table])
        top = max(top, cursor.fetchone()[0])
    return list(range(top + 1, top + 1 + count))


class Loader:
    """Keeps the names it has seen, so each account and tag is looked up or made once."""

    def __init__(self) -> None:
        defaults = Pseud.objects.filter(is_default=True).values_list("user__username", "pk")
        self.pseuds = {name.lower(): pk for name, pk in defaults}
        self.tags = {
            (t, n.lower()): pk for pk, t, n in Tag.objects.values_list("pk", "type", "name")
        }
        self.users = _Table(User, ("id", "username", "email", "password"))
        self.pseud_rows = _Table(Pseud, ("id", "user_id", "name", "is_default"))
        self.tag_rows = _Table(Tag, ("id", "type", "name"))
        self.works = _Table(
            Work,
            (
                "id", "title", "summary", "language", "word_count", "chapter_count",
                "expected_chapters", "is_draft", "published_at", "updated_at",
            ),
        )  # fmt: skip
        self.chapters = _Table(
            Chapter,
            (
                "work_id",
                "position",
                "body_source",
                "body",
                "word_count",
                "is_draft",
                "published_at",
            ),
        )
        self.creatorships = _Table(Creatorship, ("work_id", "pseud_id", "accepted", "position"))
        self.taggings = _Table(Tagging, ("work_id", "tag_id"))
        self.stats = _Table(WorkStats, ("work_id", "kudos", "comments", "bookmarks", "hits"))
        self.resolver = Resolver()

    def _pseuds_for(self, names: Iterable[str]) -> None:
        new = list({n.lower(): n for n in names if n.lower() not in self.pseuds}.values())
        if not new:
            return
        user_ids = _new_ids(User, len(new))
        pseud_ids = _new_ids(Pseud, len(new))
        self.users.insert(
            (pk, n, f"{n.lower()}@users.invalid", "!") for pk, n in zip(user_ids, new, strict=True)
        )
        self.pseud_rows.insert(
            (pk, user_id, n, True) for pk, user_id, n in zip(pseud_ids, user_ids, new, strict=True)
        )
        self.pseuds.update((n.lower(), pk) for n, pk in zip(new, pseud_ids, strict=True))

    def _tags_for(self, pairs: Iterable[tuple[str, str]]) -> set[int]:
        """Make the tags not seen yet, unwrangled; their new ids."""
        new = {(t, n.lower()): (t, n) for t, n in pairs if (t, n.lower()) not in self.tags}
        ids = _new_ids(Tag, len(new))
        self.tag_rows.insert((pk, t, n) for pk, (t, n) in zip(ids, new.values(), strict=True))
        self.tags.update(zip(new, ids, strict=True))
        return set(ids)

    def _taggings(
        self, ids: list[int], entries: list[Entry], resolved: list[list[int]] | None
    ) -> Iterator[tuple[int, int]]:
        """(work id, tag id) rows: the tags as named, or as RESOLVED when names were resolved."""
        if resolved is not None:
            return ((pk, t) for pk, these in zip(ids, resolved, strict=True) for t in these)
        tags = self.tags
        return (
            (pk, tags[key])
            for pk, e in zip(ids, entries, strict=True)
            for key in dict.fromkeys((t, n.lower()) for t, n in e.tags)
        )

    def write(self, entries: list[Entry]) -> None:
        moment = connection.ops.adapt_datetimefield_value
        with transaction.atomic():
            self._pseuds_for(n for e in entries for n in e.data["creators"])
            new = self._tags_for(pair for e in entries for pair in e.tags)
            resolved = None
            if self.resolver.needed():
                resolved = self.resolver.resolve_batch(entries, self.tags, new)
            ids = _new_ids(Work, len(entries))
            pairs = list(zip(ids, entries, strict=True))
            self.works.insert(_work_row(pk, e, moment) for pk, e in pairs)
            self.chapters.insert(row for pk, e in pairs for row in _chapter_rows(pk, e, moment))
            self.creatorships.insert(
                (pk, self.pseuds[n.lower()], True, i)
                for pk, e in pairs
                for i, n in enumerate({n.lower(): n for n in e.data["creators"]}.values())
            )
            self.taggings.insert(self._taggings(ids, entries, resolved))
            self.stats.insert(
                (pk, *(e.data.get(k, 0) for k in ("kudos", "comments", "bookmarks", "hits")))
                for pk, e in pairs
            )
            record_change(ids)


class Resolver:
    """Resolves a batch's characters and relationships within each line's fandoms, with the
    posting form's rules and outcome (tags.actions.find_or_create_tags):

    - a canonical tag is itself;
    - a name that stands for exactly one canonical tag of the fandoms becomes its synonym (a
      logged wrangling change), unless works outside the tag's fandoms carry it or it has links
      a synonym cannot have: then the work takes the canonical tag itself;
    - anything else stays as typed.

    The lines are taken in order, so a name one line makes a synonym is one for the next, and a
    name an earlier line used in another fandom cannot become a synonym. The cast of each set of
    fandoms and the answer for each (fandoms, type, name) are fetched once per load, so canonical
    tags a wrangler makes while a load runs are not used by the rest of that load (its
    unwrangled names wait on the wrangling pages, as any others do).
    """

    def __init__(self) -> None:
        self.fandom_scopes: dict[int, frozenset[int]] = {}
        self.scopes: dict[frozenset[int], frozenset[int]] = {}
        self.casts: dict[frozenset[int], resolving.Cast] = {}
        self.answers: dict[tuple[frozenset[int], str, str], Tag | None] = {}
        self.target_scopes: dict[int, frozenset[int]] = {}
        self.refused: set[tuple[int, int]] = set()  # (tag, target): cannot become its synonym
        self.canon_exists: bool | None = None

    def needed(self) -> bool:
        """Whether any canonical character or relationship exists to resolve names to (asked
        once: the loader makes none, and what it knows of the canon is kept for the load)."""
        if self.canon_exists is None:
            kinds = resolving.RESOLVED_TYPES
            self.canon_exists = Tag.objects.filter(canonical=True, type__in=kinds).exists()
        return self.canon_exists

    def resolve_batch(
        self, entries: list[Entry], known: dict[tuple[str, str], int], new: set[int]
    ) -> list[list[int]]:
        fandom_tags = _fetch(
            known[(t, n.lower())] for e in entries for t, n in e.tags if t == TagType.FANDOM
        )
        lines = []
        for entry in entries:
            fandom_ids = [known[(t, n.lower())] for t, n in entry.tags if t == TagType.FANDOM]
            fandoms = [fandom_tags[pk] for pk in dict.fromkeys(fandom_ids)]
            lines.append((entry, fandoms, self._scope(fandoms)))
        missing = {scope for _, _, scope in lines if scope not in self.casts}
        self.casts.update(resolving.casts_of(missing))  # a few queries for the whole batch
        plans = []
        may_resolve: set[int] = set()
        for entry, fandoms, scope in lines:
            cast = self.casts[scope]
            names = [(t, n, known[(t, n.lower())]) for t, n in entry.tags]
            may_resolve.update(
                pk for t, n, pk in names if t in _RESOLVED and _may_resolve(cast, t, n)
            )
            plans.append((fandoms, scope, cast, names))
        tags = _fetch(may_resolve)  # as they are now: canonical, a synonym or unwrangled
        used: dict[int, list[list[Tag]]] = {}  # tag id -> the fandoms of lines carrying it
        result = []
        for fandoms, scope, cast, names in plans:
            ids: dict[int, None] = {}
            for _, name, pk in names:
                if pk in tags:
                    pk = self._resolve(tags[pk], name, scope, cast, fandoms, used, new)
                ids[pk] = None
            for pk in ids:
                if pk in tags:
                    used.setdefault(pk, []).append(fandoms)
            result.append(list(ids))
        return result

    def _scope(self, fandoms: list[Tag]) -> frozenset[int]:
        """`resolving.fandom_scope` of FANDOMS: the union of each fandom's, which is fetched
        once per load."""
        key = frozenset(fandom.pk for fandom in fandoms)
        if key not in self.scopes:
            for fandom in fandoms:
                if fandom.pk not in self.fandom_scopes:
                    self.fandom_scopes[fandom.pk] = resolving.fandom_scope([fandom])
            self.scopes[key] = frozenset().union(*(self.fandom_scopes[pk] for pk in key))
        return self.scopes[key]

    def _resolve(
        self,
        tag: Tag,
        name: str,
        scope: frozenset[int],
        cast: resolving.Cast,
        fandoms: list[Tag],
        used: dict[int, list[list[Tag]]],
        new: set[int],
    ) -> int:
        """The id of the tag a work that names TAG as NAME carries."""
        if tag.canonical or not _may_resolve(cast, tag.type, name):
            return tag.pk
        key = (scope, tag.type, name)
        if key not in self.answers:
            self.answers[key] = resolving.resolve_in(cast, tag.type, name)
        target = self.answers[key]
        if target is None or target.pk in (tag.pk, tag.synonym_of_id):
            return tag.pk
        pair = (tag.pk, target.pk)
        if tag.synonym_of_id is None and pair not in self.refused:
            uses = used.get(tag.pk, [])
            if self._used_only_within(tag, target, uses, new) and make_resolved_synonym(
                tag, target, fandoms
            ):
                return tag.pk
            self.refused.add(pair)  # its uses only grow while loading
        return target.pk

    def _used_only_within(
        self, tag: Tag, target: Tag, batch_uses: list[list[Tag]], new: set[int]
    ) -> bool:
        """`resolving.used_only_within`, counting the lines of this batch not written yet."""
        if target.pk not in self.target_scopes:
            parents = target.parents.filter(type=TagType.FANDOM)
            self.target_scopes[target.pk] = resolving.fandom_scope(parents)
        scope = self.target_scopes[target.pk]
        for fandoms in batch_uses:
            if not any(f.pk in scope or f.synonym_of_id in scope for f in fandoms):
                return False
        return tag.pk in new or resolving.used_only_within(tag, target)


_RESOLVED = frozenset(resolving.RESOLVED_TYPES)


def _may_resolve(cast: resolving.Cast, tag_type: str, name: str) -> bool:
    """False when NAME cannot stand for anything in CAST (saves the matching): a cast without
    characters or relationships resolves nothing but, outside any known fandom, ship names."""
    if cast.characters or cast.relationships:
        return True
    return (
        not cast.fandom_ids
        and tag_type == TagType.RELATIONSHIP
        and resolving.parse_relationship(name) is None
        and resolving.is_ship_name(name)
    )


def _fetch(ids: Iterable[int]) -> dict[int, Tag]:
    """These tags as they are now, by id, a few hundred per query."""
    ordered = sorted(ids)
    found: dict[int, Tag] = {}
    for start in range(0, len(ordered), CHUNK):
        found.update(Tag.objects.filter(pk__in=ordered[start : start + CHUNK]).order_by().in_bulk())
    return found


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{html.escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())


def _work_row(pk: int, entry: Entry, moment: Callable[[Any], Any]) -> tuple[Any, ...]:
    data = entry.data
    return (
        pk,
        data["title"].strip()[:255],
        _paragraphs(str(data.get("summary", ""))),
        data.get("language", "en"),
        data.get("words", 0),
        max(1, data.get("chapters", 1)),
        data.get("expected_chapters"),
        False,
        moment(entry.published),
        moment(max(entry.updated, entry.published)),
    )


def _chapter_rows(pk: int, entry: Entry, moment: Callable[[Any], Any]) -> list[tuple[Any, ...]]:
    """One posted chapter holding `text`, or one per text of `chapter_texts` (the last one
    posted when the work was last updated)."""
    texts = entry.data.get("chapter_texts")
    if texts is None:
        body = _paragraphs(str(entry.data.get("text", "")))
        return [(pk, 1, body, body, entry.data.get("words", 0), False, moment(entry.published))]
    rows = []
    for position, text in enumerate(texts, start=1):
        body = _paragraphs(text)
        when = entry.published if position < len(texts) else max(entry.updated, entry.published)
        rows.append((pk, position, body, body, count_words(body), False, moment(when)))
    return rows


def load_works(
    lines: Iterable[str], batch: int = BATCH, progress: Callable[[int], None] | None = None
) -> LoadReport:
    """Load the good lines, each batch in one transaction; report bad lines by number."""
    report = LoadReport()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # index pages of a big archive stay in memory
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    loader = Loader()
    entries: list[Entry] = []
    number = 0
    for number, line in enumerate(lines, start=1):
        if line.strip():
            try:
                entries.append(parse_line(line))
            except BadLine as exc:
                report.bad.append((number, str(exc)))
        if len(entries) >= batch:
            loader.write(entries)
            report.loaded += len(entries)
            entries = []
            if progress:
                progress(number)
    if entries:
        loader.write(entries)
        report.loaded += len(entries)
    if progress:
        progress(number)
    return report


def progress_bar(total: int, out: TextIO, width: int = 30) -> Callable[[int], None]:
    """A callback for `load_works` drawing `[#####-----]  50%  500,000/1,000,000 lines` on OUT."""
    started = time.perf_counter()

    def draw(lines: int) -> None:
        share = min(1.0, lines / total) if total else 1.0
        elapsed = max(time.perf_counter() - started, 1e-6)
        rate = lines / elapsed
        left = (total - lines) / rate if rate and lines < total else 0
        bar = "#" * round(share * width) + "-" * (width - round(share * width))
        out.write(
            f"\r[{bar}] {share:4.0%}  {lines:,}/{total:,} lines  {rate:,.0f}/s  "
            f"{int(left) // 60}:{int(left) % 60:02d} left "
        )
        out.flush()

    return draw


def count_lines(path: Path) -> int:
    """The number of lines in PATH, read in binary blocks (a second for a million works)."""
    count = 0
    with path.open("rb") as source:
        while block := source.read(1 << 20):
            count += block.count(b"\n")
    return count
