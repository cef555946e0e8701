"""Archives in their places (a data folder and a database) driven through the real CLI, and
readers of every table of a place's database, for comparing an archive with its restored copy.

On SQLite the original archive is the test database itself; a restore goes into a new data
folder. On PostgreSQL (DATABASE_URL set) the original is the test database, and a restore goes
into a second database named after it, which the fixture drops afterwards.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from ficarchive.db import lower

# Writes committed for the CLI to see; the rows migrations made (fixed tags) put back after.
TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SECRET = "the-original-archive-secret-key-0123456789"


def postgres_url(name: str) -> str:
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{settings['USER']}{password}@{host}:{port}/{name}"


def postgres_admin() -> Any:
    import psycopg

    settings = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        host=settings.get("HOST") or "127.0.0.1",
        port=settings.get("PORT") or 5432,
        user=settings.get("USER"),
        password=settings.get("PASSWORD") or None,
        autocommit=True,
    )


def drop_postgres_database(name: str) -> None:
    from psycopg import sql

    with postgres_admin() as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _sortable(row: tuple[Any, ...]) -> list[tuple[str, str]]:
    return [(type(value).__name__, repr(value)) for value in row]


@dataclass
class Place:
    """Where an archive lives: FICARCHIVE_DATA, and DATABASE_URL ('' for SQLite in the folder)."""

    data: Path
    database_url: str = ""

    @property
    def sqlite_file(self) -> Path:
        if self.database_url.startswith("sqlite:///"):
            return Path(self.database_url.removeprefix("sqlite://"))
        return self.data / "ficarchive.sqlite3"

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        environment = {**os.environ, "FICARCHIVE_DATA": str(self.data), **env}
        for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY"):
            environment.pop(name, None)
        if self.database_url:
            environment["DATABASE_URL"] = self.database_url
        return subprocess.run(
            [sys.executable, "-m", "ficarchive.cli", *args],
            env={**environment, **env},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    def tables(self) -> dict[str, list[list[tuple[str, str]]]]:
        """Every table's rows (in a comparable, sorted form), the text index's included."""
        if self.database_url.startswith("postgres"):
            return self._postgres_tables()
        opened = sqlite3.connect(self.sqlite_file)
        opened.create_function("lower", 1, lower, deterministic=True)
        try:
            found = {}
            for name, sql in opened.execute(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).fetchall():
                columns = "rowid, *" if sql.upper().startswith("CREATE VIRTUAL") else "*"
                rows = opened.execute(f'SELECT {columns} FROM "{name}"').fetchall()
                found[name] = sorted(_sortable(row) for row in rows)
            return found
        finally:
            opened.close()

    def _postgres_tables(self) -> dict[str, list[list[tuple[str, str]]]]:
        import psycopg

        with psycopg.connect(self.database_url) as opened:
            names = [
                name
                for (name,) in opened.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                ).fetchall()
            ]
            return {
                name: sorted(
                    _sortable(row) for row in opened.execute(f'SELECT * FROM "{name}"').fetchall()
                )
                for name in names
            }

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """The rows SQL finds in this place's database (read on a connection of its own)."""
        if self.database_url.startswith("postgres"):
            import psycopg

            with psycopg.connect(self.database_url) as opened:
                return opened.execute(sql).fetchall()  # type: ignore[arg-type]
        opened = sqlite3.connect(self.sqlite_file)
        try:
            return opened.execute(sql).fetchall()
        finally:
            opened.close()

    def search(self, queries: list[str], folder: Path) -> list[dict[str, Any]]:
        """The answers of `ficarchive search --batch`, without their timings."""
        batch = folder / "queries.txt"
        batch.write_text("\n".join(queries) + "\n")
        result = self.run("search", "--batch", str(batch))
        assert result.returncode == 0, result.stderr
        answers = [json.loads(line) for line in result.stdout.splitlines()]
        for answer in answers:
            answer.pop("took_ms", None)
        return answers


@pytest.fixture
def original(tmp_path: Path) -> Place:
    """The test database as an archive in its own data folder, with a secret key of its own.
    Tests using it are marked `TRANSACTIONAL`: their writes are committed, for the CLI to see."""
    data = tmp_path / "original"
    data.mkdir()
    key = data / "secret_key"
    key.touch(mode=0o600)
    key.write_text(SECRET)
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        return Place(data, f"sqlite:///{name}")
    return Place(data, postgres_url(name))


@pytest.fixture
def restored(tmp_path: Path) -> Iterator[Place]:
    """An empty place to restore into: a new data folder (and, on PostgreSQL, a database that
    does not exist yet)."""
    data = tmp_path / "restored"
    if connection.vendor == "sqlite":
        yield Place(data)
        return
    name = f"{connection.settings_dict['NAME']}_bk_restored"
    drop_postgres_database(name)
    yield Place(data, postgres_url(name))
    drop_postgres_database(name)
