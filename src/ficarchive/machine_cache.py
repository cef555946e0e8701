"""The default cache: one SQLite file that every process of the machine shares.

Counters, rate limits and cached answers must be one state for the whole machine, or each
server process counts, limits and caches on its own (hits that flip between values, ETags that
match in one process and not in the next, a login limit multiplied by the number of processes).
This backend keeps them in its own SQLite file (never the archive's database, so a cache write
never waits for the archive's write lock, nor holds it) in WAL mode: readers never wait, writers
take turns for microseconds. Each thread of each process has its own connection.

`add`, `incr` and `decr` are single statements (`INSERT … ON CONFLICT DO UPDATE … RETURNING`),
so they are atomic across processes as in Redis. Whole numbers are stored as SQLite integers (so
`incr` adds in place); everything else is pickled, as Django's own caches do. Expired entries are
skipped when read and removed when the cache is culled: every CULL_EVERY writes of a process, or
at once after a large value, the entries that expire soonest go until the cache holds at most
MAX_ENTRIES entries and MAX_BYTES bytes (values never set to expire go last).

    CACHES = {"default": {
        "BACKEND": "ficarchive.machine_cache.MachineCache",
        "LOCATION": "/path/to/cache.sqlite3",
        "OPTIONS": {"MAX_ENTRIES": 20_000, "MAX_BYTES": 512 * 2**20},
    }}
"""

from __future__ import annotations

import math
import os
import pickle
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.exceptions import ImproperlyConfigured

NEVER = math.inf  # the expiry of an entry set with timeout=None
BUSY_TIMEOUT_MS = 20_000
CHUNK = 500  # keys per statement in the *_many methods
LARGE = 1 << 20  # a value this large makes the next write cull
INT64 = range(-(2**63), 2**63)

SCHEMA = """
CREATE TABLE IF NOT EXISTS entry (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL,
    expires REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entry_expires ON entry (expires);
"""


def _encode(value: Any) -> Any:
    """Whole numbers stay SQLite integers (so incr adds in place); the rest is pickled."""
    if type(value) is int and value in INT64:
        return value
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def _decode(stored: Any) -> Any:
    return stored if isinstance(stored, int) else pickle.loads(stored)  # noqa: S301


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


