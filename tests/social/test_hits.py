"""Hits: once per visitor per work per day, buffered in the cache and written in batches."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from ficarchive.social.hits import flush_buffers, pending_hits
from ficarchive.social.models import WorkDay, WorkStats


def hits(work) -> int:
    stats = WorkStats.objects.filter(work=work).first()
    return stats.hits if stats else 0


def test_a_visitor_counts_once_per_day(client: Client, work):
    for _ in range(3):
        client.get(f"/works/{work.pk}")
    assert pending_hits(work.pk) == 1
    assert hits(work) == 0, "no database write per page view"
    assert flush_buffers() == 1
    assert hits(work) == 1
    assert WorkDay.objects.get(work=work).hits == 1


def test_different_visitors_each_count(work, carol_client: Client):
    Client(REMOTE_ADDR="192.0.2.1").get(f"/works/{work.pk}")
    Client(REMOTE_ADDR="192.0.2.2").get(f"/works/{work.pk}")
    carol_client.get(f"/works/{work.pk}")
    flush_buffers()
    assert hits(work) == 3


def test_a_visitor_counts_again_the_next_day(client: Client, work, monkeypatch):
    client.get(f"/works/{work.pk}")
    tomorrow = timezone.now() + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    client.get(f"/works/{work.pk}")
    flush_buffers()
    assert hits(work) == 2


def test_hits_flush_by_themselves_after_a_threshold(work, settings):
    settings.HITS_FLUSH_AT = 3
    for number in range(3):
        Client(REMOTE_ADDR=f"192.0.2.{number}").get(f"/works/{work.pk}")
    assert hits(work) == 3
    assert pending_hits(work.pk) == 0


def test_the_work_page_shows_hits_not_yet_flushed(client: Client, work):
    Client(REMOTE_ADDR="192.0.2.9").get(f"/works/{work.pk}")
    assert "Hits:</dt><dd>1</dd>" in client.get(f"/works/{work.pk}").content.decode()


def test_pages_that_fail_or_are_not_work_pages_count_no_hit(client: Client, work, alice):
    client.get("/works/999")
    client.get(f"/works/{work.pk}/navigate")
    client.post(f"/works/{work.pk}/kudos")
    flush_buffers()
    assert hits(work) == 0


def test_listings_show_flushed_counts_on_blurbs(client: Client, work):
    client.get(f"/works/{work.pk}")
    client.post(f"/works/{work.pk}/kudos")
    flush_buffers()
    page = client.get("/works").content.decode()
    assert "Kudos:</dt><dd>1</dd>" in page
    assert "Hits:</dt><dd>1</dd>" in page
