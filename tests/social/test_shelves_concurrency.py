"""A shelf changed from several tabs (or apps) at the same moment keeps every work once, at
places 1, 2, 3 … without gaps or twins (PostgreSQL: SQLite serialises every write)."""

from __future__ import annotations

import random
import threading

import pytest
from django.db import connection, connections
from django.test import Client

from ficarchive.social import actions
from ficarchive.social.models import Shelf
from tests.conftest import logged_in, make_user, post_work

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent writes need PostgreSQL (SQLite serialises every write)",
    ),
]

TABS = 6
MOVES = 8


def test_moves_and_additions_from_many_tabs_at_once_leave_one_order() -> None:
    author, reader = make_user("author"), make_user("reader")
    works = [post_work(author, f"Work {n}") for n in range(12)]
    shelf = actions.create_shelf(reader, actions.ShelfDetails("Busy"))
    for work in works[:6]:
        actions.add_to_shelf(reader, shelf, work)
    barrier = threading.Barrier(TABS)
    statuses: list[int] = []

    def tab(number: int, client: Client) -> None:
        rng = random.Random(number)
        try:
            barrier.wait()
            for step in range(MOVES):
                if step == 0:  # each tab also adds a work, two tabs the same one
                    extra = works[6 + number // 2]
                    answer = client.post(f"/works/{extra.pk}/shelves", {"shelves": [shelf.pk]})
                else:
                    moved = works[rng.randrange(6)]
                    address = f"/shelves/{shelf.pk}/works/{moved.pk}/move"
                    answer = client.post(address, {"to": rng.randrange(1, 10)})
                statuses.append(answer.status_code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=tab, args=(number, logged_in(reader))) for number in range(TABS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302] * (TABS * MOVES)
    shelf = Shelf.objects.get(pk=shelf.pk)
    entries = list(shelf.entries.in_order())
    assert [entry.position for entry in entries] == list(range(1, 10))
    assert sorted(entry.work_id for entry in entries) == sorted(w.pk for w in works[:9])
