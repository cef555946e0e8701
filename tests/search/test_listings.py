"""The listings drawn from the search index (search/listings.py): the home page, the works
index, a tag's works, a creator's works, and the feeds of recent works, a tag's and a
creator's. Each shows what `Work.objects.listed_for` would, in its order, and the feeds kept
whole in the shared cache change as soon as a work on them does."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ficarchive.accounts import actions as account_actions
from ficarchive.search.index_keeper import get_index
from ficarchive.tags.models import GENERAL, NO_WARNINGS
from ficarchive.works import actions
from ficarchive.works.models import Work
from tests.conftest import post_work

LISTINGS = [
    "/",
    "/works",
    "/tags/Lighthouses/works",
    "/users/alice/works",
    "/users/alice",
    "/opds/recent",
    "/opds2/recent",
    "/opds/tags/Lighthouses",
    "/opds/users/alice",
    "/tags/Lighthouses/feed.atom",
    "/users/alice/feed.atom",
]


def details(work: Work, **changed: Any) -> actions.WorkDetails:
    given: dict[str, Any] = {
        "title": work.title,
        "rating": GENERAL,
        "warnings": [NO_WARNINGS],
        "fandoms": ["Lighthouses"],
        "expected_chapters": None,
        **changed,
    }
    return actions.WorkDetails(**given)


@pytest.mark.parametrize("url", LISTINGS)
def test_a_guest_is_not_shown_restricted_works_and_a_member_is(
    url: str, client: Client, carol_client: Client, alice
):
    post_work(alice, "Open Harbour", fandoms=["Lighthouses"])
    post_work(alice, "Members Harbour", fandoms=["Lighthouses"], restricted=True)
    guest = client.get(url).content.decode()
    member = carol_client.get(url).content.decode()
    assert "Open Harbour" in guest
    assert "Members Harbour" not in guest
    assert "Members Harbour" in member
    assert "Open Harbour" in member


@pytest.mark.parametrize("url", ["/", "/works", "/tags/Lighthouses/works", "/opds/recent"])
def test_a_reader_s_hidden_tags_keep_works_out_of_listings(url: str, carol, alice):
    post_work(alice, "Calm Waters", fandoms=["Lighthouses"])
    post_work(alice, "Shipwreck", fandoms=["Lighthouses"], freeforms=["Drowning"])
    account_actions.hide_tags(carol, ["Drowning"])
    reader = Client()
    reader.force_login(carol)
    page = reader.get(url).content.decode()
    assert "Calm Waters" in page
    assert "Shipwreck" not in page


def test_listings_show_the_newest_update_first_a_page_at_a_time(client: Client, alice, settings):
    settings.WORKS_PER_PAGE = 2
    for number in range(5):
        post_work(alice, f"Tale {number}", fandoms=["Lighthouses"])
    assert client.get("/works").content.decode().index("Tale 4") < client.get(
        "/works"
    ).content.decode().index("Tale 3")
    last = client.get("/works?page=3").content.decode()
    assert "Tale 0" in last
    assert "Tale 1" not in last
    # Past the end and nonsense both land on a page that exists, as every listing does.
    assert "Tale 0" in client.get("/works?page=99").content.decode()
    assert "Tale 4" in client.get("/works?page=abc").content.decode()
    assert "Showing 5 to 5 of 5 works" in last
    tag_page = client.get("/tags/Lighthouses/works?page=3").content.decode()
    assert "Tale 0" in tag_page
    assert "Tale 1" not in tag_page
    assert "5 works" in tag_page


def test_a_work_changed_since_shows_changed_on_every_listing(client: Client, alice):
    work = post_work(alice, "Old Name", fandoms=["Lighthouses"])
    for url in LISTINGS:
        assert "Old Name" in client.get(url).content.decode(), url
    actions.update_work(alice, work, details(work, title="New Name"))
    for url in LISTINGS:
        page = client.get(url).content.decode()
        assert "New Name" in page, url
        assert "Old Name" not in page, url


def test_a_feed_asked_again_is_served_whole_from_the_cache(
    client: Client, alice, django_assert_max_num_queries
):
    for number in range(3):
        post_work(alice, f"Tale {number}", fandoms=["Lighthouses"])
    get_index()
    first = client.get("/opds/recent")
    # The change log, and the page's newest revision for Last-Modified: no work is read.
    with django_assert_max_num_queries(2) as queries:
        again = client.get("/opds/recent")
    assert not any('"works_tagging"' in query["sql"] for query in queries.captured_queries)
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["ETag"] == first["ETag"]


def test_a_feed_s_validators_change_with_a_work_on_its_page(client: Client, alice):
    work = post_work(alice, "Tale", fandoms=["Lighthouses"])
    first = client.get("/tags/Lighthouses/feed.atom")
    assert (
        client.get(
            "/tags/Lighthouses/feed.atom", headers={"if-none-match": first["ETag"]}
        ).status_code
        == 304
    )
    actions.update_work(alice, work, details(work, summary="<p>A new summary.</p>"))
    changed = client.get("/tags/Lighthouses/feed.atom", headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200
    assert "A new summary." in changed.content.decode()


def test_a_signed_in_reader_s_feed_is_not_served_to_a_guest(client: Client, carol_client, alice):
    post_work(alice, "Members Harbour", fandoms=["Lighthouses"], restricted=True)
    assert "Members Harbour" in carol_client.get("/opds/recent").content.decode()
    assert "Members Harbour" not in client.get("/opds/recent").content.decode()


def test_the_creator_sees_their_works_in_an_anonymous_collection_on_their_own_page(
    alice_client: Client, client: Client, alice
):
    from ficarchive.collections import actions as collection_actions

    collection = collection_actions.create_collection(
        alice,
        collection_actions.CollectionDetails(name="masks", title="Masks", is_anonymous=True),
    )
    work = post_work(alice, "Behind a Mask", fandoms=["Lighthouses"])
    collection_actions.add_work(alice, work, collection)
    assert "Behind a Mask" in alice_client.get("/users/alice/works").content.decode()
    assert "Behind a Mask" not in client.get("/users/alice/works").content.decode()
    assert "Behind a Mask" in client.get("/works").content.decode()  # by "Anonymous"


def test_a_feed_page_out_of_range_is_named_by_the_page_it_shows(client: Client, alice, settings):
    settings.WORKS_PER_PAGE = 2
    for number in range(3):
        post_work(alice, f"Tale {number}", fandoms=["Lighthouses"])
    first = client.get("/opds/recent?page=0")
    for asked in ("0", "-1", "99"):
        shown = client.get(f"/opds/recent?page={asked}")
        assert "Tale 0" in shown.content.decode()
        assert "Tale 2" not in shown.content.decode()
    assert client.get("/opds/recent?page=abc").content.decode().count("Tale 2") >= 1
    work = Work.objects.get(title="Tale 0")
    actions.update_work(alice, work, details(work, title="Tale Zero"))
    again = client.get("/opds/recent?page=0", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200
    assert "Tale Zero" in again.content.decode()
