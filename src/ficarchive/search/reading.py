"""The index's reads from the database: whole columns of numbers, straight into numpy arrays.

Each read is one aggregate query per column group (`group_concat` on SQLite, `string_agg` on
PostgreSQL) over a range of work ids, so a million works cost a few string parses instead of
a million Python rows. Only listed works (posted, not hidden) are read.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
from django.db import connection, transaction

from ficarchive.accounts.models import Pseud
from ficarchive.search.bitmaps import from_csv
from ficarchive.social.models import WorkStats
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.models import LANGUAGES, Creatorship, Tagging, Work

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Ints = NDArray[np.int64]

ID_SPAN = 100_000  # work ids per aggregate query
IN_CHUNK = 500
LANGUAGE_CODES = [code for code, _ in LANGUAGES]
TAG_TYPES = [t.value for t in TagType]
NUMBERS = ("words", "chapters", "kudos", "comments", "bookmarks", "hits", "published", "updated")

W, S = Work._meta.db_table, WorkStats._meta.db_table
TG, T = Tagging._meta.db_table, Tag._meta.db_table
C, P = Creatorship._meta.db_table, Pseud._meta.db_table
# What the index holds: posted works everyone may find (an unrevealed collection's works wait
# for its reveal; restricted works are marked, for guests).
LISTED = f"NOT {W}.is_draft AND NOT {W}.is_hidden AND NOT {W}.in_unrevealed_collection"
V = TypeVar("V")


def _micros(column: str) -> str:
    """SQL for a datetime column as whole microseconds since 1970 (UTC)."""
    if connection.vendor == "sqlite":
        return (
            f"(CAST(strftime('%%s', {column}) AS INTEGER) * 1000000 + CASE WHEN "
            f"length({column}) > 19 THEN CAST(substr({column} || '000000', 21, 6) AS INTEGER) "
            "ELSE 0 END)"
        )
    return f"CAST(EXTRACT(EPOCH FROM {column}) * 1000000 AS bigint)"


def _case(column: str, values: Sequence[str]) -> str:
    whens = " ".join(f"WHEN '{v}' THEN {n}" for n, v in enumerate(values))
    return f"(CASE {column} {whens} ELSE -1 END)"


def _aggregate(
    columns: Sequence[str], source: str, order: str, params: Sequence[Any]
) -> list[Ints]:
    """Run `SELECT columns FROM source ORDER BY order` as one row of joined numbers."""
    if connection.vendor == "sqlite":
        inner = ", ".join(f"{c} AS c{n}" for n, c in enumerate(columns))
        outer = ", ".join(f"group_concat(c{n})" for n in range(len(columns)))
        sql = f"SELECT {outer} FROM (SELECT {inner} FROM {source} ORDER BY {order})"  # noqa: S608
    else:
        outer = ", ".join(f"string_agg(({c})::text, ',' ORDER BY {order})" for c in columns)
        sql = f"SELECT {outer} FROM {source}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        row = cursor.fetchone()
    return [from_csv(text) for text in (row or [None] * len(columns))]


def _read(
    columns: Sequence[str], source: str, id_column: str, order: str, ids: Sequence[int] | None
) -> list[Ints]:
    """The columns for every work id (in spans) or for the works of IDS (in chunks)."""
    parts = [
        _aggregate(columns, f"{source} AND {where}", order, params)
        for where, params in _spans(id_column, ids)
    ]
    if not parts:
        return [np.zeros(0, dtype=np.int64) for _ in columns]
    return [np.concatenate([part[n] for part in parts]) for n in range(len(columns))]


@contextlib.contextmanager
def one_snapshot() -> Iterator[None]:
    """The reads inside see the database as of one moment, in one transaction.

    On SQLite the archive's transactions take the write lock as they begin (IMMEDIATE): a
    build reading for half a minute in one of those would hold off every writer. This one is
    DEFERRED, a reader's snapshot that writers go on beside. On PostgreSQL it is REPEATABLE
    READ, where each statement would otherwise see what committed since the last. Inside a
    caller's transaction the reads share it, and see its uncommitted writes."""
    if connection.in_atomic_block:
        with transaction.atomic():
            yield
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")  # it only read
    else:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield


