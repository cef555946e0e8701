"""The home page and the list of all works."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.search.index_keeper import get_index
from ficarchive.works import actions
from tests.conftest import post_work


def test_home_page_welcomes_and_lists_recent_works(client: Client, alice):
    post_work(alice, "First Light")
    post_work(alice, "Second Wind")
    page = client.get("/").content.decode()
    assert "Welcome to" in page
    assert page.index("Second Wind") < page.index("First Light")
    assert 'href="/works"' in page


def test_home_page_says_when_nothing_is_posted(client: Client, db):
    assert "No works have been posted yet." in client.get("/").content.decode()


def test_home_page_shows_at_most_twenty_works(client: Client, alice):
    for number in range(22):
        post_work(alice, f"Story number {number}")
    page = client.get("/").content.decode()
    assert page.count('class="blurb"') == 20
    assert "Story number 21" in page
    assert "Story number 1<" not in page


def test_guest_does_not_see_drafts_hidden_or_restricted_works_listed(client: Client, alice, ada):
    post_work(alice, "Open Door")
    post_work(alice, "Unfinished Thing", draft=True)
    post_work(alice, "Members Only", restricted=True)
    actions.hide_work(ada, post_work(alice, "Taken Down"))
    for url in ("/", "/works"):
        page = client.get(url).content.decode()
        assert "Open Door" in page
        assert "Unfinished Thing" not in page
        assert "Members Only" not in page
        assert "Taken Down" not in page


def test_registered_reader_sees_restricted_works_listed(carol_client: Client, alice):
    post_work(alice, "Members Only", restricted=True)
    assert "Members Only" in carol_client.get("/works").content.decode()


def test_works_list_is_paginated(client: Client, alice, settings):
    settings.WORKS_PER_PAGE = 5
    for number in range(7):
        post_work(alice, f"Tale {number}")
    first = client.get("/works").content.decode()
    second = client.get("/works?page=2").content.decode()
    assert first.count('class="blurb"') == 5
    assert second.count('class="blurb"') == 2
    assert "Tale 0" in second
    assert "Showing 1 to 5 of 7 works" in first
    assert 'href="?page=2"' in first


def test_works_list_blurbs_show_tags_creators_and_stats(client: Client, alice):
    post_work(
        alice,
        "Tagged Tale",
        fandoms=["Sherlock Holmes"],
        relationships=["Sherlock Holmes/John Watson"],
        freeforms=["Fluff"],
        chapters=["<p>One two three four.</p>"],
    )
    page = client.get("/works").content.decode()
    assert "Sherlock Holmes/John Watson" in page
    assert "Fluff" in page
    assert ">alice<" in page
    assert "Words:</dt><dd>4</dd>" in page


@pytest.mark.parametrize("url", ["/", "/works"])
@pytest.mark.parametrize("count", [3, 15])
def test_work_lists_run_a_fixed_number_of_queries(
    url, count, carol_client: Client, alice, django_assert_max_num_queries
):
    for number in range(count):
        work = post_work(
            alice,
            f"Work {number}",
            fandoms=[f"Fandom {number}", "Shared Fandom"],
            characters=[f"Character {number}"],
            freeforms=["Angst", f"Tag {number}"],
        )
        series = actions.create_series(alice, f"Series {number}")
        actions.add_work_to_series(alice, work, series)
    get_index()  # built once per machine, not per request: what a listing costs is counted
    # The session and the reader; whether they see works the index leaves out; the change log;
    # the reader's standing filters (3); the blurbs not yet in the cache (works, creators,
    # tags, series) and the reader's places.
    with django_assert_max_num_queries(12):
        response = carol_client.get(url)
    assert response.status_code == 200
    assert "Character 2" in response.content.decode()
