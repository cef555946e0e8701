"""The notice shown before works rated Mature, Explicit or Not Rated."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.tags.models import EXPLICIT, MATURE, NOT_RATED, TEEN
from tests.conftest import logged_in, post_work

NOTICE = "This work could have adult content"
TEXT = "The lamp turned all night."


@pytest.mark.parametrize("rating", [MATURE, EXPLICIT, NOT_RATED])
def test_adult_work_shows_the_notice_first(rating, client: Client, alice):
    work = post_work(alice, rating=rating, warnings=["Major Character Death"])
    page = client.get(f"/works/{work.pk}").content.decode()
    assert NOTICE in page
    assert rating in page
    assert "Major Character Death" in page
    assert TEXT not in page
    assert f'href="/works/{work.pk}?view_adult=true">Proceed' in page
    assert "Go back" in page


def test_work_for_everyone_shows_no_notice(client: Client, alice):
    work = post_work(alice, rating=TEEN)
    page = client.get(f"/works/{work.pk}").content.decode()
    assert NOTICE not in page
    assert TEXT in page


def test_proceeding_shows_the_work(client: Client, alice):
    work = post_work(alice, rating=EXPLICIT)
    page = client.get(f"/works/{work.pk}?view_adult=true").content.decode()
    assert NOTICE not in page
    assert TEXT in page


def test_proceed_link_keeps_the_other_parameters(client: Client, alice):
    work = post_work(alice, rating=EXPLICIT, chapters=["<p>One.</p>", "<p>Two.</p>"])
    page = client.get(f"/works/{work.pk}?view_full_work=true").content.decode()
    assert f'href="/works/{work.pk}?view_full_work=true&amp;view_adult=true"' in page


def test_the_session_remembers_a_work_once_accepted(client: Client, alice):
    work = post_work(alice, rating=EXPLICIT, chapters=["<p>One.</p>", "<p>Two.</p>"])
    other = post_work(alice, "Another", rating=EXPLICIT)
    client.get(f"/works/{work.pk}?view_adult=true")
    page = client.get(f"/works/{work.pk}").content.decode()
    assert NOTICE not in page
    assert "One." in page
    second = work.chapters.get(position=2)
    assert "Two." in client.get(f"/works/{work.pk}/chapters/{second.pk}").content.decode()
    assert NOTICE in client.get(f"/works/{other.pk}").content.decode()


def test_chapter_pages_also_show_the_notice(client: Client, alice):
    work = post_work(alice, rating=MATURE, chapters=["<p>One.</p>", "<p>Two.</p>"])
    second = work.chapters.get(position=2)
    page = client.get(f"/works/{work.pk}/chapters/{second.pk}").content.decode()
    assert NOTICE in page
    assert f'href="/works/{work.pk}/chapters/{second.pk}?view_adult=true"' in page


def test_readers_who_skip_the_notice_go_straight_to_the_work(carol, alice):
    carol.skip_adult_notice = True
    carol.save()
    work = post_work(alice, rating=EXPLICIT)
    page = logged_in(carol).get(f"/works/{work.pk}").content.decode()
    assert NOTICE not in page
    assert TEXT in page


def test_logged_in_reader_without_the_preference_sees_the_notice(carol_client: Client, alice):
    work = post_work(alice, rating=EXPLICIT)
    page = carol_client.get(f"/works/{work.pk}").content.decode()
    assert NOTICE in page
    assert 'href="/preferences"' in page


def test_creators_see_their_own_adult_work_without_the_notice(alice_client: Client, alice):
    work = post_work(alice, rating=EXPLICIT)
    page = alice_client.get(f"/works/{work.pk}").content.decode()
    assert NOTICE not in page
    assert TEXT in page


def test_notice_folds_away_warnings_for_readers_who_hide_them(carol, alice):
    carol.hide_warnings = True
    carol.save()
    work = post_work(alice, rating=EXPLICIT, warnings=["Major Character Death"])
    page = logged_in(carol).get(f"/works/{work.pk}").content.decode()
    assert NOTICE in page
    assert page.index("<summary>Show warnings</summary>") < page.index("Major Character Death")


def test_notice_does_not_open_a_work_the_reader_may_not_see(client: Client, alice):
    work = post_work(alice, rating=EXPLICIT, draft=True)
    assert client.get(f"/works/{work.pk}?view_adult=true").status_code == 404
