"""A switch is in force in every server process within a second.

The real server (`ficarchive serve`, three gunicorn processes) is read without a pause while the
switches change in the database through the action from another process: every sign-up page
started 1.5 s after a change shows it, whichever process answers. Once on SQLite, once on
PostgreSQL.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.serving import Browser, server_errors, serving
from tests.tools import tool_missing

# The servers started here choose their own databases: once, in the SQLite run of the suite.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="runs once, in the SQLite run of the suite"
)
IN_FORCE_WITHIN = 1.5  # seconds: a second, and time for the request to be answered
READERS = 4
CLOSED = "Sign-ups are closed on this archive for now."


def reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """The environment naming the server's database: its own SQLite file, or a new PostgreSQL
    database dropped afterwards."""
    if request.param == "sqlite":
        yield {}
        return
    if not reachable(5432):
        tool_missing("PostgreSQL is not reachable on 127.0.0.1:5432")
    import psycopg

    name = f"ficarchive_switches_{os.getpid()}"
    admin = "postgresql://postgres@127.0.0.1:5432/postgres"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')
    yield {"DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}"}
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def change_switches(data: Path, env: dict[str, str], **given: str) -> None:
    """Change the switches as a superadmin, through the action, in a process of its own."""
    code = (
        "from ficarchive.accounts.models import User\n"
        "from ficarchive.accounts.actions import create_user\n"
        "from ficarchive.moderation.actions import change_switches\n"
        "boss = User.objects.filter(username='boss').first() or create_user("
        "'boss', 'boss@example.org', None, is_staff=True, reserved_ok=True)\n"
        f"change_switches(boss, **{given!r})\n"
    )
    environment = {**os.environ, "FICARCHIVE_DATA": str(data), **env}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    if "DATABASE_URL" not in env:
        environment.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "ficarchive.cli", "shell", "-c", code],
        env=environment,
        check=True,
        capture_output=True,
        timeout=120,
    )


class Readers:
    """READERS threads reading the sign-up page without a pause, each answer noted with the
    time its request started: True when the page offered the form, False when it said closed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.seen: list[tuple[float, bool]] = []
        self.stop = threading.Event()
        self.pool = ThreadPoolExecutor(READERS)

    def _read(self, number: int) -> None:
        while not self.stop.is_set():
            started = time.monotonic()
            reply = Browser(self.base, agent=f"reader-{number}").get("/signup")
            assert reply.status == 200, reply.status
            open_form = 'name="password1"' in reply.text
            assert open_form or CLOSED in reply.text, reply.text[:500]
            self.seen.append((started, open_form))

    def __enter__(self) -> Readers:
        self.futures = [self.pool.submit(self._read, number) for number in range(READERS)]
        return self

    def __exit__(self, failure: object, *exc: object) -> None:
        self.stop.set()
        self.pool.shutdown()
        if failure is None:  # else that failure is the one to show
            for future in self.futures:
                future.result()  # a reader's own failure (a 5xx, an unexpected page)

    def since(self, moment: float) -> list[bool]:
        return [open_form for started, open_form in list(self.seen) if started >= moment]


def test_every_process_follows_a_change_within_a_second(database, tmp_path):
    env = {"WEB_CONCURRENCY": "3", "WEB_THREADS": "2", **database}
    with serving(tmp_path, **env) as browser:
        for _ in range(12):  # every process has started and read the switches
            assert 'name="password1"' in browser.get("/signup").text
        readers = Readers(browser.base)
        with readers:
            read_while_switching(tmp_path, database, readers)
    assert not server_errors(tmp_path), server_errors(tmp_path)


def read_while_switching(data: Path, database: dict[str, str], readers: Readers) -> None:
    time.sleep(2)
    assert readers.since(0) and all(readers.since(0)), "sign-ups open at first"

    change_switches(data, database, signups="closed")
    changed = time.monotonic()
    time.sleep(IN_FORCE_WITHIN + 2)
    after = readers.since(changed + IN_FORCE_WITHIN)
    assert len(after) >= 20, "enough pages read to reach every process"
    assert not any(after), f"{after.count(True)} of {len(after)} pages still offered the form"

    change_switches(data, database, signups="open")
    reopened = time.monotonic()
    time.sleep(IN_FORCE_WITHIN + 2)
    after = readers.since(reopened + IN_FORCE_WITHIN)
    assert len(after) >= 20
    assert all(after), f"{after.count(False)} of {len(after)} pages still said closed"
