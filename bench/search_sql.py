"""Relational baselines for the search benchmark: SQLite and PostgreSQL answering the engine's
queries with an ordinary schema and the best indexes we could give them.

The schema: `bench_work` (one row per listed work: its counters, dates as microseconds, title
and first-creator sort keys, language, complete, restricted), `bench_tag` (type, name and the
canonical tag a synonym stands for), `bench_tagging` (work, tag), and the text as a full-text
index (SQLite FTS5 over the same lower-case words; PostgreSQL a `tsvector` with GIN). Indexes:
every sort key with the id (so `ORDER BY key, id DESC LIMIT n` walks an index), taggings both
ways (tag -> works for filters, work -> tags for facets), tags by canonical tag.

A search is three statements, as an application would send them: the count, the page, and the
facets (top 10 canonical tags per type with a window function). Tag names are resolved to the
tag ids they cover before the clock starts (the engine's time includes that lookup).
"""

from __future__ import annotations

import io
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench.search_docs import FACET_TYPES, NUMBERS, Doc, covered_ids, day_bounds

SORT_COLUMNS = {
    "updated": "updated", "published": "published", "title": "title_key",
    "creator": "creator_key", "words": "words", "chapters": "chapters", "kudos": "kudos",
    "comments": "comments", "bookmarks": "bookmarks", "hits": "hits",
}  # fmt: skip
WORK_COLUMNS = (
    "id", "restricted", "language", "complete", *NUMBERS, "title_key", "creator_key",
)  # fmt: skip


TIMEOUT_SECONDS = 10.0


class Unsupported(Exception):
    """A query this baseline cannot express the way the engine means it."""


class TimedOut(Exception):
    """The baseline was stopped after TIMEOUT_SECONDS: its time is at least that."""


def _schema(text_type: str) -> list[str]:
    numbers = ", ".join(f"{n} BIGINT NOT NULL" for n in NUMBERS)
    return [
        "CREATE TABLE bench_tag (id BIGINT PRIMARY KEY, type TEXT NOT NULL, name TEXT NOT NULL,"
        " canonical_id BIGINT NOT NULL)",
        f"CREATE TABLE bench_work (id BIGINT PRIMARY KEY, restricted BOOLEAN NOT NULL,"
        f" language TEXT NOT NULL, complete BOOLEAN NOT NULL, {numbers},"
        f" title_key TEXT NOT NULL, creator_key TEXT NOT NULL{text_type})",
        "CREATE TABLE bench_tagging (work_id BIGINT NOT NULL, tag_id BIGINT NOT NULL)",
    ]


def _indexes(collate: str) -> list[str]:
    sql = [
        "CREATE UNIQUE INDEX bench_tagging_tag ON bench_tagging (tag_id, work_id)",
        "CREATE UNIQUE INDEX bench_tagging_work ON bench_tagging (work_id, tag_id)",
        "CREATE INDEX bench_tag_canonical ON bench_tag (canonical_id)",
        "CREATE INDEX bench_work_language ON bench_work (language, id)",
    ]
    for column in SORT_COLUMNS.values():
        text = collate if column.endswith("_key") else ""
        sql.append(f"CREATE INDEX bench_work_{column} ON bench_work ({column}{text}, id)")
    return sql


