"""Shelves: a reader's private, named, ordered lists of works. Made and renamed on /shelves,
filled from a work's "Add to a shelf", ordered by moving works up, down or to a place, and seen
by nobody else; a work the reader can no longer open stays listed without its title."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, override_settings
from django.utils import timezone

from ficarchive.accounts.models import User
from ficarchive.moderation.actions import sanctions
from ficarchive.moderation.models import Role
from ficarchive.social import actions
from ficarchive.social.actions import BookmarkDetails, save_bookmark
from ficarchive.social.models import Shelf, ShelfEntry
from ficarchive.works import actions as works
from ficarchive.works.models import Work
from tests.conftest import logged_in, post_work
from tests.moderation.holders import holder


def shelf_of(user: User, name: str) -> Shelf:
    return actions.create_shelf(user, actions.ShelfDetails(name))


def order(shelf: Shelf) -> list[str]:
    return [entry.work.title for entry in shelf.entries.in_order().select_related("work")]


def positions(shelf: Shelf) -> list[int]:
    return list(shelf.entries.in_order().values_list("position", flat=True))


@pytest.fixture
def trio(alice: User) -> list[Work]:
    return [post_work(alice, title) for title in ("Tide", "Lantern", "Orchard")]


def test_a_reader_makes_a_shelf_and_fills_it_from_the_work_pages(
    carol: User, carol_client: Client, trio: list[Work]
) -> None:
    answer = carol_client.post("/shelves", {"name": "  to   re-read ", "description": "Winter."})
    shelf = Shelf.objects.get(user=carol)
    assert answer.status_code == 302 and answer["Location"] == f"/shelves/{shelf.pk}"
    assert shelf.name == "to re-read"

    page = carol_client.get(f"/works/{trio[0].pk}").content.decode()
    assert f'href="/works/{trio[0].pk}/shelves">Add to a shelf</a>' in page
    form = carol_client.get(f"/works/{trio[0].pk}/shelves").content.decode()
    assert "to re-read" in form and 'type="checkbox"' in form
    for work in trio:
        answer = carol_client.post(f"/works/{work.pk}/shelves", {"shelves": [shelf.pk]})
        assert answer.status_code == 302 and answer["Location"] == f"/works/{work.pk}"
    assert order(shelf) == ["Tide", "Lantern", "Orchard"]
    assert positions(shelf) == [1, 2, 3]

    listing = carol_client.get("/shelves").content.decode()
    assert f'<a href="/shelves/{shelf.pk}">to re-read</a>' in listing and "(3 works)" in listing
    page = carol_client.get(f"/shelves/{shelf.pk}").content.decode()
    titles = re.findall(r'<a href="/works/(\d+)">([^<]+)</a>', page)
    assert [title for _, title in titles if title in {"Tide", "Lantern", "Orchard"}] == [
        "Tide",
        "Lantern",
        "Orchard",
    ]
    assert "Winter." in page and "Only you see this shelf" in page
    assert f'href="/downloads/shelves/{shelf.pk}.epub"' in page


def test_the_work_page_form_makes_a_new_shelf_and_takes_the_work_off_unticked_ones(
    carol: User, carol_client: Client, trio: list[Work]
) -> None:
    old = shelf_of(carol, "Old")
    actions.add_to_shelf(carol, old, trio[0])
    answer = carol_client.post(f"/works/{trio[0].pk}/shelves", {"new_shelf": "For my sister"})
    assert answer.status_code == 302
    sister = Shelf.objects.get(user=carol, name="For my sister")
    assert order(sister) == ["Tide"]
    assert order(old) == []
    messages = carol_client.get(f"/works/{trio[0].pk}").content.decode()
    assert "Put on “For my sister”." in messages and "Taken off “Old”." in messages


def test_works_move_up_down_and_to_a_place_and_the_rest_close_up(
    carol: User, carol_client: Client, trio: list[Work]
) -> None:
    shelf = shelf_of(carol, "Order")
    for work in trio:
        actions.add_to_shelf(carol, shelf, work)
    lantern = trio[1]
    move = f"/shelves/{shelf.pk}/works/{lantern.pk}/move"
    assert carol_client.post(move, {"from": 2, "up": ""}).status_code == 302
    assert order(shelf) == ["Lantern", "Tide", "Orchard"]
    carol_client.post(move, {"from": 1, "down": ""})
    assert order(shelf) == ["Tide", "Lantern", "Orchard"]
    carol_client.post(move, {"to": 99})
    assert order(shelf) == ["Tide", "Orchard", "Lantern"]
    carol_client.post(f"/shelves/{shelf.pk}/works/{lantern.pk}/move", {"to": 1})
    assert order(shelf) == ["Lantern", "Tide", "Orchard"]
    carol_client.post(f"/shelves/{shelf.pk}/works/{trio[0].pk}/remove")
    assert order(shelf) == ["Lantern", "Orchard"]
    assert positions(shelf) == [1, 2]

    answer = carol_client.post(move, {"to": "first"}, follow=True)
    assert "Give the place as a whole number from 1." in answer.content.decode()
    assert order(shelf) == ["Lantern", "Orchard"]


def test_shelves_are_ordered_too(carol: User, carol_client: Client) -> None:
    first, _second, third = (shelf_of(carol, name) for name in ("A", "B", "C"))
    carol_client.post(f"/shelves/{third.pk}/move", {"from": 3, "up": ""})
    names = list(Shelf.objects.of_user(carol).in_order().values_list("name", flat=True))
    assert names == ["A", "C", "B"]
    page = carol_client.get("/shelves").content.decode()
    assert page.index(">A</a>") < page.index(">C</a>") < page.index(">B</a>")
    carol_client.post(f"/shelves/{first.pk}/delete")
    assert list(Shelf.objects.of_user(carol).in_order().values_list("position", flat=True)) == [
        1,
        2,
    ]


def test_names_are_checked_and_a_refused_form_changes_nothing(
    carol: User, carol_client: Client
) -> None:
    shelf_of(carol, "Comfort")
    answer = carol_client.post("/shelves", {"name": "comfort"})
    assert answer.status_code == 400
    assert "You already have a shelf called “comfort”." in answer.content.decode()
    answer = carol_client.post("/shelves", {"name": "   "})
    assert answer.status_code == 400 and "This field is required." in answer.content.decode()
    answer = carol_client.post("/shelves", {"name": "x" * 101})
    assert answer.status_code == 400
    assert "Ensure this value has at most 100 characters" in answer.content.decode()
    assert list(Shelf.objects.values_list("name", flat=True)) == ["Comfort"]
    with pytest.raises(ValidationError) as refused:
        actions.create_shelf(carol, actions.ShelfDetails("y" * 101))
    assert "the most is 100" in str(refused.value)


@override_settings(SHELVES_PER_READER=2, WORKS_PER_SHELF=2)
def test_limits_on_shelves_and_their_works_are_named(
    carol: User, carol_client: Client, trio: list[Work]
) -> None:
    shelf = shelf_of(carol, "One")
    shelf_of(carol, "Two")
    answer = carol_client.post("/shelves", {"name": "Three"})
    assert answer.status_code == 400
    assert "You have 2 shelves, the most a reader may keep." in answer.content.decode()
    actions.add_to_shelf(carol, shelf, trio[0])
    actions.add_to_shelf(carol, shelf, trio[1])
    answer = carol_client.post(f"/works/{trio[2].pk}/shelves", {"shelves": [shelf.pk]})
    assert answer.status_code == 400
    assert "“One” holds 2 works, the most a shelf may hold." in answer.content.decode()
    assert order(shelf) == ["Tide", "Lantern"]


def test_nobody_else_sees_or_changes_a_shelf(carol: User, bob: User, trio: list[Work]) -> None:
    shelf = shelf_of(carol, "Secret")
    actions.add_to_shelf(carol, shelf, trio[0])
    bob_client = logged_in(bob)
    for address in (f"/shelves/{shelf.pk}", f"/shelves/{shelf.pk}/edit"):
        assert bob_client.get(address).status_code == 404
    for address, data in (
        (f"/shelves/{shelf.pk}/edit", {"name": "Mine now"}),
        (f"/shelves/{shelf.pk}/delete", {}),
        (f"/shelves/{shelf.pk}/move", {"to": 1}),
        (f"/shelves/{shelf.pk}/works/{trio[0].pk}/move", {"to": 1}),
        (f"/shelves/{shelf.pk}/works/{trio[0].pk}/remove", {}),
        (f"/works/{trio[1].pk}/shelves", {"shelves": [shelf.pk]}),
    ):
        answer = bob_client.post(address, data)
        assert answer.status_code in (400, 404), address
    assert "Secret" not in bob_client.get("/shelves").content.decode()
    shelf.refresh_from_db()
    assert shelf.name == "Secret" and order(shelf) == ["Tide"]

    guest = Client()
    answer = guest.get(f"/shelves/{shelf.pk}")
    assert answer.status_code == 302 and answer["Location"].startswith("/login")
    with pytest.raises(PermissionDenied):
        actions.add_to_shelf(bob, shelf, trio[1])
    with pytest.raises(PermissionDenied):
        actions.set_shelves_of(bob, trio[1], [shelf.pk])


def test_a_csrf_less_post_is_refused(carol: User, trio: list[Work]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(carol)
    answer = client.post("/shelves", {"name": "Forged"})
    assert answer.status_code == 403
    assert not Shelf.objects.exists()


def test_a_work_the_reader_can_no_longer_open_stays_without_its_title(
    alice: User, carol: User, carol_client: Client, trio: list[Work]
) -> None:
    shelf = shelf_of(carol, "Keep")
    for work in trio:
        actions.add_to_shelf(carol, shelf, work)
    Work.objects.filter(pk=trio[1].pk).update(is_hidden=True)
    page = carol_client.get(f"/shelves/{shelf.pk}").content.decode()
    assert "A work you can no longer open" in page
    assert "Lantern" not in page
    assert "(works you can no longer open are left out)" in page
    assert [work.title for work in shelf.readable_works(carol)] == ["Tide", "Orchard"]
    carol_client.post(f"/shelves/{shelf.pk}/works/{trio[1].pk}/remove")
    assert order(shelf) == ["Tide", "Orchard"]


def test_a_reader_cannot_shelve_a_work_they_may_not_read(
    alice: User, carol: User, carol_client: Client
) -> None:
    draft = post_work(alice, "Unfinished", draft=True)
    shelf = shelf_of(carol, "Any")
    assert carol_client.get(f"/works/{draft.pk}/shelves").status_code == 404
    assert (
        carol_client.post(f"/works/{draft.pk}/shelves", {"shelves": [shelf.pk]}).status_code == 404
    )
    with pytest.raises(PermissionDenied):
        actions.add_to_shelf(carol, shelf, draft)
    with pytest.raises(ValidationError, match="No work you may read has the id"):
        actions.arrange_shelf(carol, shelf, [draft.pk])
    assert not ShelfEntry.objects.exists()


def test_a_suspended_reader_keeps_their_shelves(
    carol: User, carol_client: Client, trio: list[Work]
) -> None:
    until = timezone.now() + timedelta(days=3)
    sanctions.suspend(holder(Role.POLICY_ABUSE, "polly"), carol, until, "Spam.")
    answer = carol_client.post(f"/works/{trio[0].pk}/shelves", {"new_shelf": "While away"})
    assert answer.status_code == 302
    assert order(Shelf.objects.get(user=carol)) == ["Tide"]


def test_deleting_a_shelf_keeps_the_works_and_bookmarks(
    carol: User, carol_client: Client, trio: list[Work]
) -> None:
    shelf = shelf_of(carol, "Gone soon")
    actions.add_to_shelf(carol, shelf, trio[0])
    save_bookmark(carol, BookmarkDetails(), work=trio[0])
    edit = carol_client.get(f"/shelves/{shelf.pk}/edit").content.decode()
    assert "your bookmarks of them stay too" in edit
    answer = carol_client.post(f"/shelves/{shelf.pk}/delete", follow=True)
    assert "Shelf “Gone soon” deleted" in answer.content.decode()
    assert not Shelf.objects.exists() and not ShelfEntry.objects.exists()
    assert Work.objects.filter(pk=trio[0].pk).exists() and carol.bookmarks.count() == 1


def test_the_api_arrangement_replaces_the_list_in_one_go(carol: User, trio: list[Work]) -> None:
    shelf = shelf_of(carol, "Whole")
    actions.add_to_shelf(carol, shelf, trio[0])
    actions.arrange_shelf(carol, shelf, [trio[2].pk, trio[0].pk])
    assert order(shelf) == ["Orchard", "Tide"] and positions(shelf) == [1, 2]
    with pytest.raises(ValidationError, match="once"):
        actions.arrange_shelf(carol, shelf, [trio[2].pk, trio[2].pk])
    assert order(shelf) == ["Orchard", "Tide"]


def test_a_deleted_work_leaves_no_gap_in_the_numbering(
    alice: User, carol: User, carol_client: Client, trio: list[Work]
) -> None:
    shelf = shelf_of(carol, "Gaps")
    for work in trio:
        actions.add_to_shelf(carol, shelf, work)
    works.delete_work(alice, trio[0])
    page = carol_client.get(f"/shelves/{shelf.pk}").content.decode()
    assert re.findall(r"No\. (\d+)", page) == ["1", "2"]
    assert 'name="from" value="2"' in page
    carol_client.post(f"/shelves/{shelf.pk}/works/{trio[2].pk}/move", {"from": 2, "up": ""})
    assert order(shelf) == ["Orchard", "Lantern"] and positions(shelf) == [1, 2]
