"""What the log says: a refused request is one line with its reason, a task is one line."""

from __future__ import annotations

import logging
import os
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ficarchive.upkeep import queue_upkeep
from tests.conftest import logged_in, post_work
from tests.moderation.test_real_server import shell
from tests.serving import Browser, server_errors, serving
from tests.social.test_worker import run_worker


def request_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "django.request"]


def test_a_refused_request_logs_one_line_with_its_reason_and_no_traceback(
    alice, caplog: pytest.LogCaptureFixture
):
    work = post_work(alice)
    with caplog.at_level(logging.WARNING):
        response = logged_in(alice).post(f"/works/{work.pk}/kudos")
    assert response.status_code == 403
    [line] = request_lines(caplog)
    assert line.exc_info is None
    assert line.getMessage().startswith(f"Forbidden (Permission denied): /works/{work.pk}/kudos")
    assert "own work" in line.getMessage(), "the reason the reader was given"
    assert "Traceback" not in caplog.text
    assert len(caplog.text.strip().splitlines()) == 1


def test_a_suspended_accounts_refusal_is_one_line_too(alice, carol, caplog):
    work = post_work(alice)
    carol.suspended_until = timezone.now() + timedelta(days=3)
    carol.save(update_fields=["suspended_until"])
    with caplog.at_level(logging.WARNING):
        response = logged_in(carol).post(f"/works/{work.pk}/kudos")
    assert response.status_code == 403
    [line] = request_lines(caplog)
    assert line.exc_info is None
    assert "suspended" in line.getMessage()
    assert "Traceback" not in caplog.text


def test_a_reason_with_a_percent_sign_is_logged_as_written(caplog):
    from django.core.exceptions import PermissionDenied

    from ficarchive.log_filters import RefusalsInOneLine

    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Forbidden: %s", ("/x",), None
    )
    try:
        raise PermissionDenied("100% refused")
    except PermissionDenied as exc:
        record.exc_info = (type(exc), exc, exc.__traceback__)
    assert RefusalsInOneLine().filter(record)
    assert record.getMessage() == "Forbidden: /x: 100% refused"
    assert record.exc_info is None


def test_a_not_found_page_keeps_logging_as_before(client: Client, db, caplog):
    with caplog.at_level(logging.WARNING):
        assert client.get("/works/999999").status_code == 404
    [line] = request_lines(caplog)
    assert line.getMessage() == "Not Found: /works/999999"


def task_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("Task id=")]


def test_the_worker_logs_one_line_per_task(db, caplog: pytest.LogCaptureFixture):
    queue_upkeep()
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))
    with caplog.at_level(logging.INFO, logger="django_tasks"):
        run_worker()
    [line] = task_lines(caplog)
    assert "path=ficarchive.upkeep.upkeep" in line and line.endswith("state=SUCCESSFUL")


def test_the_worker_in_debug_also_logs_each_start(db, caplog: pytest.LogCaptureFixture):
    queue_upkeep()
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))
    with caplog.at_level(logging.DEBUG, logger="django_tasks"):
        run_worker()
    lines = task_lines(caplog)
    assert [line.rsplit("state=", 1)[1] for line in lines] == ["RUNNING", "SUCCESSFUL"]


@pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="runs once, in the SQLite run of the suite"
)
def test_the_real_server_logs_a_suspended_readers_refusal_in_one_line(tmp_path):
    with serving(tmp_path, WEB_CONCURRENCY="2") as browser:
        work_id = shell(
            tmp_path,
            {},
            "create_user('newbie', 'newbie@example.org', 'a long pass phrase 77')\n"
            "User.objects.filter(username='newbie')"
            ".update(suspended_until=timezone.now() + timedelta(days=3))\n"
            "print(Work.objects.filter(is_draft=False, is_hidden=False, restricted=False)"
            ".order_by('id').first().pk)\n",
        )
        reader = Browser(browser.base)
        reader.get("/login")
        signed_in = reader.post(
            "/login", {"username": "newbie", "password": "a long pass phrase 77"}
        )
        assert signed_in.status == 302, signed_in.text
        assert reader.post(f"/works/{work_id}/kudos", {}).status == 403
    log = (tmp_path / "server.log").read_text()
    refusals = [line for line in log.splitlines() if "Forbidden (Permission denied)" in line]
    assert len(refusals) == 1, log
    assert f"/works/{work_id}/kudos: " in refusals[0] and "suspended" in refusals[0]
    assert "Traceback" not in log
    assert not server_errors(tmp_path)
