"""Comment, bookmark and hit counts stay exact when many readers act at once (PostgreSQL)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client

from ficarchive.social.hits import flush_buffers, pending_hits
from ficarchive.social.models import Bookmark, Comment, WorkStats
from tests.conftest import make_user, post_work

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent writes need PostgreSQL (SQLite serialises every write)",
    ),
]

READERS = 16


def _all_at_once(clients: list[Client], method: str, url: str, data: Any = None) -> list[int]:
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def act(client: Client) -> None:
        try:
            barrier.wait()
            statuses.append(getattr(client, method)(url, data).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _readers(count: int = READERS) -> list[Client]:
    clients = []
    for number in range(count):
        client = Client()
        client.force_login(make_user(f"reader{number}"))
        clients.append(client)
    return clients


def test_comments_from_many_readers_at_once_are_all_counted():
    work = post_work(make_user("author"))
    data = {"text": "Posted at the same moment.", "body_format": "plain"}
    statuses = _all_at_once(_readers(), "post", f"/works/{work.pk}/comments", data)
    assert statuses == [302] * READERS
    assert Comment.objects.filter(work=work).count() == READERS
    assert WorkStats.objects.get(work=work).comments == READERS


def test_bookmarks_from_many_readers_at_once_are_all_counted():
    work = post_work(make_user("author"))
    statuses = _all_at_once(_readers(), "post", f"/works/{work.pk}/bookmark", {"notes": "Mine."})
    assert statuses == [302] * READERS
    assert Bookmark.objects.filter(work=work).count() == READERS
    assert WorkStats.objects.get(work=work).bookmarks == READERS


def test_one_reader_saving_a_bookmark_many_times_at_once_counts_once():
    work = post_work(make_user("author"))
    reader = make_user("reader")
    clients = []
    for _ in range(READERS):
        client = Client()
        client.force_login(reader)
        clients.append(client)
    _all_at_once(clients, "post", f"/works/{work.pk}/bookmark", {"notes": "Again."})
    assert Bookmark.objects.filter(work=work).count() == 1
    assert WorkStats.objects.get(work=work).bookmarks == 1


def test_hits_from_many_visitors_at_once_are_all_counted(settings):
    settings.HITS_FLUSH_AT = 3  # requests flush while others still count
    work = post_work(make_user("author"))
    visitors = [Client(REMOTE_ADDR=f"192.0.2.{number}") for number in range(1, READERS + 1)]
    again = [Client(REMOTE_ADDR="192.0.2.1") for _ in range(READERS)]
    statuses = _all_at_once(visitors + again, "get", f"/works/{work.pk}")
    assert statuses == [200] * (2 * READERS)
    flush_buffers()
    shown = WorkStats.objects.get(work=work).hits + pending_hits(work.pk)
    assert shown == READERS, "each visitor counts once, however the flushes fell"
    page = Client(REMOTE_ADDR="192.0.2.1").get(f"/works/{work.pk}").content.decode()
    assert f"<dt>Hits:</dt><dd>{READERS}</dd>" in page