def read_beside(read: Callable[[], V]) -> Future[V]:
    """Start READ in a thread of its own, on a connection of its own, in `one_snapshot()`.

    SQLite and PostgreSQL do a read's work (the aggregates above) with Python's lock released,
    so this read and the caller's own go on side by side, on two cores. The connection sees
    what is committed, not the caller's uncommitted writes: callers inside a transaction of
    their own read in it instead. `result()` waits, and raises what READ raised."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="index-read")

    def on_its_own_connection() -> V:
        try:
            with one_snapshot():
                return read()
        finally:
            connection.close()  # this thread's connection

    found = pool.submit(on_its_own_connection)
    pool.shutdown(wait=False)
    return found


@dataclass
class WorkColumns:
    ids: Ints
    restricted: Ints
    complete: Ints
    language: Ints  # index into LANGUAGE_CODES, -1 if unknown
    numbers: dict[str, Ints]


def read_works(ids: Sequence[int] | None = None) -> WorkColumns:
    columns = [
        f"{W}.id",
        f"CASE WHEN {W}.restricted THEN 1 ELSE 0 END",
        f"CASE WHEN {W}.expected_chapters IS NOT NULL AND {W}.chapter_count >= "
        f"{W}.expected_chapters THEN 1 ELSE 0 END",
        _case(f"{W}.language", LANGUAGE_CODES),
        f"{W}.word_count",
        f"{W}.chapter_count",
        f"COALESCE({S}.kudos, 0)",
        f"COALESCE({S}.comments, 0)",
        f"COALESCE({S}.bookmarks, 0)",
        f"COALESCE({S}.hits, 0)",
        f"COALESCE({_micros(f'{W}.published_at')}, 0)",
        f"COALESCE({_micros(f'{W}.updated_at')}, 0)",
    ]
    source = f"{W} LEFT JOIN {S} ON {S}.work_id = {W}.id WHERE {LISTED}"
    found = _read(columns, source, f"{W}.id", f"{W}.id", ids)
    return WorkColumns(
        found[0], found[1], found[2], found[3], dict(zip(NUMBERS, found[4:], strict=True))
    )


def read_taggings(ids: Sequence[int] | None = None) -> tuple[Ints, Ints]:
    """(work ids, tag ids), by work then tag; of every work, listed or not (the caller keeps
    the listed ones: a scan of the (work, tag) index is faster than a join). Read as one tag
    list per work, so each work id is parsed once."""
    if connection.vendor == "sqlite":
        # Two statements, one snapshot (the build reads in one transaction): the tags by work,
        # then how many each work has.
        statements = [
            f"SELECT NULL, NULL, group_concat(tag_id) FROM (SELECT tag_id FROM {TG} "  # noqa: S608
            "WHERE {where} ORDER BY work_id, tag_id)",
            f"SELECT group_concat(work_id), group_concat(n), NULL FROM (SELECT work_id, "  # noqa: S608
            f"count(*) AS n FROM {TG} WHERE {{where}} GROUP BY work_id ORDER BY work_id)",
        ]
    else:  # one statement: PostgreSQL's statements may each see newer commits
        inner = (
            f"SELECT work_id, count(*) AS n, string_agg(tag_id::text, ',' ORDER BY tag_id) "  # noqa: S608
            f"AS tags FROM {TG} WHERE {{where}} GROUP BY work_id"
        )
        statements = [
            "SELECT string_agg(work_id::text, ',' ORDER BY work_id), string_agg(n::text, ',' "  # noqa: S608
            f"ORDER BY work_id), string_agg(tags, ',' ORDER BY work_id) FROM ({inner}) t"
        ]
    works: list[Ints] = []
    tags: list[Ints] = []
    for where, params in _spans("work_id", ids):
        row: list[str | None] = [None, None, None]
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql.replace("{where}", where), params)
                got = cursor.fetchone() or (None, None, None)
                row = [new if new is not None else old for old, new in zip(row, got, strict=True)]
        found, counts, listed = (from_csv(text) for text in row)
        works.append(np.repeat(found, counts))
        tags.append(listed)
    if not works:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(works), np.concatenate(tags)


def _spans(column: str, ids: Sequence[int] | None) -> list[tuple[str, list[int]]]:
    """WHERE clauses (and their parameters) covering every work id, or the works of IDS."""
    if ids is None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {W}")  # noqa: S608
            top = cursor.fetchone()[0] or 0
        return [
            (f"{column} >= %s AND {column} < %s", [low, low + ID_SPAN])
            for low in range(0, top + 1, ID_SPAN)
        ]
    wanted = sorted(set(ids))
    return [
        (f"{column} IN ({', '.join(['%s'] * len(chunk))})", chunk)
        for chunk in (wanted[n : n + IN_CHUNK] for n in range(0, len(wanted), IN_CHUNK))
    ]


def read_creators(ids: Sequence[int] | None = None) -> tuple[Ints, Ints, Ints]:
    """(work ids, account ids, pseud ids) of accepted creators, by work then byline order; of
    every work, listed or not, but anonymous ones (their creators are not found by name)."""
    source = (
        f"{C} JOIN {P} ON {P}.id = {C}.pseud_id JOIN {W} ON {W}.id = {C}.work_id "
        f"WHERE {C}.accepted AND NOT {W}.in_anonymous_collection"
    )
    order = f"{C}.work_id, {C}.position, {C}.id"
    works, users, pseuds = _read(
        [f"{C}.work_id", f"{P}.user_id", f"{C}.pseud_id"], source, f"{C}.work_id", order, ids
    )
    return works, users, pseuds


def read_tags(ids: Sequence[int] | None = None) -> tuple[Ints, Ints, Ints]:
    """(tag ids, type codes (index into TAG_TYPES), canonical tag ids) of all or some tags."""
    columns = [f"{T}.id", _case(f"{T}.type", TAG_TYPES), f"COALESCE({T}.synonym_of_id, {T}.id)"]
    if ids is None:
        found = _aggregate(columns, f"{T} WHERE 1 = 1", f"{T}.id", [])
    else:
        found = _read(columns, f"{T} WHERE 1 = 1", f"{T}.id", f"{T}.id", ids)
    return found[0], found[1], found[2]


def read_pseud_names() -> dict[int, str]:
    """Every pseud's name, case folded (for the creator sort)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, name FROM {P}")  # noqa: S608
        return {pseud: name.casefold() for pseud, name in cursor.fetchall()}


