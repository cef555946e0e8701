"""The archive was down when three drafts fell due: `ficarchive serve` (its task worker and
upkeep clock) and a second task worker beside it post them on start, in the order they fell
due, each once."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ficarchive.serve import worker_command
from tests.serving import serving

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="serves its own SQLite archive"
)

# Three drafts scheduled while the archive ran; then it went down and their times passed
# (the second-made fell due first).
SCHEDULE = """
import django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "ficarchive.settings"
django.setup()
from datetime import timedelta
from django.utils import timezone
from ficarchive.works import actions
from ficarchive.works.models import ScheduledRelease
from tests.conftest import make_user, post_work

alice = make_user("alice")
for title, minutes_ago in (("Ebb", 3), ("Flood", 5), ("Slack", 1)):
    work = post_work(alice, title, draft=True)
    release = actions.schedule_work(alice, work, timezone.now() + timedelta(hours=1))
    ScheduledRelease.objects.filter(pk=release.pk).update(
        post_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
"""


def _environment(data: Path) -> dict[str, str]:
    environment = {**os.environ, "FICARCHIVE_DATA": str(data), "FICARCHIVE_DEMO": "0"}
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "PYTEST_XDIST_WORKER"):
        environment.pop(name, None)
    return environment


def _posted(database: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(database) as reading:
        return reading.execute(
            "SELECT title, published_at FROM works_work WHERE is_draft = 0 ORDER BY published_at"
        ).fetchall()


def test_drafts_that_fell_due_while_the_archive_was_down_post_on_start_in_order_once(
    tmp_path: Path,
) -> None:
    environment = _environment(tmp_path)
    root = Path(__file__).resolve().parents[2]
    subprocess.run(
        [sys.executable, "-m", "ficarchive.cli", "setup"],
        env=environment,
        check=True,
        capture_output=True,
    )
    subprocess.run([sys.executable, "-c", SCHEDULE], env=environment, check=True, cwd=root)
    database = tmp_path / "ficarchive.sqlite3"
    assert _posted(database) == []

    with serving(tmp_path, FICARCHIVE_WORKER="1", FICARCHIVE_DEMO="0"):
        second = subprocess.Popen(worker_command(), env=environment)
        try:
            deadline = time.monotonic() + 90
            while len(_posted(database)) < 3:
                assert time.monotonic() < deadline, "the due drafts were not posted on start"
                time.sleep(0.5)
            time.sleep(3)  # time for a second post, were there one
        finally:
            second.terminate()
            second.wait(timeout=30)

    assert [title for title, _ in _posted(database)] == ["Flood", "Ebb", "Slack"]
    with sqlite3.connect(database) as reading:
        [(left,)] = reading.execute("SELECT COUNT(*) FROM works_scheduledrelease").fetchall()
        [(checks,)] = reading.execute(
            "SELECT COUNT(*) FROM moderation_spamcheck WHERE target_kind = 'work'"
        ).fetchall()
    assert left == 0
    assert checks == 3, "each work was posted (and spam-checked) once"
