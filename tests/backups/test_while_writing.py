"""A backup is taken while the archive serves: writers are not held up by it, and the copy is
one consistent moment of the archive."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

from django.db import connection

from ficarchive.accounts.models import User
from tests.backups.conftest import TRANSACTIONAL, Place
from tests.conftest import make_user, post_work

pytestmark = TRANSACTIONAL

MARK = 424242


def _open_writer(place: Place) -> Any:
    if connection.vendor == "sqlite":
        opened = sqlite3.connect(place.sqlite_file, isolation_level=None, timeout=20)
        opened.execute("BEGIN IMMEDIATE")  # the write lock every writer of SQLite takes
        return opened
    import psycopg

    return psycopg.connect(place.database_url)


def test_a_backup_needs_no_lock_a_writer_holds_and_leaves_out_its_uncommitted_rows(
    original: Place, restored: Place, tmp_path: Path
):
    make_user("alice")
    writer = _open_writer(original)
    try:
        writer.execute(
            "INSERT INTO search_searchchange (work_id, created_at) "
            f"VALUES ({MARK}, CURRENT_TIMESTAMP)"
        )
        made = original.run("backup", str(tmp_path / "during.tar"))
        assert made.returncode == 0, made.stderr
        writer.execute("COMMIT" if connection.vendor == "sqlite" else "SELECT 1")
        if connection.vendor != "sqlite":
            writer.commit()
    finally:
        writer.close()
    assert original.query(f"SELECT count(*) FROM search_searchchange WHERE work_id = {MARK}") == [
        (1,)
    ], "the writer committed after the backup"

    done = restored.run("restore", str(tmp_path / "during.tar"))
    assert done.returncode == 0, done.stderr
    assert restored.query(f"SELECT count(*) FROM search_searchchange WHERE work_id = {MARK}") == [
        (0,)
    ], "the copy holds only what was committed when it was taken"
    assert restored.query("SELECT username FROM accounts_user") == [("alice",)]


class Writer(threading.Thread):
    """Posts works one after another, each in its own transaction, until told to stop."""

    def __init__(self, author: User) -> None:
        super().__init__(daemon=True)
        self.author = author
        self.posted = 0
        self.errors: list[BaseException] = []
        self.stop = threading.Event()
        self.started_posting = threading.Event()

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                post_work(
                    self.author,
                    f"Night shift {self.posted:04d}",
                    chapters=["<p>The lamp burned on until dawn.</p>"],
                    freeforms=["Night Shift"],
                )
                self.posted += 1
                self.started_posting.set()
        except BaseException as exc:  # reported by the test
            self.errors.append(exc)
            self.started_posting.set()
        finally:
            connection.close()


def test_a_backup_taken_while_works_are_posted_is_consistent_and_the_writer_goes_on(
    original: Place, restored: Place, tmp_path: Path
):
    writer = Writer(make_user("alice"))
    writer.start()
    try:
        assert writer.started_posting.wait(60)
        before = writer.posted
        made = original.run("backup", str(tmp_path / "busy.tar"))
        during = writer.posted - before
    finally:
        writer.stop.set()
        writer.join(60)
    assert not writer.errors, writer.errors
    assert made.returncode == 0, made.stderr
    assert during > 0, "the writer kept posting while the backup ran"

    done = restored.run("restore", str(tmp_path / "busy.tar"))
    assert done.returncode == 0, done.stderr  # the restore checks every table against the manifest
    titles = [
        title
        for (title,) in restored.query(
            "SELECT title FROM works_work WHERE title LIKE 'Night shift %' ORDER BY title"
        )
    ]
    assert before <= len(titles) <= writer.posted
    assert titles == [f"Night shift {number:04d}" for number in range(len(titles))]
    assert restored.query(
        "SELECT count(*) FROM works_work w WHERE (SELECT count(*) FROM works_chapter c "
        "WHERE c.work_id = w.id) != 1 OR NOT EXISTS (SELECT 1 FROM works_creatorship p "
        "WHERE p.work_id = w.id)"
    ) == [(0,)], "every work in the copy has its chapter and its creator"
    (answer,) = restored.search(["q=night shift", "include=Night Shift"], tmp_path)[:1]
    assert answer["total"] == len(titles), "each copied work has its text document"
