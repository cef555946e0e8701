"""`restore_backup(path)`: a backup back into an empty FICARCHIVE_DATA or an empty database.

Everything that can be checked is checked before anything is written: the file is one of ours
and whole (every member's checksum), it holds the database this archive uses, it was not made
by a newer version, and the target holds no database tables and no uploads. The files are
extracted beside the target, then the database goes into place (SQLite: the checked file is
moved in; PostgreSQL: pg_restore in one transaction, creating the database if it is missing),
then the uploads and the secret key. A backup made by an older version is migrated, and the
text index is checked so that search answers at once (rebuilt if it does not match the works).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from ficarchive.backups.bundle import BackupFile
from ficarchive.backups.databases import (
    check_sqlite,
    create_postgres_database,
    database_name,
    load_postgres,
    pg_restore_tool,
    postgres_state,
    sqlite_is_empty,
)
from ficarchive.backups.making import media_files
from ficarchive.backups.manifest import (
    MEDIA_PREFIX,
    SECRET_KEY_FILE,
    BackupError,
    Manifest,
    count_rows,
    unknown_migrations,
)
from ficarchive.env import env_str

VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass
class RestoreSummary:
    manifest: Manifest
    tables: dict[str, int]
    media_files: int
    migrated: int
    search: str
    warnings: list[str] = field(default_factory=list)


def _check_target(manifest: Manifest, label: str) -> str | None:
    """Refuse a backup this archive cannot take, or a target that is not empty. Returns the
    pg_restore to use on PostgreSQL."""
    vendor = connection.vendor
    if manifest.vendor != vendor:
        raise BackupError(
            f"{label} holds a {VENDOR_NAMES[manifest.vendor]} database, and this archive uses "
            f"{VENDOR_NAMES.get(vendor, vendor)}: restore it with "
            + ("DATABASE_URL unset." if manifest.vendor == "sqlite" else "DATABASE_URL set.")
        )
    unknown = unknown_migrations(manifest.migrations)
    if unknown:
        raise BackupError(
            f"{label} was made by a newer ficarchive ({manifest.archive_version}; migration "
            f"{unknown[0]} is unknown here): restore it with that version or a newer one."
        )
    if vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        if not sqlite_is_empty(path):
            raise BackupError(
                f"{path} already holds an archive: restore into an empty FICARCHIVE_DATA "
                "(move the present one aside first)."
            )
        _check_no_media()
        return None
    tool, _ = pg_restore_tool(manifest.database.get("pg_dump", ""))
    if postgres_state() == "in use":
        raise BackupError(
            f"The database {database_name()} already holds tables: restore into an empty "
            "database (create a new one and point DATABASE_URL at it)."
        )
    _check_no_media()
    return tool


def _check_no_media() -> None:
    media_root = Path(settings.MEDIA_ROOT)
    if media_files(media_root):
        raise BackupError(
            f"{media_root} already holds uploads: restore into an empty FICARCHIVE_DATA "
            "(move the present one aside first)."
        )


def _install_database(manifest: Manifest, staged: Path, tool: str | None, label: str) -> None:
    if tool is None:
        counts = check_sqlite(staged, label)
        if counts != manifest.tables:
            raise BackupError(f"{label} is damaged: its database does not hold what it lists.")
        target = Path(connection.settings_dict["NAME"])
        target.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm")):
            leftover.unlink(missing_ok=True)
        shutil.move(staged, target)
        return
    if postgres_state() == "missing":
        create_postgres_database()
    load_postgres(tool, staged)
    with connection.cursor() as cursor:
        if count_rows(cursor, "postgresql") != manifest.tables:
            raise BackupError(
                f"{label} was restored into {database_name()}, but the rows differ from its "
                "manifest: check the database before using it."
            )


def _install_media(staging: Path, names: list[str]) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    for name in names:
        target = media_root / name.removeprefix(MEDIA_PREFIX)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / name, target)


def _install_secret_key(key: bytes, warnings: list[str]) -> None:
    path = Path(settings.DATA_DIR) / SECRET_KEY_FILE
    partial = path.with_name(f".{SECRET_KEY_FILE}.partial")
    partial.unlink(missing_ok=True)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(key)
    os.replace(partial, path)
    from_env = env_str("SECRET_KEY")
    if from_env and from_env.encode() != key:
        warnings.append(
            f"SECRET_KEY is set and differs from the backup's key, which is now in {path}: "
            "unset SECRET_KEY (or set it to that key) so that sessions and signed links stay valid."
        )


def _migrate() -> int:
    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        call_command("migrate", interactive=False, verbosity=0)
    return len(plan)


def _documents_match() -> bool:
    """True when the text index holds a document for exactly the listed works (and, on
    SQLite, FTS5 finds its index consistent with its contents)."""
    from ficarchive.search.documents import TABLE
    from ficarchive.works.models import Work

    listed = set(Work.objects.filter(is_draft=False, is_hidden=False).values_list("id", flat=True))
    key = "rowid" if connection.vendor == "sqlite" else "work_id"
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT {key} FROM {TABLE}")  # noqa: S608
            stored = {int(row[0]) for row in cursor.fetchall()}
            if connection.vendor == "sqlite":
                cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('integrity-check')")  # noqa: S608
    except DatabaseError:
        return False
    return stored == listed


def _ready_search(reindex: bool) -> str:
    from ficarchive.search.documents import rebuild_documents
    from ficarchive.search.index_keeper import reset_index

    reset_index(discard_snapshot=True)  # an index of the archive before: no change log leads on
    if not reindex and _documents_match():
        return "the text index matches the works"
    with transaction.atomic():
        count = rebuild_documents()
    return f"wrote the text documents of {count} works again"


def restore_backup(path: Path, *, reindex: bool = False) -> RestoreSummary:
    """Restore the backup at PATH into this (empty) archive; BackupError if it cannot."""
    backup = BackupFile(path)
    warnings: list[str] = []
    try:
        manifest = backup.manifest
        tool = _check_target(manifest, backup.label)
        with tempfile.TemporaryDirectory(
            prefix=".ficarchive-restore-", dir=settings.DATA_DIR
        ) as work:
            staging = Path(work)
            for name in [manifest.database_file, *manifest.media_files]:
                backup.extract(name, staging / name)
            key = backup.read_bytes(SECRET_KEY_FILE)
            _install_database(manifest, staging / manifest.database_file, tool, backup.label)
            _install_media(staging, manifest.media_files)
            _install_secret_key(key, warnings)
    except OSError as exc:
        raise BackupError(f"Cannot restore {path}: {exc.strerror or exc}.") from exc
    finally:
        backup.close()
    migrated = _migrate()
    search = _ready_search(reindex)
    with connection.cursor() as cursor:
        tables = count_rows(cursor, connection.vendor)
    return RestoreSummary(manifest, tables, len(manifest.media_files), migrated, search, warnings)
