"""What a backup holds, written as `manifest.json` inside it, and the table counts it records.

The manifest names the archive version that made the backup, the database vendor, the applied
migrations, the rows of every table (counted in the same snapshot as the copy) and the size and
SHA-256 of every file in the backup, so that a restore can tell a damaged or foreign file, a
backup of the other database, or one made by a newer version, before it changes anything.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

FORMAT = "ficarchive-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SECRET_KEY_FILE = "secret_key"
MEDIA_PREFIX = "media/"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# The tables SQLite's FTS5 keeps behind a virtual table: they follow it, and are not counted.
FTS5_SHADOWS = ("data", "idx", "content", "docsize", "config")


class BackupError(Exception):
    """A backup cannot be made or restored; the message says which file and why."""


@dataclass(frozen=True)
class FileEntry:
    size: int
    sha256: str


@dataclass
class Manifest:
    archive_version: str
    created: str
    vendor: str
    migrations: list[tuple[str, str]]
    tables: dict[str, int]
    database: dict[str, str] = field(default_factory=dict)
    files: dict[str, FileEntry] = field(default_factory=dict)
    secret_key_from: str = "file"

    @property
    def database_file(self) -> str:
        return DATABASE_FILES[self.vendor]

    @property
    def media_files(self) -> list[str]:
        return sorted(name for name in self.files if name.startswith(MEDIA_PREFIX))

    def to_json(self) -> bytes:
        data = {"format": FORMAT, "format_version": FORMAT_VERSION, **asdict(self)}
        return json.dumps(data, indent=1, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes, source: str) -> Manifest:
        """The manifest in RAW, or BackupError naming SOURCE if it is not one of ours."""
        try:
            data: Any = json.loads(raw)
            if data.get("format") != FORMAT:
                raise ValueError("no ficarchive manifest")
            if data["format_version"] > FORMAT_VERSION:
                raise BackupError(
                    f"{source} was written by a newer ficarchive (backup format "
                    f"{data['format_version']}); restore it with that version."
                )
            manifest = cls(
                archive_version=str(data["archive_version"]),
                created=str(data["created"]),
                vendor=str(data["vendor"]),
                migrations=[(str(app), str(name)) for app, name in data["migrations"]],
                tables={str(name): int(rows) for name, rows in data["tables"].items()},
                database={str(k): str(v) for k, v in data["database"].items()},
                files={
                    str(name): FileEntry(int(entry["size"]), str(entry["sha256"]))
                    for name, entry in data["files"].items()
                },
                secret_key_from=str(data["secret_key_from"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BackupError(
                f"{source} is not a ficarchive backup (its manifest is unreadable)."
            ) from exc
        if manifest.vendor not in DATABASE_FILES:
            raise BackupError(f"{source} holds a database of unknown kind {manifest.vendor!r}.")
        return manifest


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_names(cursor: Any, vendor: str) -> list[str]:
    """The archive's tables (FTS5's own shadow tables left out), by name."""
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        rows = cursor.fetchall()
        virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
        shadows = {f"{table}_{suffix}" for table in virtual for suffix in FTS5_SHADOWS}
        return [name for name, _ in rows if name not in shadows]
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() ORDER BY c.relname"
    )
    return [name for (name,) in cursor.fetchall()]


def count_rows(cursor: Any, vendor: str) -> dict[str, int]:
    """Rows per table, read through CURSOR (inside one snapshot when it matters)."""
    counts = {}
    for name in table_names(cursor, vendor):
        cursor.execute(f"SELECT count(*) FROM {_quote(name)}")  # noqa: S608
        counts[name] = int(cursor.fetchone()[0])
    return counts


def applied_migrations(cursor: Any, vendor: str) -> list[tuple[str, str]]:
    """The migrations recorded in the database's django_migrations table."""
    if "django_migrations" not in table_names(cursor, vendor):
        return []
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [(str(app), str(name)) for app, name in cursor.fetchall()]


def unknown_migrations(applied: list[tuple[str, str]]) -> list[str]:
    """Migrations applied in a backup that this version of the archive does not have."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    return [f"{app}.{name}" for app, name in applied if (app, name) not in known]