class MachineCache(BaseCache):
    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        if not location:
            raise ImproperlyConfigured("MachineCache needs a LOCATION: the SQLite file to use")
        if sqlite3.sqlite_version_info < (3, 35):
            raise ImproperlyConfigured(
                f"MachineCache needs SQLite 3.35 or newer, not {sqlite3.sqlite_version}"
            )
        self.path = Path(location)
        options = params.get("OPTIONS", {})
        self._max_bytes = int(options.get("MAX_BYTES", 512 * 2**20))
        self._cull_every = int(options.get("CULL_EVERY", 200))
        self._local = threading.local()
        self._writes = 0
        self._due_to_cull = False

    # Connections: one per thread and process, made on first use.

    def _connection(self) -> sqlite3.Connection:
        held: tuple[int, sqlite3.Connection] | None = getattr(self._local, "held", None)
        if held is not None and held[0] == os.getpid():
            return held[1]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            self.path.touch(mode=0o600)
        connection = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
        )
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _prepare(connection)
        self._local.held = (os.getpid(), connection)
        return connection

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (the write lock taken at once, so it never has to upgrade)."""
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def _expiry(self, timeout: Any) -> float:
        seconds = self.get_backend_timeout(timeout)
        return NEVER if seconds is None else float(seconds)

    def _key(self, key: Any, version: int | None) -> str:
        made = self.make_and_validate_key(key, version=version)
        return str(made)

    def _wrote(self, count: int = 1, *, large: bool = False) -> None:
        """Count writes; cull every CULL_EVERY of them, or after a large value."""
        self._writes += count
        if large or self._writes >= self._cull_every:
            self._writes = 0
            self.cull()

    # The cache API.

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        row = (
            self._connection()
            .execute(
                "SELECT value FROM entry WHERE key = ? AND expires > ?",
                (self._key(key, version), time.time()),
            )
            .fetchone()
        )
        return default if row is None else _decode(row[0])

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        stored = _encode(value)
        self._connection().execute(
            "INSERT INTO entry (key, value, expires) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires",
            (self._key(key, version), stored, self._expiry(timeout)),
        )
        self._wrote(large=isinstance(stored, bytes) and len(stored) >= LARGE)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        """Set KEY only if it holds nothing (or only an expired value); True if it was set."""
        stored = _encode(value)
        row = (
            self._connection()
            .execute(
                "INSERT INTO entry (key, value, expires) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
                "expires = excluded.expires WHERE entry.expires <= ? RETURNING 1",
                (self._key(key, version), stored, self._expiry(timeout), time.time()),
            )
            .fetchone()
        )
        if row is not None:
            self._wrote(large=isinstance(stored, bytes) and len(stored) >= LARGE)
        return row is not None

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        made = self._key(key, version)
        row = (
            self._connection()
            .execute(
                "UPDATE entry SET value = value + ? "
                "WHERE key = ? AND expires > ? AND typeof(value) = 'integer' RETURNING value",
                (delta, made, time.time()),
            )
            .fetchone()
        )
        if row is None:
            if self.has_key(key, version):
                raise TypeError(f"Key '{made}' does not hold a whole number")
            raise ValueError(f"Key '{made}' not found")
        return int(row[0])

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        cursor = self._connection().execute(
            "UPDATE entry SET expires = ? WHERE key = ? AND expires > ?",
            (self._expiry(timeout), self._key(key, version), time.time()),
        )
        return cursor.rowcount > 0

    def delete(self, key: Any, version: int | None = None) -> bool:
        cursor = self._connection().execute(
            "DELETE FROM entry WHERE key = ? AND expires > ?",
            (self._key(key, version), time.time()),
        )
        return cursor.rowcount > 0

    def has_key(self, key: Any, version: int | None = None) -> bool:
        row = (
            self._connection()
            .execute(
                "SELECT 1 FROM entry WHERE key = ? AND expires > ?",
                (self._key(key, version), time.time()),
            )
            .fetchone()
        )
        return row is not None

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        made = {self._key(key, version): key for key in keys}
        found: dict[Any, Any] = {}
        now = time.time()
        connection = self._connection()
        for chunk in _chunks(list(made)):
            marks = ",".join("?" * len(chunk))
            rows = connection.execute(
                f"SELECT key, value FROM entry WHERE key IN ({marks}) AND expires > ?",  # noqa: S608
                (*chunk, now),
            )
            for stored_key, value in rows:
                found[made[stored_key]] = _decode(value)
        return {key: found[key] for key in made.values() if key in found}

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        expires = self._expiry(timeout)
        rows = [(self._key(key, version), _encode(value), expires) for key, value in data.items()]
        if not rows:
            return []
        with self._write() as connection:
            connection.executemany(
                "INSERT INTO entry (key, value, expires) VALUES (?, ?, ?) ON CONFLICT (key) "
                "DO UPDATE SET value = excluded.value, expires = excluded.expires",
                rows,
            )
        large = sum(len(row[1]) for row in rows if isinstance(row[1], bytes)) >= LARGE
        self._wrote(len(rows), large=large)
        return []

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        made = [self._key(key, version) for key in keys]
        connection = self._connection()
        for chunk in _chunks(made):
            marks = ",".join("?" * len(chunk))
            connection.execute(f"DELETE FROM entry WHERE key IN ({marks})", chunk)  # noqa: S608

    def clear(self) -> None:
        self._connection().execute("DELETE FROM entry")

    def close(self, **kwargs: Any) -> None:
        """Django closes caches after each request; the connection is kept for the next one."""

    # Culling.

    def cull(self) -> int:
        """Drop expired entries, then the soonest to expire past MAX_ENTRIES or MAX_BYTES;
        returns how many entries went."""
        keep_entries = self._max_entries - self._max_entries // max(self._cull_frequency, 1)
        keep_bytes = self._max_bytes - self._max_bytes // max(self._cull_frequency, 1)
        connection = self._connection()
        now = time.time()
        dropped = connection.execute("DELETE FROM entry WHERE expires <= ?", (now,)).rowcount
        count, size = self.size()  # read without holding the write lock
        if count <= self._max_entries and size <= self._max_bytes:
            return dropped
        # Keep the entries that expire last, as many as fit in both limits.
        with self._write() as connection:
            return (
                dropped
                + connection.execute(
                    "DELETE FROM entry WHERE key IN (SELECT key FROM ("
                    "  SELECT key, row_number() OVER latest AS place,"
                    "         sum(length(value)) OVER latest AS size"
                    "  FROM entry WINDOW latest AS (ORDER BY expires DESC, key)"
                    ") WHERE place > ? OR size > ?)",
                    (keep_entries, keep_bytes),
                ).rowcount
            )

    def size(self) -> tuple[int, int]:
        """How many entries the file holds, and their bytes (expired ones included)."""
        count, size = (
            self._connection()
            .execute("SELECT count(*), total(length(value)) FROM entry")
            .fetchone()
        )
        return int(count), int(size)


def _prepare(connection: sqlite3.Connection, tries: int = 50) -> None:
    """WAL mode and the schema. Switching a new file to WAL while other processes open it at
    the same moment can answer "database is locked" at once, without the busy timeout's wait:
    such a first start tries again for a few seconds."""
    for attempt in range(tries):
        try:
            if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.executescript(SCHEMA)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == tries - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
