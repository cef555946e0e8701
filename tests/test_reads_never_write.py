"""Reads never write: while another connection holds SQLite's write lock, pages and API reads
still answer; what they note (hits, a token's last use, the change log's pruning) is written
later by the background upkeep."""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from ficarchive.api.models import AccessToken
from ficarchive.exporting.actions import create_feed_token
from ficarchive.search.models import SearchChange
from ficarchive.social.models import WorkStats
from ficarchive.upkeep import run_upkeep
from tests.api.conftest import API, bearer, token_for
from tests.conftest import PASSWORD, logged_in, post_work

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="SQLite's write lock (PostgreSQL readers never wait)"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def short_lock_wait() -> Iterator[None]:
    """The archive's connection waits half a second for the write lock instead of twenty, so
    a read that writes fails at once (it answered after 20 s, with an error, before)."""
    options = connection.settings_dict["OPTIONS"]
    before = options.get("timeout")
    connection.close()
    options["timeout"] = 0.5
    yield
    connection.close()
    options["timeout"] = before


@contextmanager
def write_lock_held() -> Iterator[None]:
    """Another connection holds the database's write lock (BEGIN IMMEDIATE) meanwhile."""
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_the_search_page_answers_while_a_writer_holds_the_lock(short_lock_wait, alice):
    post_work(alice, title="Under the lock")
    SearchChange.objects.update(created_at=timezone.now() - timedelta(days=2))
    with write_lock_held():
        response = Client().get("/works/search?q=lock")
    assert response.status_code == 200
    assert "Under the lock" in response.content.decode()
    assert SearchChange.objects.exists(), "the page pruned nothing"
    assert run_upkeep()["changes_pruned"] > 0
    assert not SearchChange.objects.exists()


def test_a_work_page_answers_while_a_writer_holds_the_lock(short_lock_wait, alice, settings):
    settings.HITS_FLUSH_AT = 1  # every new hit is due to be written at once
    work = post_work(alice, title="Read under the lock")
    Client(REMOTE_ADDR="192.0.2.1").get(f"/works/{work.pk}")  # the first view starts the clock
    with write_lock_held():
        response = Client(REMOTE_ADDR="192.0.2.2").get(f"/works/{work.pk}")
    assert response.status_code == 200
    assert "Read under the lock" in response.content.decode()
    assert not WorkStats.objects.filter(work=work, hits__gt=0).exists()
    run_upkeep()
    assert WorkStats.objects.get(work=work).hits == 2, "the hits waited in the cache, not lost"


def test_an_api_read_with_a_token_answers_while_a_writer_holds_the_lock(short_lock_wait, alice):
    post_work(alice, title="Fetched under the lock")
    key = token_for(alice, "read")
    with write_lock_held():
        works = bearer(key).get(f"{API}/works")
        me = bearer(key).get(f"{API}/me")
    assert works.status_code == 200
    assert me.status_code == 200
    assert [w["title"] for w in works.json()["works"]] == ["Fetched under the lock"]
    assert AccessToken.objects.get().last_used_at is None
    assert run_upkeep()["token_uses"] == 1
    assert AccessToken.objects.get().last_used_at is not None


def test_an_upkeep_that_meets_the_lock_keeps_what_it_had_to_write(short_lock_wait, alice):
    key = token_for(alice, "read")
    bearer(key).get(f"{API}/me")
    with write_lock_held():
        assert "token_uses" not in run_upkeep(), "the write failed, and was logged"
    assert run_upkeep()["token_uses"] == 1
    assert AccessToken.objects.get().last_used_at is not None


READING_PAGES = [
    "/",
    "/works",
    "/works/{work}",
    "/works/{work}?view_full_work=true",
    "/works/{work}/chapters/{chapter}",
    "/works/{work}/bookmarks",
    "/works/search?q=lighthouse&sort=kudos",
    "/tags/Original Work/works",
    "/tags/Original Work/feed.atom",
    "/works/{work}/feed.atom",
    "/users/alice",
    "/users/alice/works",
    "/users/alice/bookmarks",
    "/users/alice/favorites",
    "/users/alice/pseuds/alice",
    "/users/alice/feed.atom",
    "/opds",
    "/downloads/works/{work}.epub",
    "/downloads/works/{work}.html",
    "/downloads/works/{work}.txt",
    "/tags/autocomplete?q=Ori",
    "/drafts",
    "/inbox",
    "/history",
    "/later",
    "/stats",
    "/subscriptions",
    "/preferences",
    "/preferences/tokens",
    "/preferences/filters",
    "/feeds",
    "/wrangling",
    "/wrangling/changes",
    "/admin/",
    "/api/v1/works",
    "/api/v1/works/{work}",
    "/api/v1/me",
]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["guest", "alice", "carol", "ada"])
def test_no_reading_page_writes(who, request, settings):
    settings.HITS_FLUSH_AT = 10**9
    author = request.getfixturevalue("alice")
    work = post_work(author, chapters=["<p>One.</p>", "<p>Two.</p>"])
    chapter = work.chapters.order_by("position").first()
    client = Client() if who == "guest" else logged_in(request.getfixturevalue(who))
    feed_token = create_feed_token(author).token
    basic = "Basic " + base64.b64encode(f"alice:{PASSWORD}".encode()).decode()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA query_only = ON")
    try:
        answers = {}
        for page in READING_PAGES:
            address = page.format(work=work.pk, chapter=chapter.pk)
            answers[address] = client.get(address).status_code
        answers["feed token"] = client.get(f"/feeds/personal/{feed_token}.atom").status_code
        answers["opds token"] = client.get(f"/opds/token/{feed_token}/recent").status_code
        answers["basic"] = Client().get("/opds/recent", HTTP_AUTHORIZATION=basic).status_code
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = OFF")
    assert {a: s for a, s in answers.items() if s >= 500} == {}
    assert answers["feed token"] == answers["opds token"] == answers["basic"] == 200
