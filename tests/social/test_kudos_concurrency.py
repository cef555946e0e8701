"""Kudos counts stay exact when many readers click at the same moment (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from ficarchive.social.models import Kudos, WorkStats
from tests.conftest import make_user, post_work

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent writes need PostgreSQL (SQLite serialises every write)",
    ),
]

READERS = 16


def _post_all_at_once(clients: list[Client], url: str) -> list[int]:
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def click(client: Client) -> None:
        try:
            barrier.wait()
            statuses.append(client.post(url).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_kudos_from_many_readers_at_once_are_all_counted():
    author = make_user("author")
    work = post_work(author)
    clients = []
    for number in range(READERS):
        client = Client()
        client.force_login(make_user(f"reader{number}"))
        clients.append(client)
    guests = [Client() for _ in range(READERS)]
    statuses = _post_all_at_once(clients + guests, f"/works/{work.pk}/kudos")
    assert statuses == [302] * (2 * READERS)
    assert Kudos.objects.filter(work=work).count() == 2 * READERS
    assert WorkStats.objects.get(work=work).kudos == 2 * READERS


def test_one_reader_clicking_many_times_at_once_counts_once():
    work = post_work(make_user("author"))
    reader = make_user("reader")
    clients = []
    for _ in range(READERS):
        client = Client()
        client.force_login(reader)
        clients.append(client)
    _post_all_at_once(clients, f"/works/{work.pk}/kudos")
    assert Kudos.objects.filter(work=work).count() == 1
    assert WorkStats.objects.get(work=work).kudos == 1