class Relational:
    """One relational baseline: `fill` it from the documents, then `search` queries."""

    name = ""
    collate = ""
    mark = "%s"

    def __init__(self) -> None:
        self.fill_seconds = 0.0
        self.covered: dict[str, tuple[list[int], bool]] = {}

    # --- the SQL, shared by both databases -------------------------------------------------
    def _tag_ids(self, name: str) -> list[int]:
        if name not in self.covered:
            self.covered[name] = covered_ids(name)
        return self.covered[name][0]

    def _text_condition(self, clause: tuple[Any, ...], params: list[Any]) -> str:
        raise NotImplementedError

    def where(self, query: Any, guest: bool = True) -> tuple[str, list[Any]]:
        m = self.mark
        parts: list[str] = []
        params: list[Any] = []
        if guest:
            parts.append("NOT w.restricted")
        for name, negate in [(n, False) for n in query.include] + [
            (n, True) for n in query.exclude
        ]:
            ids = self._tag_ids(name)
            if not ids:
                parts.append("1 = 0" if not negate else "1 = 1")
                continue
            marks = ", ".join([m] * len(ids))
            word = "NOT IN" if negate else "IN"
            parts.append(
                f"w.id {word} (SELECT work_id FROM bench_tagging WHERE tag_id IN ({marks}))"
            )
            params += ids
        if query.complete is not None:
            parts.append("w.complete" if query.complete else "NOT w.complete")
        if query.lang is not None:
            parts.append(f"w.language = {m}")
            params.append(query.lang)
        for clause in query.text:
            parts.append(self._text_condition(clause, params))
        bounds = [(n, r.low, r.high) for n, r in query.ranges.items()]
        bounds += [(n, *day_bounds(d.start, d.end)) for n, d in query.dates.items()]
        for column, low, high in bounds:
            if low is not None:
                parts.append(f"w.{column} >= {m}")
                params.append(low)
            if high is not None:
                parts.append(f"w.{column} <= {m}")
                params.append(high)
        return (" AND ".join(parts) or "1 = 1"), params

    def order(self, query: Any) -> str:
        if query.sort == "relevance" and query.positive_words:
            raise Unsupported("relevance ranking of free text")
        column = SORT_COLUMNS["updated" if query.sort == "relevance" else query.sort]
        text = self.collate if column.endswith("_key") else ""
        return f"w.{column}{text} {query.order.upper()}, w.id DESC"

    def statements(self, query: Any) -> list[tuple[str, list[Any]]]:
        where, params = self.where(query)
        m = self.mark
        count = (f"SELECT COUNT(*) FROM bench_work w WHERE {where}", params)
        page = (
            f"SELECT w.id FROM bench_work w WHERE {where} ORDER BY {self.order(query)}"
            f" LIMIT {m} OFFSET {m}",
            [*params, query.per_page, query.offset],
        )
        types = ", ".join(f"'{t}'" for t in FACET_TYPES)
        facets = (
            "SELECT type, name, n FROM ("
            " SELECT t.type, t.name, c.n, ROW_NUMBER() OVER (PARTITION BY t.type"
            f"  ORDER BY c.n DESC, LOWER(t.name){self.collate}) AS place"
            " FROM (SELECT g.canonical_id AS top, COUNT(DISTINCT f.id) AS n"
            f"  FROM (SELECT w.id FROM bench_work w WHERE {where}) f"
            "  JOIN bench_tagging x ON x.work_id = f.id"
            "  JOIN bench_tag g ON g.id = x.tag_id GROUP BY g.canonical_id) c"
            f" JOIN bench_tag t ON t.id = c.top WHERE t.type IN ({types})) ranked"
            " WHERE place <= 10",
            params,
        )
        return [count, page, facets]

    def search(self, query: Any) -> tuple[int, list[int], dict[str, list[tuple[str, int]]], float]:
        """(total, page ids, facets, milliseconds)."""
        statements = self.statements(query)
        started = time.perf_counter()
        (total,), ids, facet_rows = self.run(statements)
        took = (time.perf_counter() - started) * 1000
        facets: dict[str, list[tuple[str, int]]] = {t: [] for t in FACET_TYPES}
        for kind, name, n in facet_rows:
            facets[kind].append((name, int(n)))
        for kind in facets:
            facets[kind].sort(key=lambda pair: (-pair[1], pair[0].lower()))
        return int(total[0]), [int(r[0]) for r in ids], facets, took

    def run(self, statements: list[tuple[str, list[Any]]]) -> list[list[Any]]:
        raise NotImplementedError

    def close(self) -> None:
        pass


class SQLiteBaseline(Relational):
    name = "sqlite"
    mark = "?"

    def __init__(self, path: Path) -> None:
        super().__init__()
        for suffix in ("", "-wal", "-shm"):  # an earlier run's, stopped half-way (--keep)
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA cache_size = -262144")
        self.db.execute("PRAGMA mmap_size = 4294967296")

    def fill(self, docs: Iterable[Doc], tags: dict[int, tuple[str, str, int]]) -> None:
        started = time.perf_counter()
        db = self.db
        for statement in _schema(""):
            db.execute(statement)
        tokenizer = "unicode61 tokenchars '_'"
        db.execute(f'CREATE VIRTUAL TABLE bench_text USING fts5(words, tokenize="{tokenizer}")')
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO bench_tag VALUES (?, ?, ?, ?)",
            [(pk, kind, name, top) for pk, (kind, name, top) in tags.items()],
        )
        marks = ", ".join("?" * len(WORK_COLUMNS))
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= 5000:
                self._insert(batch, marks)
                batch = []
        self._insert(batch, marks)
        db.execute("COMMIT")
        for statement in _indexes(""):
            db.execute(statement)
        db.execute("ANALYZE")
        self.fill_seconds = time.perf_counter() - started

    def _insert(self, docs: list[Doc], marks: str) -> None:
        self.db.executemany(
            f"INSERT INTO bench_work VALUES ({marks})", [_work_row(d) for d in docs]
        )
        self.db.executemany(
            "INSERT INTO bench_tagging VALUES (?, ?)", [(d.id, t) for d in docs for t in d.tag_ids]
        )
        self.db.executemany(
            "INSERT INTO bench_text (rowid, words) VALUES (?, ?)", [(d.id, d.text) for d in docs]
        )

    def _text_condition(self, clause: tuple[Any, ...], params: list[Any]) -> str:
        if len(clause) == 1 and clause[0].negated:
            params.append(_fts_phrase(clause[0].words))
            return "w.id NOT IN (SELECT rowid FROM bench_text WHERE bench_text MATCH ?)"
        if any(term.negated for term in clause):
            raise Unsupported("a left-out term inside OR")
        params.append(" OR ".join(_fts_phrase(term.words) for term in clause))
        return "w.id IN (SELECT rowid FROM bench_text WHERE bench_text MATCH ?)"

    def run(self, statements: list[tuple[str, list[Any]]]) -> list[list[Any]]:
        deadline = time.perf_counter() + TIMEOUT_SECONDS
        self.db.set_progress_handler(lambda: int(time.perf_counter() > deadline), 10_000)
        try:
            return [self.db.execute(sql, params).fetchall() for sql, params in statements]
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise TimedOut from exc
            raise
        finally:
            self.db.set_progress_handler(None, 0)

    def close(self) -> None:
        self.db.close()


