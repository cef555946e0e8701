"""A guest's search page kept whole in the shared cache (search/whole_pages.py): served again
without drawing while nothing it shows changed, drawn again as soon as something did, and never
served to anyone it was not drawn for: a signed-in reader, a guest with a message waiting, a
guest reading another language. A member's page is kept in part: what every member without
standing filters sees, with each member's own name, token and buttons filled in."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from ficarchive.accounts.actions import hide_work, update_preferences
from ficarchive.search.index_keeper import get_index
from ficarchive.search.whole_pages import token_mark
from ficarchive.works import actions
from tests.conftest import logged_in, post_work
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


def _hide_forms(page: str) -> dict[str, str]:
    """Each "Hide this work" form's address, with the CSRF token it carries."""
    return dict(
        re.findall(r'action="(/[^"]*/works/\d+/hide)"[^>]*><input type="hidden" '
                   r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    )  # fmt: skip


def test_members_pages_share_their_part_and_keep_their_own_name_token_and_buttons(
    alice, carol, ada
):
    own = post_work(alice, "Alice's Tale", fandoms=["Lighthouses"])
    other = post_work(carol, "Carol's Tale", fandoms=["Lighthouses"])
    fresh_alice = logged_in(alice).get(SEARCH).content.decode()  # drawn, its part kept
    alice_client = Client(enforce_csrf_checks=True)
    alice_client.force_login(alice)
    carol_client = Client(enforce_csrf_checks=True)
    carol_client.force_login(carol)
    pages = {"alice": alice_client.get(SEARCH).content.decode(),
             "carol": carol_client.get(SEARCH).content.decode()}  # fmt: skip
    for name, page in pages.items():
        assert f">{name}</a>" in page
        assert "2 works found" in page
        assert token_mark() not in page and "<!--controls" not in page
    # Nobody is offered to hide their own work; each form carries its reader's token.
    assert set(_hide_forms(pages["alice"])) == {reverse("accounts:hide_work", args=[other.pk])}
    assert set(_hide_forms(pages["carol"])) == {reverse("accounts:hide_work", args=[own.pk])}
    tokens = {name: set(_hide_forms(page).values()) for name, page in pages.items()}
    assert tokens["alice"] != tokens["carol"]
    # The page kept in part is the page drawn for the member, but for the token.
    unmasked = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", fresh_alice)
    assert re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", pages["alice"]) == (
        unmasked
    )
    # The token works: Carol hides Alice's work with the form's own token.
    [(address, token)] = _hide_forms(pages["carol"]).items()
    hidden = carol_client.post(address, {"csrfmiddlewaretoken": token, "next": SEARCH})
    assert hidden.status_code == 302
    # Now Carol has a standing filter: her page is her own, without the hidden work.
    page = carol_client.get(SEARCH).content.decode()
    assert "1 work found" in page and f'id="work_{own.pk}"' not in page
    assert "Alice&#x27;s Tale is hidden from your listings." in page, "her message, drawn for her"
    assert "2 works found" in alice_client.get(SEARCH).content.decode()
    assert "2 works found" in logged_in(ada).get(SEARCH).content.decode()


def test_a_member_s_preferences_choose_the_part_they_get(alice, carol, ada):
    post_work(alice, "Tale", fandoms=["Lighthouses"], freeforms=["Fluff"])

    def results(page: str) -> str:
        return page.split('<aside class="search-sidebar"')[0]

    folded = ">Fluff</a></details>"  # the freeform tags behind a "show" button
    assert folded not in results(logged_in(ada).get(SEARCH).content.decode())
    update_preferences(carol, hide_freeform=True)
    assert folded in results(logged_in(carol).get(SEARCH).content.decode())
    assert folded not in results(logged_in(ada).get(SEARCH).content.decode())
    hide_work(ada, post_work(carol, "Hidden from Ada", fandoms=["Lighthouses"]))
    assert "Hidden from Ada" not in logged_in(ada).get(SEARCH).content.decode()
    assert "Hidden from Ada" in logged_in(alice).get(SEARCH).content.decode()
