"""Reports sent at the same moment (PostgreSQL): still one case per thing, still the limits."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from ficarchive.moderation.models import Case, Report
from tests.conftest import make_user, post_work
from tests.moderation.report_helpers import comment_on

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent writes need PostgreSQL (SQLite serialises every write)",
    ),
]

READERS = 12


def _post_all_at_once(clients: list[Client], url: str) -> list[int]:
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def send(client: Client) -> None:
        try:
            barrier.wait()
            statuses.append(client.post(url, {"reason": "spam"}).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _logged_in(username: str) -> Client:
    client = Client()
    client.force_login(make_user(username))
    return client


def test_many_first_reports_at_once_make_one_case():
    work = post_work(make_user("author"))
    clients = [_logged_in(f"reader{number}") for number in range(READERS)]
    assert _post_all_at_once(clients, f"/report/work/{work.pk}") == [302] * READERS
    case = Case.objects.get()
    assert case.reports.count() == READERS


def test_one_reader_sending_many_reports_at_once_is_still_limited():
    work = post_work(make_user("author"))
    comment = comment_on(work, make_user("spammer"))
    reader = make_user("reader")
    clients = []
    for _ in range(8):
        client = Client()
        client.force_login(reader)
        clients.append(client)
    statuses = _post_all_at_once(clients, f"/report/comment/{comment.pk}")
    assert sorted(statuses) == [302] * 3 + [400] * 5
    assert Report.objects.filter(reporter=reader).count() == 3


def test_many_guests_from_one_address_at_once_are_still_limited():
    from django.conf import settings

    work = post_work(make_user("author"))
    clients = [Client(REMOTE_ADDR="203.0.113.9") for _ in range(10)]
    statuses = _post_all_at_once(clients, f"/report/work/{work.pk}")
    allowed = min(settings.REPORTS_PER_ADDRESS, settings.REPORTS_PER_WORK_OR_USER)
    assert sorted(statuses) == [302] * allowed + [400] * (10 - allowed)
    assert Report.objects.filter(reporter__isnull=True).count() == allowed