def _fts_phrase(words: tuple[str, ...]) -> str:
    return '"' + " ".join(words) + '"'


class PostgresBaseline(Relational):
    name = "postgresql"
    collate = ' COLLATE "C"'

    def __init__(self, url: str, database: str) -> None:
        import psycopg

        super().__init__()
        self.url, self.database = url, database
        with psycopg.connect(f"{url}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}"')
            admin.execute(f'CREATE DATABASE "{database}"')
        self.db = psycopg.connect(f"{url}/{database}", autocommit=True)
        self.db.execute("SET work_mem = '64MB'")
        self.db.execute("SET jit = off")

    def fill(self, docs: Iterable[Doc], tags: dict[int, tuple[str, str, int]]) -> None:
        started = time.perf_counter()
        db = self.db
        for statement in _schema(", doc TEXT NOT NULL"):
            db.execute(statement)
        with db.cursor() as cursor:
            with cursor.copy("COPY bench_tag FROM STDIN") as copy:
                for pk, (kind, name, top) in tags.items():
                    copy.write_row((pk, kind, name, top))
            taggings = io.StringIO()
            columns = ", ".join(WORK_COLUMNS)
            with cursor.copy(f"COPY bench_work ({columns}, doc) FROM STDIN") as works:
                for doc in docs:
                    works.write_row((*_work_row(doc), doc.text))
                    taggings.writelines(f"{doc.id}\t{t}\n" for t in doc.tag_ids)
            with cursor.copy("COPY bench_tagging FROM STDIN") as copy:
                copy.write(taggings.getvalue())
        db.execute(
            "ALTER TABLE bench_work ADD COLUMN search tsvector"
            " GENERATED ALWAYS AS (to_tsvector('simple', doc)) STORED"
        )
        db.execute("SET maintenance_work_mem = '512MB'")
        for statement in _indexes(self.collate):
            db.execute(statement)
        db.execute("CREATE INDEX bench_work_search ON bench_work USING GIN (search)")
        db.execute("VACUUM ANALYZE")
        self.fill_seconds = time.perf_counter() - started

    def _text_condition(self, clause: tuple[Any, ...], params: list[Any]) -> str:
        terms = []
        for term in clause:
            phrase = " <-> ".join(term.words)
            terms.append(f"!({phrase})" if term.negated else f"({phrase})")
        params.append(" | ".join(terms))
        return "w.search @@ to_tsquery('simple', %s)"

    def run(self, statements: list[tuple[str, list[Any]]]) -> list[list[Any]]:
        import psycopg

        results = []
        with self.db.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {int(TIMEOUT_SECONDS * 1000)}")
            started = time.perf_counter()
            try:
                for sql, params in statements:
                    cursor.execute(sql, params)
                    results.append(cursor.fetchall())
                    if time.perf_counter() - started > TIMEOUT_SECONDS:
                        raise TimedOut
            except psycopg.errors.QueryCanceled as exc:
                raise TimedOut from exc
        return results

    def close(self) -> None:
        import psycopg

        self.db.close()
        with psycopg.connect(f"{self.url}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.database}"')


def _work_row(doc: Doc) -> tuple[Any, ...]:
    return (
        doc.id, doc.restricted, doc.language, doc.complete,
        *(doc.numbers[n] for n in NUMBERS), doc.title_key, doc.creator_key,
    )  # fmt: skip
