"""The archive was down when three drafts and a chapter fell due: `ficarchive serve` (its task
worker and upkeep clock) and a second task worker beside it post them on start, in the order
they fell due, each once, and the chapter's subscriber is told once."""

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

from ficarchive.social.actions import subscribe

alice, carol = make_user("alice"), make_user("carol")
ongoing = post_work(alice, "Ongoing")
subscribe(carol, work=ongoing, email=False)
chapter = actions.add_chapter(
    alice, ongoing, actions.ChapterDetails(body="<p>The tide turned.</p>"), draft=True
)
drafts = [post_work(alice, title, draft=True) for title in ("Ebb", "Flood", "Slack")]
for item, minutes_ago in ((drafts[0], 3), (drafts[1], 5), (drafts[2], 1), (chapter, 2)):
    hour = timezone.now() + timedelta(hours=1)
    if item is chapter:
        release = actions.schedule_chapter(alice, item, hour)
    else:
        release = actions.schedule_work(alice, item, hour)
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
    """The scheduled works and the scheduled chapter ("Ongoing 2") posted, in posting order."""
    with sqlite3.connect(database) as reading:
        return reading.execute(
            "SELECT title, published_at FROM works_work WHERE is_draft = 0 AND title != 'Ongoing'"
            " UNION SELECT 'Ongoing ' || position, published_at FROM works_chapter"
            " WHERE is_draft = 0 AND position = 2 ORDER BY 2"
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
            while len(_posted(database)) < 4:
                assert time.monotonic() < deadline, "the due drafts were not posted on start"
                time.sleep(0.5)
            time.sleep(3)  # time for a second post, were there one
        finally:
            second.terminate()
            second.wait(timeout=30)

    assert [title for title, _ in _posted(database)] == ["Flood", "Ebb", "Ongoing 2", "Slack"]
    with sqlite3.connect(database) as reading:
        [(left,)] = reading.execute("SELECT COUNT(*) FROM works_scheduledrelease").fetchall()
        [(checks,)] = reading.execute(
            "SELECT COUNT(*) FROM moderation_spamcheck WHERE target_kind = 'work'"
        ).fetchall()
        [(told,)] = reading.execute(
            "SELECT COUNT(*) FROM social_inboxitem WHERE kind = 'chapter'"
        ).fetchall()
    assert left == 0
    assert checks == 5, "each work and the chapter were posted (and spam-checked) once"
    assert told == 1, "the subscriber heard of the chapter once"
