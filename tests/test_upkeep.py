"""The background upkeep: one waiting in the task queue however many clocks run, run by the
worker, writing what reads noted in the cache; and the real server answering reads while
another connection holds SQLite's write lock."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ficarchive.api.models import AccessToken
from ficarchive.serve import clock_command
from ficarchive.upkeep import UPKEEP_EVERY, queue_upkeep, upkeep
from tests.api.conftest import API, bearer, token_for
from tests.serving import serving, work_links
from tests.social.test_worker import run_worker


def waiting_upkeeps() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=upkeep.module_path, status="READY"))


def test_the_clock_queues_one_upkeep_for_the_next_whole_minute(db):
    now = time.time()
    assert queue_upkeep(now) is True
    assert queue_upkeep(now) is False, "one is waiting already"
    [waiting] = waiting_upkeeps()
    run_after = waiting.run_after.timestamp()
    assert now < run_after <= now + UPKEEP_EVERY
    assert run_after % UPKEEP_EVERY == 0


def test_the_worker_runs_the_upkeep_and_the_clock_queues_the_next(alice):
    bearer(token_for(alice, "read")).get(f"{API}/me")
    queue_upkeep()
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))
    run_worker()
    done = DBTaskResult.objects.get(task_path=upkeep.module_path)
    assert done.status == "SUCCESSFUL"
    assert done.return_value["token_uses"] == 1
    assert AccessToken.objects.get().last_used_at is not None
    assert queue_upkeep() is True


def test_old_finished_upkeeps_are_deleted_by_the_upkeep(db):
    queue_upkeep()
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))
    run_worker()
    DBTaskResult.objects.update(finished_at=timezone.now() - timedelta(days=2))
    queue_upkeep()
    DBTaskResult.objects.filter(status="READY").update(
        run_after=timezone.now() - timedelta(seconds=1)
    )
    run_worker()
    assert DBTaskResult.objects.get().finished_at > timezone.now() - timedelta(minutes=1)


def _environment(data: Path) -> dict[str, str]:
    environment = {**os.environ, "FICARCHIVE_DATA": str(data)}
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "PYTEST_XDIST_WORKER"):
        environment.pop(name, None)
    return environment


def _waiting_in(database: Path) -> list[tuple[str]]:
    with sqlite3.connect(database) as reading:
        return reading.execute(
            "SELECT run_after FROM django_tasks_database_dbtaskresult WHERE task_path = ? "
            "AND status = 'READY'",
            [upkeep.module_path],
        ).fetchall()


def test_three_clocks_in_three_processes_keep_one_upkeep_waiting(tmp_path):
    environment = _environment(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "ficarchive.cli", "migrate", "-v0"], env=environment, check=True
    )
    clocks = [subprocess.Popen(clock_command(), env=environment) for _ in range(3)]
    try:
        deadline = time.monotonic() + 60
        while not _waiting_in(tmp_path / "ficarchive.sqlite3"):
            assert time.monotonic() < deadline, "no clock queued the upkeep"
            time.sleep(0.2)
        time.sleep(12)  # every clock has looked at the queue at least twice
        assert all(clock.poll() is None for clock in clocks), "the clocks keep running"
    finally:
        for clock in clocks:
            clock.terminate()
        for clock in clocks:
            clock.wait(timeout=30)
    assert len(_waiting_in(tmp_path / "ficarchive.sqlite3")) == 1


TOKEN_SCRIPT = """
import django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "ficarchive.settings"
django.setup()
from ficarchive.accounts.models import User
from ficarchive.api.actions import create_access_token
print(create_access_token(User.objects.get(username="admin"), "reader", "read")[1])
"""


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="serves on SQLite"
)
def test_three_server_processes_answer_reads_under_a_held_write_lock(tmp_path):
    environment = _environment(tmp_path)
    with serving(tmp_path, WEB_CONCURRENCY="3", WEB_THREADS="2") as browser:
        key = subprocess.run(
            [sys.executable, "-c", TOKEN_SCRIPT],
            env=environment,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        work = work_links(browser.get("/").text)[0]
        holder = sqlite3.connect(tmp_path / "ficarchive.sqlite3", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            answers = [
                browser.get("/works/search?q=the").status,
                browser.get(work).status,
                *(
                    browser.get(f"{API}/works", Authorization=f"Bearer {key}").status
                    for _ in range(6)
                ),
            ]
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert answers == [200] * 8
        # serve started the clock; on a busy machine it may queue the upkeep only now, having
        # waited for the write lock held above (its first start takes seconds of its own)
        deadline = time.monotonic() + 60
        while not _waiting_in(tmp_path / "ficarchive.sqlite3"):
            assert time.monotonic() < deadline, "serve started no clock"
            time.sleep(0.2)
        once = subprocess.run(
            [sys.executable, "-m", "ficarchive.cli", "upkeep", "--once"],
            env=environment,
            check=True,
            capture_output=True,
            text=True,
        )
        assert "'token_uses': 1" in once.stdout
    with sqlite3.connect(tmp_path / "ficarchive.sqlite3") as reading:
        [(last_used,)] = reading.execute("SELECT last_used_at FROM api_accesstoken").fetchall()
    assert last_used is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_clock_just_started_queues_its_first_upkeep_to_run_at_once():
    from ficarchive.upkeep import run_clock

    before = timezone.now()
    run_clock(ticks=1)
    [waiting] = waiting_upkeeps()
    assert waiting.run_after <= timezone.now()
    assert waiting.run_after >= before - timedelta(seconds=1)
    run_clock(ticks=1)
    assert len(waiting_upkeeps()) == 1, "one is waiting already"
