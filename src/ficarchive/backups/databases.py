"""Copying the database out and back in: SQLite through its online backup API, PostgreSQL
through `pg_dump` (custom format) and `pg_restore`.

Both copies are taken while the archive serves. SQLite's backup copies every page in one step,
which reads one snapshot as any reader does: in WAL mode writers go on beside it and are never
held up (a copy made in several steps would start again after each write). pg_dump reads in a
snapshot exported from the transaction that counts the tables, so the counts in the manifest
are those of the copy.
"""

from __future__ import annotations

import glob
import re
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connection, transaction

from ficarchive.backups.manifest import BackupError, applied_migrations, count_rows
from ficarchive.db import lower
from ficarchive.env import env_str


@dataclass
class DatabaseCopy:
    tables: dict[str, int]
    migrations: list[tuple[str, str]]
    info: dict[str, str]


# --- SQLite -----------------------------------------------------------------------------------


def _open_sqlite(path: Path) -> sqlite3.Connection:
    """A connection with the archive's LOWER (db.py), which its expression indexes need."""
    opened = sqlite3.connect(path, timeout=20)
    opened.create_function("lower", 1, lower, deterministic=True)
    return opened


def copy_sqlite(source: Path, target: Path) -> DatabaseCopy:
    """Copy the live database at SOURCE into the new file TARGET, then count what it holds."""
    if not source.is_file():
        raise BackupError(f"There is no database to back up at {source}.")
    live = _open_sqlite(source)
    copy = _open_sqlite(target)
    try:
        live.backup(copy)  # pages=-1: one step, one read snapshot; writers are not blocked
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        cursor = copy.cursor()
        return DatabaseCopy(
            count_rows(cursor, "sqlite"),
            applied_migrations(cursor, "sqlite"),
            {"sqlite": sqlite3.sqlite_version},
        )
    except sqlite3.Error as exc:
        raise BackupError(f"Cannot copy the database {source}: {exc}.") from exc
    finally:
        copy.close()
        live.close()


def sqlite_is_empty(path: Path) -> bool:
    """True when PATH holds no database yet, or one without tables."""
    if not path.exists():
        return not Path(f"{path}-wal").exists()
    try:
        opened = sqlite3.connect(path)
        try:
            (tables,) = opened.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            opened.close()
    except sqlite3.Error:
        return False
    return tables == 0


def check_sqlite(path: Path, label: str) -> dict[str, int]:
    """Check the database file at PATH (SQLite's quick check) and count its rows."""
    try:
        opened = _open_sqlite(path)
        try:
            (verdict,) = opened.execute("PRAGMA quick_check").fetchone()
            counts = count_rows(opened.cursor(), "sqlite")
        finally:
            opened.close()
    except sqlite3.Error as exc:
        raise BackupError(f"{label} is damaged: its database cannot be read ({exc}).") from exc
    if verdict != "ok":
        raise BackupError(f"{label} is damaged: its database fails SQLite's check ({verdict}).")
    return counts


# --- PostgreSQL -------------------------------------------------------------------------------

_SSL_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


def _settings() -> dict[str, Any]:
    return connection.settings_dict


def database_name() -> str:
    return str(_settings()["NAME"])


def _connect_args(dbname: str) -> dict[str, Any]:
    settings = _settings()
    args = {
        "dbname": dbname,
        "host": settings.get("HOST") or None,
        "port": settings.get("PORT") or None,
        "user": settings.get("USER") or None,
        "password": settings.get("PASSWORD") or None,
    }
    options = settings.get("OPTIONS", {})
    args.update({key: options[key] for key in _SSL_OPTIONS if key in options})
    return {key: value for key, value in args.items() if value is not None}


def _tool_environment() -> dict[str, str]:
    """libpq's variables for pg_dump and pg_restore: the password stays off the command line."""
    import os

    names = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD"}
    environment = dict(os.environ)
    for key, value in _connect_args(database_name()).items():
        variable = names.get(key) or _SSL_OPTIONS.get(key)
        if variable:
            environment[variable] = str(value)
    return environment


