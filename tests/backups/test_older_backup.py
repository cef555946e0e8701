"""A backup made before a migration of this version is migrated as it is restored (and a
compressed one reads as a plain one)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from tests.backups.conftest import Place, drop_postgres_database, postgres_admin, postgres_url

pytestmark = pytest.mark.django_db


def search_migrations_after_0001() -> list[str]:
    """The search app's migrations that `migrate search 0001` undoes (the text index and what
    came after it)."""
    from django.db.migrations.loader import MigrationLoader

    names = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    return sorted(name for app, name in names if app == "search" and name[:4] > "0001")


@pytest.fixture
def older(tmp_path: Path) -> Iterator[Place]:
    """A demo archive of its own, set up by the CLI, whose text index migration is undone."""
    data = tmp_path / "older"
    if connection.vendor == "sqlite":
        place = Place(data)
    else:
        from psycopg import sql

        name = f"{connection.settings_dict['NAME']}_bk_older"
        drop_postgres_database(name)
        with postgres_admin() as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        place = Place(data, postgres_url(name))
    made = place.run("setup")
    assert made.returncode == 0, made.stderr
    undone = place.run("migrate", "search", "0001")
    assert undone.returncode == 0, undone.stderr
    yield place
    if connection.vendor != "sqlite":
        drop_postgres_database(place.database_url.rsplit("/", 1)[1])


def test_a_backup_older_than_the_code_is_migrated_and_search_answers_at_once(
    older: Place, restored: Place, tmp_path: Path
):
    made = older.run("backup", str(tmp_path / "older.tar.gz"))
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "older.tar.gz").read_bytes()[:2] == b"\x1f\x8b", "gzip-compressed"

    done = restored.run("restore", str(tmp_path / "older.tar.gz"))
    assert done.returncode == 0, done.stderr
    undone = len(search_migrations_after_0001())
    assert f"applied {undone} migrations (the backup was older)" in done.stdout

    migrated = older.run("migrate")
    assert migrated.returncode == 0, migrated.stderr
    queries = ["q=lamplighters", "q=ledgers&body=true", "include=Post-Canon&q=the"]
    answers = older.search(queries, tmp_path)
    assert all(answer["total"] > 0 for answer in answers)
    assert restored.search(queries, tmp_path) == answers
