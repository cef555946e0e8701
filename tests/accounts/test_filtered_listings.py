"""Every page that lists works, and every count beside it, leaves out what the reader's standing
filters hide; for everybody else nothing changes, and the number of queries does not grow with
the number of filters."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ficarchive.accounts import actions
from ficarchive.accounts.models import HiddenTag, HiddenWork
from ficarchive.tags.models import Tag, TagType
from ficarchive.works import actions as work_actions
from ficarchive.works.models import Work
from tests.conftest import logged_in, post_work


@pytest.fixture
def shelf(alice, bob):
    """Alice's "Kept" and "Angsty" (tagged Angst), in her series "Weather", and Bob's "Bobs"."""
    kept = post_work(alice, "Kept", fandoms=["Lighthouses"], freeforms=["Rain"])
    angsty = post_work(alice, "Angsty", fandoms=["Lighthouses"], freeforms=["Angst"])
    bobs = post_work(bob, "Bobs", fandoms=["Lighthouses"])
    series = work_actions.create_series(alice, "Weather")
    work_actions.add_work_to_series(alice, kept, series)
    work_actions.add_work_to_series(alice, angsty, series)
    return {"kept": kept, "angsty": angsty, "bobs": bobs, "series": series}


@pytest.fixture
def picky(carol, shelf):
    """Carol hides the Angst tag: Alice's "Angsty" leaves her listings."""
    actions.hide_tags(carol, ["Angst"])
    return logged_in(carol)


def titles(html: str) -> set[str]:
    return set(re.findall(r'<h3 class="blurb-title"><a href="[^"]+">([^<]+)</a>', html))


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_works_index_and_its_count_leave_hidden_works_out(picky):
    html = page(picky, "/works")
    assert titles(html) == {"Kept", "Bobs"}
    assert "of 2 works" in html


def test_the_home_page_leaves_hidden_works_out(picky):
    assert titles(page(picky, "/")) == {"Kept", "Bobs"}


def test_a_tag_page_and_its_count_leave_hidden_works_out(picky):
    html = page(picky, "/tags/Lighthouses/works")
    assert titles(html) == {"Kept", "Bobs"}
    assert "2 works" in html


def test_a_tag_page_of_a_hidden_tag_lists_nothing(picky):
    html = page(picky, "/tags/Angst/works")
    assert titles(html) == set()


def test_a_creators_pages_and_counts_leave_hidden_works_out(picky, alice):
    assert titles(page(picky, f"/users/{alice.username}/works")) == {"Kept"}
    profile = page(picky, f"/users/{alice.username}")
    assert titles(profile) == {"Kept"}
    assert re.search(r"<dt>Works:</dt><dd><a [^>]+>1</a>", profile)
    assert titles(page(picky, f"/users/{alice.username}/pseuds/{alice.username}")) == {"Kept"}


def test_a_series_page_and_its_count_leave_hidden_works_out(picky, shelf):
    html = page(picky, shelf["series"].get_absolute_url())
    assert titles(html) == {"Kept"}
    assert '<dt class="works">Works:</dt><dd class="works">1</dd>' in html


def test_a_series_whose_works_are_all_hidden_leaves_the_series_list(picky, carol, alice, shelf):
    assert "Weather" in page(picky, f"/users/{alice.username}/series")
    actions.hide_work(carol, shelf["kept"])
    html = page(picky, f"/users/{alice.username}/series")
    assert "Weather" not in html
    assert re.search(r"<dt>Series:</dt><dd><a [^>]+>0</a>", page(picky, f"/users/{alice.username}"))


def test_opds_feeds_and_their_counts_leave_hidden_works_out(picky, shelf):
    recent = page(picky, "/opds/recent")
    assert "Kept" in recent
    assert "Angsty" not in recent
    assert "Angsty" not in page(picky, f"/opds/series/{shelf['series'].pk}")
    assert "Angsty" not in page(picky, "/opds/tags/Lighthouses")


def test_atom_feeds_leave_hidden_works_out(picky, alice):
    assert "Angsty" not in page(picky, "/tags/Lighthouses/feed.atom")
    user_feed = page(picky, f"/users/{alice.username}/feed.atom")
    assert "Kept" in user_feed
    assert "Angsty" not in user_feed


def test_a_guest_and_another_reader_see_everything(client: Client, picky, bob):
    assert titles(page(client, "/works")) == {"Kept", "Angsty", "Bobs"}
    assert titles(page(logged_in(bob), "/works")) == {"Kept", "Angsty", "Bobs"}


def test_a_hidden_work_still_opens_by_its_address(picky, shelf):
    assert picky.get(shelf["angsty"].get_absolute_url()).status_code == 200


def test_hiding_a_work_from_its_blurb_takes_effect_on_the_next_listing(picky, shelf):
    response = picky.post(
        f"/preferences/filters/works/{shelf['bobs'].pk}/hide", {"next": "/works?page=1"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/works?page=1"
    html = page(picky, "/works")
    assert titles(html) == {"Kept"}
    assert "of 1 work," in html


def test_hiding_a_creator_from_a_blurb_hides_all_their_works(picky, alice):
    response = picky.post(f"/preferences/filters/users/{alice.username}/hide", {"next": "/works"})
    assert response["Location"] == "/works"
    assert titles(page(picky, "/works")) == {"Bobs"}


def test_the_blurb_offers_hide_buttons_to_a_reader_but_not_on_their_own_work(picky, alice):
    html = page(picky, "/works")
    assert html.count("Hide this work") == 2
    assert f"Hide works by {alice.username}" in html
    own = page(logged_in(alice), f"/users/{alice.username}/works")
    assert "Hide this work" not in own
    assert "Hide works by" not in own


def test_a_guest_gets_no_hide_buttons(client: Client, shelf):
    html = page(client, "/works")
    assert "Hide this work" not in html
    assert "Hide works by" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/works",
        "/tags/Lighthouses/works",
        "/users/alice/works",
        "/series/{series}",
        "/opds/recent",
        "/works/search?sort=updated",
    ],
)
def test_a_listing_runs_as_many_queries_with_many_filters_as_with_one(
    url, picky, carol, alice, shelf
):
    url = url.format(series=shelf["series"].pk)
    page(picky, url)  # search builds its index on the first query, then follows changes
    one = CaptureQueriesContext(connection)
    with one:
        page(picky, url)
    extra_tags = Tag.objects.bulk_create(
        Tag(type=TagType.FREEFORM, name=f"Unwanted {n}") for n in range(60)
    )
    HiddenTag.objects.bulk_create(HiddenTag(user=carol, tag=tag) for tag in extra_tags)
    extra_works = [post_work(alice, f"Extra {n}") for n in range(5)]
    HiddenWork.objects.bulk_create(HiddenWork(user=carol, work=work) for work in extra_works)
    actions.update_preferences(carol, hide_read_works=True, hide_kudosed_works=True)
    page(picky, url)
    many = CaptureQueriesContext(connection)
    with many:
        html = page(picky, url)
    assert "Extra" not in html
    assert len(many) == len(one)


def test_counts_beside_a_listing_agree_with_the_listing(picky, carol):
    listed = Work.objects.listed_for(carol)
    assert listed.count() == len(list(listed)) == 2


def test_the_search_page_agrees_with_the_works_index_for_a_picky_reader(picky, carol, shelf):
    actions.hide_work(carol, shelf["bobs"])
    search = page(picky, "/works/search?sort=updated")
    assert "1 work found" in search
    assert titles(search) == titles(page(picky, "/works")) == {"Kept"}
