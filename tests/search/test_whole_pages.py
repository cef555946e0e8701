"""A guest's search page kept whole in the shared cache (search/whole_pages.py): served again
without drawing while nothing it shows changed, drawn again as soon as something did, and never
served to anyone it was not drawn for: a signed-in reader, a guest with a message waiting, a
guest reading another language."""

from __future__ import annotations

from django.test import Client

from ficarchive.search.index_keeper import get_index
from ficarchive.works import actions
from tests.conftest import post_work
from tests.search.test_listings import details

SEARCH = "/works/search?include=Lighthouses"


def test_a_guest_s_page_asked_again_is_served_whole(
    client: Client, alice, django_assert_max_num_queries
):
    for number in range(3):
        post_work(alice, f"Tale {number}", fandoms=["Lighthouses"])
    get_index()
    first = client.get(SEARCH)
    # The change log and the tag names the search resolves: no work, tag or creator is read.
    with django_assert_max_num_queries(3) as queries:
        again = client.get(SEARCH)
    assert not any('"works_work"' in query["sql"] for query in queries.captured_queries)
    assert again.content == first.content
    assert "3 works found" in again.content.decode()


def test_a_change_to_a_work_on_the_page_is_shown_at_once(client: Client, alice):
    work = post_work(alice, "Old Name", fandoms=["Lighthouses"])
    assert "Old Name" in client.get(SEARCH).content.decode()
    actions.update_work(alice, work, details(work, title="New Name"))
    page = client.get(SEARCH).content.decode()
    assert "New Name" in page
    assert "Old Name" not in page
    post_work(alice, "Another", fandoms=["Lighthouses"])
    assert "2 works found" in client.get(SEARCH).content.decode()


def test_a_signed_in_reader_is_never_served_a_guest_s_page(
    client: Client, carol_client: Client, alice
):
    post_work(alice, "Tale", fandoms=["Lighthouses"])
    post_work(alice, "Members Tale", fandoms=["Lighthouses"], restricted=True)
    assert "Members Tale" not in client.get(SEARCH).content.decode()
    page = carol_client.get(SEARCH).content.decode()
    assert "Members Tale" in page
    assert ">carol</a>" in page
    assert "csrfmiddlewaretoken" in page


def test_a_guest_s_message_is_shown_to_them_and_kept_from_others(
    client: Client, carol_client: Client, alice
):
    post_work(alice, "Tale", fandoms=["Lighthouses"])
    client.get(SEARCH)  # kept for guests
    carol_client.post("/logout")  # a guest now, with "You are logged out." waiting
    assert "You are logged out." in carol_client.get(SEARCH).content.decode()
    assert "You are logged out." not in carol_client.get(SEARCH).content.decode()
    assert "You are logged out." not in Client().get(SEARCH).content.decode()


def test_guests_get_the_page_in_their_language(client: Client, alice):
    post_work(alice, "Tale", fandoms=["Lighthouses"])
    english = client.get(SEARCH).content.decode()
    spanish = Client(headers={"accept-language": "es"}).get(SEARCH).content.decode()
    assert 'lang="en"' in english
    assert 'lang="es"' in spanish
    assert spanish != english
    assert 'lang="en"' in client.get(SEARCH).content.decode()
