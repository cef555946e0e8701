"""`make_backup(path)`: the whole archive into one tar file while it serves."""

from __future__ import annotations

import os
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

from ficarchive import __version__
from ficarchive.backups.bundle import add_bytes, add_file, writing_mode
from ficarchive.backups.databases import DatabaseCopy, copy_sqlite, dump_postgres
from ficarchive.backups.manifest import (
    DATABASE_FILES,
    MANIFEST,
    MEDIA_PREFIX,
    SECRET_KEY_FILE,
    BackupError,
    Manifest,
)
from ficarchive.env import env_str


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    size: int
    tables: dict[str, int]
    media_files: int


def backup_path(given: Path, now: datetime) -> Path:
    """The file to write: GIVEN, or a dated name inside GIVEN when it is a folder."""
    if given.is_dir():
        given = given / f"ficarchive-{now:%Y%m%d-%H%M%S}.tar"
    if given.exists():
        raise BackupError(f"{given} already exists; choose another name or a folder.")
    if not given.parent.is_dir():
        raise BackupError(f"{given.parent} is not a folder, so {given.name} cannot be written.")
    return given


def media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink())


def _copy_database(folder: Path) -> tuple[str, Path, DatabaseCopy]:
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    target = folder / DATABASE_FILES[vendor]
    if vendor == "sqlite":
        copied = copy_sqlite(Path(connection.settings_dict["NAME"]), target)
    else:
        copied = dump_postgres(target)
    return vendor, target, copied


def make_backup(given: Path) -> BackupSummary:
    """Write the database, the uploads and the secret key to one tar file at GIVEN.

    The file appears under its name only once it is complete (it is written beside it first),
    readable only by its owner: it holds the secret key and every account's email address.
    """
    now = datetime.now(UTC)
    path = backup_path(given, now)
    partial = path.with_name(f".{path.name}.partial")
    media_root = Path(settings.MEDIA_ROOT)
    try:
        with tempfile.TemporaryDirectory(prefix=".ficarchive-backup-", dir=path.parent) as work:
            vendor, database, copied = _copy_database(Path(work))
            manifest = Manifest(
                archive_version=__version__,
                created=now.isoformat(timespec="seconds"),
                vendor=vendor,
                migrations=copied.migrations,
                tables=copied.tables,
                database=copied.info,
                secret_key_from="environment" if env_str("SECRET_KEY") else "file",
            )
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                with tarfile.open(fileobj=out, mode=writing_mode(path)) as tar:
                    manifest.files[database.name] = add_file(tar, database.name, database)
                    manifest.files[SECRET_KEY_FILE] = add_bytes(
                        tar, SECRET_KEY_FILE, settings.SECRET_KEY.encode()
                    )
                    files = media_files(media_root)
                    for file in files:
                        name = MEDIA_PREFIX + file.relative_to(media_root).as_posix()
                        manifest.files[name] = add_file(tar, name, file)
                    add_bytes(tar, MANIFEST, manifest.to_json())
                out.flush()
                os.fsync(out.fileno())
        os.replace(partial, path)
    except OSError as exc:
        raise BackupError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    finally:
        partial.unlink(missing_ok=True)
    return BackupSummary(path, path.stat().st_size, copied.tables, len(files))
