"""What `ficarchive backup` and `restore` refuse: each gets one line naming the file and the
reason, exit code 1, and leaves the archive, the target and the backup as they were."""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.backups.conftest import TRANSACTIONAL, Place
from tests.conftest import make_user

pytestmark = TRANSACTIONAL


def refused(result: Any, *reason: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for words in reason:
        assert words in lines[0]


def holds_nothing(place: Place) -> bool:
    """True when the place has no archive: no database tables and no uploads."""
    if list((place.data / "media").rglob("*")):
        return False
    if connection.vendor == "sqlite":
        return not place.sqlite_file.exists()
    from tests.backups.conftest import postgres_admin

    name = place.database_url.rsplit("/", 1)[1]
    with postgres_admin() as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchall():
            return True
    return place.query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [(0,)]


def make_backup(original: Place, path: Path) -> Path:
    make_user("alice")
    made = original.run("backup", str(path))
    assert made.returncode == 0, made.stderr
    return path


def rewrite(source: Path, target: Path, edit: Callable[[dict[str, Any], dict[str, bytes]], None]):
    """Copy a backup with its manifest and members changed by EDIT."""
    with tarfile.open(source) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]
    manifest = json.loads(members.pop("manifest.json"))
    edit(manifest, members)
    members["manifest.json"] = json.dumps(manifest).encode()
    with tarfile.open(target, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return target


def test_restoring_a_file_that_does_not_exist_names_it(restored: Place, tmp_path: Path):
    result = restored.run("restore", str(tmp_path / "nowhere.tar"))
    refused(result, "nowhere.tar does not exist")
    assert holds_nothing(restored)


def test_a_file_that_is_not_a_backup_is_refused(restored: Place, tmp_path: Path):
    junk = tmp_path / "holiday.jpg"
    junk.write_bytes(b"\xff\xd8\xff\xe0 not a tar at all" * 100)
    refused(restored.run("restore", str(junk)), "holiday.jpg is not a ficarchive backup")

    other = tmp_path / "other.tar"
    with tarfile.open(other, "w") as tar:
        tar.add(junk, arcname="holiday.jpg")
    refused(restored.run("restore", str(other)), "other.tar is not a ficarchive backup")
    assert holds_nothing(restored)


def test_a_cut_short_backup_is_refused_and_nothing_is_restored(
    original: Place, restored: Place, tmp_path: Path
):
    whole = make_backup(original, tmp_path / "whole.tar").read_bytes()
    cut = tmp_path / "cut.tar"
    cut.write_bytes(whole[: len(whole) // 2])
    refused(restored.run("restore", str(cut)), "cut.tar", "incomplete")
    assert holds_nothing(restored)


def test_a_backup_with_a_changed_byte_is_refused_and_nothing_is_restored(
    original: Place, restored: Place, tmp_path: Path
):
    backup = make_backup(original, tmp_path / "flipped.tar")
    with tarfile.open(backup) as tar:
        database = next(m for m in tar.getmembers() if m.name.startswith("database."))
    data = bytearray(backup.read_bytes())
    data[database.offset_data + database.size // 2] ^= 0xFF
    backup.write_bytes(bytes(data))
    refused(
        restored.run("restore", str(backup)),
        "flipped.tar is damaged",
        f"{database.name} does not match the checksum",
    )
    assert holds_nothing(restored)


def test_restoring_over_an_archive_is_refused_and_leaves_it_alone(
    original: Place, restored: Place, tmp_path: Path
):
    backup = make_backup(original, tmp_path / "twice.tar")
    first = restored.run("restore", str(backup))
    assert first.returncode == 0, first.stderr
    before = restored.tables()
    refused(restored.run("restore", str(backup)), "already holds", "empty")
    assert restored.tables() == before


def test_a_backup_of_the_other_database_is_refused(
    original: Place, restored: Place, tmp_path: Path
):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    names = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}

    def swap(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        manifest["vendor"] = other
        manifest["database"] = {"pg_dump": "15.0"}
        members[names[other]] = members.pop(names[connection.vendor])
        manifest["files"][names[other]] = manifest["files"].pop(names[connection.vendor])

    swapped = rewrite(make_backup(original, tmp_path / "b.tar"), tmp_path / "swapped.tar", swap)
    refused(restored.run("restore", str(swapped)), "swapped.tar holds a", "DATABASE_URL")
    assert holds_nothing(restored)


def test_a_backup_made_by_a_newer_version_is_refused(
    original: Place, restored: Place, tmp_path: Path
):
    def newer(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        manifest["archive_version"] = "9.0.0"
        manifest["migrations"].append(["works", "9999_from_the_future"])

    future = rewrite(make_backup(original, tmp_path / "b.tar"), tmp_path / "future.tar", newer)
    refused(
        restored.run("restore", str(future)),
        "future.tar was made by a newer ficarchive (9.0.0",
        "works.9999_from_the_future",
    )
    assert holds_nothing(restored)


def test_a_backup_is_never_written_over_an_existing_file(original: Place, tmp_path: Path):
    existing = tmp_path / "keep.tar"
    existing.write_bytes(b"an older backup")
    refused(original.run("backup", str(existing)), "keep.tar already exists")
    assert existing.read_bytes() == b"an older backup"


def test_missing_postgresql_tools_are_named_and_nothing_is_written(
    original: Place, restored: Place, tmp_path: Path
):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's tools are used only with DATABASE_URL")
    backup = make_backup(original, tmp_path / "b.tar")
    nowhere = str(tmp_path / "no-tools")
    refused(
        original.run("backup", str(tmp_path / "new.tar"), FICARCHIVE_PG_BIN=nowhere),
        "pg_dump is not installed",
        "postgresql-client",
    )
    assert not list(tmp_path.glob("new.tar*")) and not list(tmp_path.glob(".new.tar*"))
    refused(
        restored.run("restore", str(backup), FICARCHIVE_PG_BIN=nowhere),
        "pg_restore is not installed",
    )
    assert holds_nothing(restored)
