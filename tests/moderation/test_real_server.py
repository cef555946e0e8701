"""Moderation against the real server (`ficarchive serve`, three gunicorn processes), on the
embedded default, on PostgreSQL, and on PostgreSQL with Redis as the shared cache.

A new account's comments are counted by every process together (3 per window, then 429); a
suspension made from another process refuses its next write in every process; a ban ends its
API token everywhere at once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.moderation.test_every_process import database  # noqa: F401 (a fixture)
from tests.serving import empty_redis, redis_db, server_errors, serving

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="runs once, in the SQLite run of the suite"
)

SETUP = """
from datetime import timedelta
from django.utils import timezone
from ficarchive.accounts.actions import create_user
from ficarchive.accounts.models import User
from ficarchive.api.actions import create_access_token
from ficarchive.moderation.actions import sanctions
from ficarchive.works.models import Work
from django.contrib.auth.models import Group
from ficarchive.moderation.models import Role

def moderator(name):
    user = create_user(name, f"{name}@example.org", None)
    user.groups.add(Group.objects.get(name=Role.POLICY_ABUSE))
    return user
"""


def shell(data: Path, env: dict[str, str], code: str) -> str:
    """Run CODE in a process of its own against the server's database; the last line it
    prints."""
    environment = {**os.environ, "FICARCHIVE_DATA": str(data), **env}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    if "DATABASE_URL" not in env:
        environment.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "ficarchive.cli", "shell", "-c", SETUP + code],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def call(base: str, key: str, path: str, body: dict[str, str]) -> tuple[int, dict]:
    request = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, json.loads(reply.read() or b"{}")
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read() or b"{}")


@pytest.fixture(params=["embedded", "redis"])
def cache(request: pytest.FixtureRequest, database: dict[str, str]) -> dict[str, str]:  # noqa: F811
    """The embedded machine cache, or Redis (only beside PostgreSQL, as it runs at scale)."""
    if request.param == "embedded":
        return database
    if "DATABASE_URL" not in database:
        pytest.skip("Redis is tried beside PostgreSQL")
    number = redis_db(0)
    empty_redis(number)
    return {**database, "REDIS_URL": f"redis://127.0.0.1:6379/{number}"}


def test_limits_suspensions_and_bans_hold_in_every_server_process(cache, tmp_path):
    env = {"WEB_CONCURRENCY": "3", "WEB_THREADS": "1", **cache}
    with serving(tmp_path, **env) as browser:
        for _ in range(6):  # every process has started
            assert browser.get("/").status == 200
        made = shell(
            tmp_path,
            cache,
            "newbie = create_user('newbie', 'newbie@example.org', 'a long pass phrase 77')\n"
            "_, key = create_access_token(newbie, 'phone', 'write')\n"
            "work = Work.objects.filter(is_draft=False, is_hidden=False, restricted=False)"
            ".order_by('id').first()\n"
            "print(key, work.pk)\n",
        )
        key, work_id = made.split()
        comments = f"/api/v1/works/{work_id}/comments"

        answers = [
            call(browser.base, key, comments, {"text": f"Chapter {n} made me cry, thank you."})
            for n in range(1, 6)
        ]
        assert [status for status, _ in answers] == [201, 201, 201, 429, 429], answers
        assert answers[3][1]["error"]["code"] == "rate_limited"

        shell(
            tmp_path,
            cache,
            "polly = moderator('polly')\n"
            "sanctions.suspend(polly, User.objects.get(username='newbie'),"
            " timezone.now() + timedelta(days=3), 'Flooding comments')\n",
        )
        refused = [call(browser.base, key, f"/api/v1/works/{work_id}/kudos", {}) for _ in range(6)]
        assert {status for status, _ in refused} == {403}, refused
        assert {body["error"]["code"] for _, body in refused} == {"suspended"}

        shell(
            tmp_path,
            cache,
            "sanctions.ban(User.objects.get(username='polly'),"
            " User.objects.get(username='newbie'), 'Spam account')\n",
        )
        after_ban = [
            call(browser.base, key, f"/api/v1/works/{work_id}/kudos", {}) for _ in range(6)
        ]
        assert {status for status, _ in after_ban} == {401}, after_ban
        counted = shell(
            tmp_path,
            cache,
            "from ficarchive.social.models import Comment, Kudos\n"
            "print(Comment.objects.filter(user__username='newbie').count(),"
            " Kudos.objects.filter(user__username='newbie').count())\n",
        )
        assert counted == "3 0"
    assert not server_errors(tmp_path), server_errors(tmp_path)