def _version_of(tool: str) -> tuple[int, str] | None:
    try:
        answer = subprocess.run(  # noqa: S603
            [tool, "--version"], capture_output=True, text=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"(\d+)(?:\.(\d+))?", answer.stdout)
    return (int(found.group(1)), found.group(0)) if found else None


def find_tool(name: str, at_least: int, purpose: str) -> tuple[str, str]:
    """PostgreSQL's NAME at major version AT_LEAST or newer: in FICARCHIVE_PG_BIN if it is set,
    else on PATH or where Debian puts each installed version. Returns its path and version."""
    import shutil

    folder = env_str("FICARCHIVE_PG_BIN")
    if folder:
        candidates: list[str] = [str(Path(folder) / name)]
    else:
        installed = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
        candidates = [shutil.which(name) or "", *sorted(installed, reverse=True)]
    seen: list[str] = []
    for candidate in filter(None, candidates):
        version = _version_of(candidate)
        if version is None:
            continue
        if version[0] >= at_least:
            return candidate, version[1]
        seen.append(f"{candidate} is version {version[1]}")
    if not seen:
        raise BackupError(
            f"{name} is not installed{' in ' + folder if folder else ''}: {purpose} needs "
            f"PostgreSQL's client tools, version {at_least} or newer (Debian: apt-get install "
            "postgresql-client)."
        )
    raise BackupError(
        f"{name} is too old: {purpose} needs version {at_least} or newer, and {'; '.join(seen)}."
    )


def _server_major() -> tuple[int, str]:
    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        raise BackupError(
            f"Cannot connect to the database {database_name()}: {_last_line(str(exc))}"
        ) from exc
    number = int(connection.pg_version)  # type: ignore[attr-defined]
    return number // 10000, f"{number // 10000}.{number % 10000}"


def dump_postgres(target: Path) -> DatabaseCopy:
    """pg_dump the database into TARGET (custom format) in the snapshot the counts are read in."""
    major, server = _server_major()
    tool, version = find_tool("pg_dump", major, f"backing up a PostgreSQL {major} server")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        tables = count_rows(cursor, "postgresql")
        migrations = applied_migrations(cursor, "postgresql")
        done = subprocess.run(  # noqa: S603
            [tool, "--format=custom", f"--snapshot={snapshot}", "--file", str(target),
             "--dbname", database_name()],
            env=_tool_environment(), capture_output=True, text=True, check=False,
        )  # fmt: skip
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {_last_line(done.stderr)}")
    return DatabaseCopy(tables, migrations, {"server": server, "pg_dump": version})


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def postgres_state() -> str:
    """'missing', 'empty' or 'in use': whether DATABASE_URL's database can take a restore."""
    import psycopg

    name = database_name()
    try:
        with psycopg.connect(**_connect_args(name)) as opened:
            (relations,) = opened.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
                "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'"
            ).fetchone()  # type: ignore[misc]
    except psycopg.OperationalError as exc:
        if "does not exist" in str(exc):
            return "missing"
        raise BackupError(f"Cannot connect to the database {name}: {_last_line(str(exc))}") from exc
    return "empty" if relations == 0 else "in use"


def create_postgres_database() -> None:
    import psycopg
    from psycopg import sql

    name = database_name()
    try:
        with psycopg.connect(**_connect_args("postgres"), autocommit=True) as opened:
            opened.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        raise BackupError(
            f"Cannot create the database {name} ({_last_line(str(exc))}); "
            "create it empty and run the restore again."
        ) from exc


def pg_restore_tool(manifest_pg_dump: str) -> tuple[str, str]:
    """A pg_restore that reads the dump (its major version at least pg_dump's)."""
    needed = int(re.match(r"\d+", manifest_pg_dump or "0").group(0))  # type: ignore[union-attr]
    return find_tool("pg_restore", needed, f"restoring a dump made by pg_dump {manifest_pg_dump}")


def load_postgres(tool: str, dump: Path) -> None:
    """pg_restore DUMP into the empty database, all in one transaction."""
    done = subprocess.run(  # noqa: S603
        [tool, "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction",
         "--dbname", database_name(), str(dump)],
        env=_tool_environment(), capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise BackupError(
            f"pg_restore failed, the database is left empty: {_last_line(done.stderr)}"
        )
