"""/healthz for load balancers: 200 with every check passing, 503 naming what failed (the
database, the cache, this process's search index, the worker's heartbeat); cheap, never
cached, and saying nothing secret."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from ficarchive.accounts.models import User
from ficarchive.search.index_keeper import get_index
from ficarchive.search.models import SearchChange
from ficarchive.upkeep import run_upkeep
from ficarchive.web.models import Heartbeat
from tests.conftest import found_titles, post_work


def healthz(status: int) -> dict[str, Any]:
    response = Client().get("/healthz")
    assert response.status_code == status, response.content
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert body["ok"] is (status == 200)
    return body


def failing(body: dict[str, Any]) -> list[str]:
    return [name for name, check in body["checks"].items() if not check["ok"]]


@pytest.fixture
def worker_ran(db: Any) -> None:
    """The worker's upkeep ran a moment ago (the real upkeep, as the worker runs it)."""
    assert run_upkeep()["heartbeat"] == 1


def test_a_healthy_archive_answers_200_with_every_check(worker_ran: None, alice: User) -> None:
    post_work(alice)
    found_titles("q=lamp")  # this process has an index
    body = healthz(200)
    assert list(body["checks"]) == ["database", "cache", "search", "worker"]
    assert failing(body) == []
    assert body["checks"]["search"]["built"] is True
    assert body["checks"]["search"]["changes_behind"] == 0
    assert body["checks"]["worker"]["seconds_ago"] < settings.HEALTH_WORKER_SECONDS


def test_it_is_cheap_and_never_builds_an_index(
    worker_ran: None, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(2):
        body = healthz(200)
    assert body["checks"]["search"] == {"ok": True, "built": False}
    found_titles("q=lamp")
    with django_assert_max_num_queries(4):
        healthz(200)


def test_it_says_nothing_secret(worker_ran: None) -> None:
    text = Client().get("/healthz").content.decode()
    for secret in (settings.SECRET_KEY, str(settings.DATA_DIR)):
        assert secret not in text
    assert "Traceback" not in text


def test_no_worker_heartbeat_yet_is_a_503_naming_the_worker(db: Any) -> None:
    body = healthz(503)
    assert failing(body) == ["worker"]
    assert (
        "worker" in body["checks"]["worker"]["error"]
        or "upkeep" in body["checks"]["worker"]["error"]
    )


def test_a_stale_worker_heartbeat_is_a_503(worker_ran: None) -> None:
    stale = timezone.now() - timedelta(seconds=settings.HEALTH_WORKER_SECONDS + 5)
    Heartbeat.objects.update(beat_at=stale)
    body = healthz(503)
    assert failing(body) == ["worker"]
    assert "worker" in body["checks"]["worker"]["error"]


def test_the_worker_check_can_be_left_out(db: Any, settings: Any) -> None:
    settings.HEALTH_WORKER_SECONDS = 0
    assert failing(healthz(200)) == []


def test_an_unreachable_cache_is_a_503_naming_the_cache(worker_ran: None, tmp_path: Any) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache's folder should be")
    broken = {
        "BACKEND": "ficarchive.machine_cache.MachineCache",
        "LOCATION": str(blocked / "cache.sqlite3"),
    }
    with override_settings(CACHES={"default": broken}):
        body = healthz(503)
    assert failing(body) == ["cache"]
    assert body["checks"]["cache"]["error"]


@pytest.fixture
def busy_index(db: Any) -> Iterator[Callable[[], None]]:
    """Another thread holds this process's index (a long build or change) until released."""
    found_titles("q=lamp")
    index = get_index()
    held, done = threading.Event(), threading.Event()

    def hold() -> None:
        with index.lock:
            held.set()
            done.wait(timeout=60)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(timeout=10)

    def release() -> None:
        done.set()
        thread.join()

    yield release
    release()


def test_a_search_index_behind_the_change_log_is_a_503(
    worker_ran: None, alice: User, busy_index: Callable[[], None]
) -> None:
    post_work(alice, "Written meanwhile")
    old = timezone.now() - timedelta(seconds=settings.HEALTH_INDEX_SECONDS + 5)
    SearchChange.objects.update(created_at=old)
    body = healthz(503)
    assert failing(body) == ["search"]
    assert body["checks"]["search"]["changes_behind"] >= 1
    busy_index()
    body = healthz(200)  # free again, it catches up as a search would
    assert body["checks"]["search"]["changes_behind"] == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_unreachable_database_is_a_503_naming_it(tmp_path: Any) -> None:
    run_upkeep()
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = str(tmp_path / "no-folder" / "db.sqlite3")
    else:
        connection.settings_dict["PORT"] = "1"
    try:
        body = healthz(503)
    finally:
        connection.close()
        connection.settings_dict.update(saved)
    assert "database" in failing(body)
    assert body["checks"]["database"]["error"] == "OperationalError"


def test_behind_https_the_probe_over_plain_http_is_not_redirected(
    worker_ran: None, settings: Any
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/").status_code == 301
    assert Client().get("/healthz").status_code == 200
