"""The people search: pseuds by name or user name, with their works and top fandoms."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.accounts import actions as account_actions
from ficarchive.accounts.models import Block, Mute
from ficarchive.works import actions as work_actions
from tests.conftest import logged_in, make_user, post_work


def page(client: Client, q: str, **more: str) -> str:
    response = client.get("/people/search", {"q": q, **more})
    assert response.status_code == 200
    return response.content.decode()


def test_empty_query_shows_the_form_only(client: Client, alice) -> None:
    shown = page(client, "")
    assert 'name="q"' in shown
    assert "found for" not in shown
    assert "alice" not in shown


def test_names_and_pseuds_match_in_any_case_by_prefix_or_substring(client: Client, alice) -> None:
    account_actions.create_pseud(alice, "Stormwriter")
    make_user("bob")
    shown = page(client, "STORM")
    assert "1 pseud found" in shown
    assert 'href="/users/alice/pseuds/Stormwriter"' in shown
    assert ">alice</a>" in shown, "a pseud names its account"
    both = page(client, "LIC")  # inside "alice": her two pseuds, by the user name
    assert "2 pseuds found" in both
    assert "bob" not in both


def test_names_starting_with_the_text_come_first(client: Client) -> None:
    make_user("zed_annie")
    make_user("annie_z")
    shown = page(client, "annie")
    assert shown.index("annie_z") < shown.index("zed_annie")


def test_a_person_shows_listed_works_and_top_fandoms(client: Client, alice, bob) -> None:
    post_work(alice, "One", fandoms=["Harbour Lights"])
    post_work(alice, "Two", fandoms=["Harbour Lights", "Tidewater"])
    post_work(alice, "Three", fandoms=["Tidewater"], restricted=True)
    post_work(alice, "Draft", fandoms=["Secret Fandom"], draft=True)
    guest = page(client, "alice")
    assert "2 works" in guest, "guests do not count restricted works or drafts"
    assert "Harbour Lights</a> (2)" in guest
    assert "Tidewater</a> (1)" in guest
    assert guest.index("Harbour Lights") < guest.index("Tidewater")
    assert "Secret Fandom" not in guest
    member = page(logged_in(bob), "alice")
    assert "3 works" in member
    assert "Tidewater</a> (2)" in member


def test_banned_accounts_and_the_orphan_account_are_not_found(client: Client, alice) -> None:
    banned = make_user("alice_banned")
    banned.is_active = False
    banned.save()
    account_actions.orphan_account()
    assert "alice_banned" not in page(client, "alice")
    assert "0 pseuds found" in page(client, "orphan")


def test_blocked_and_muted_people_are_still_found(alice, bob) -> None:
    Block.objects.create(blocker=bob, blocked=alice)
    Mute.objects.create(muter=bob, muted=alice)
    post_work(alice, "Muted work", fandoms=["Harbour Lights"])
    shown = page(logged_in(bob), "alice")
    assert "1 pseud found" in shown
    assert "0 works" in shown, "a muted account's works are not listed to the muter"


def test_a_hidden_work_is_not_counted(client: Client, alice, ada) -> None:
    post_work(alice, "Kept")
    work_actions.hide_work(ada, post_work(alice, "Gone"), "spam")
    assert "1 work<" in page(client, "alice")


def test_pages_cost_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries
) -> None:
    for n in range(25):
        person = make_user(f"walker{n:02}")
        post_work(person, f"Walk {n}", fandoms=[f"Fandom {n}", "Shared"])
    with django_assert_max_num_queries(8):
        first = page(client, "walker")
    assert "25 pseuds found" in first
    assert first.count('class="blurb person"') == 20
    assert "Shared</a> (1)" in first
    reader = logged_in(make_user("reader"))
    with django_assert_max_num_queries(8):  # a signed-in reader's session and standing filters
        assert "25 pseuds found" in page(reader, "walker")
    second = page(client, "walker", page="2")
    assert second.count('class="blurb person"') == 5
    assert "walker24" in second


@pytest.mark.parametrize(
    "q",
    ["<script>alert(1)</script>", "' OR 1=1 --", "Łucja", "%", "_", "名前"],
)
def test_hostile_or_odd_text_is_searched_as_text(client: Client, alice, q: str) -> None:
    shown = page(client, q)
    assert "<script>alert(1)" not in shown
    assert "0 pseuds found" in shown
    if q.startswith("<"):
        assert "&lt;script&gt;" in shown


def test_overlong_text_is_refused_with_the_reason(client: Client) -> None:
    response = client.get("/people/search", {"q": "a" * 10_000})
    assert response.status_code == 400
    assert "q: at most 100 characters" in response.content.decode()


def test_the_search_pages_link_to_each_other(client: Client) -> None:
    works = client.get("/works/search").content.decode()
    assert 'href="/people/search">Search people</a>' in works
    assert 'href="/bookmarks/search">Search bookmarks</a>' in works
    assert 'href="/bookmarks/search">Search bookmarks</a>' in page(client, "")
    assert (
        'href="/people/search">Search people</a>'
        in client.get("/bookmarks/search").content.decode()
    )