def first_creators(works: Ints, pseuds: Ints) -> tuple[Ints, Ints]:
    """(work ids, pseud of the first creator) from read_creators' rows (in byline order)."""
    found, first = np.unique(works, return_index=True)
    return found, pseuds[first]


def read_sort_keys(name: str, ids: Sequence[int] | None = None) -> dict[int, str]:
    """Each listed work's title, or its first creator's pseud ("" if none), case folded."""
    if name == "title":
        sql = f"SELECT {W}.id, {W}.title FROM {W} WHERE {LISTED}"  # noqa: S608
    else:
        # The first accepted creator by byline position: the lowest (position, id); none
        # while the work is anonymous.
        sql = (
            f"SELECT {W}.id, (SELECT {P}.name FROM {C} JOIN {P} ON {P}.id = {C}.pseud_id "  # noqa: S608
            f"WHERE {C}.work_id = {W}.id AND {C}.accepted AND NOT {W}.in_anonymous_collection "
            f"ORDER BY {C}.position, {C}.id LIMIT 1) FROM {W} WHERE {LISTED}"
        )
    keys: dict[int, str] = {}
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(sql)
            while rows := cursor.fetchmany(10_000):
                keys.update((i, (k or "").casefold()) for i, k in rows)
        else:
            wanted = sorted(set(ids))
            for start in range(0, len(wanted), IN_CHUNK):
                chunk = wanted[start : start + IN_CHUNK]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"{sql} AND {W}.id IN ({marks})", chunk)
                keys.update((i, (k or "").casefold()) for i, k in cursor.fetchall())
    return keys
