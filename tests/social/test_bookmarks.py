"""Bookmarks: saving works and series with notes and tags, private or public, and the lists."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.social import actions
from ficarchive.social.models import Bookmark, WorkStats
from ficarchive.works import actions as work_actions
from tests.conftest import logged_in, post_work


def bookmark_count(work) -> int:
    stats = WorkStats.objects.filter(work=work).first()
    return stats.bookmarks if stats else 0


def save(user, work, **details):
    return actions.save_bookmark(user, actions.BookmarkDetails(**details), work=work)


def test_reader_bookmarks_a_work_with_notes_and_tags(carol_client: Client, work):
    response = carol_client.post(
        f"/works/{work.pk}/bookmark",
        {"notes": "Read on a <i>stormy</i> night.<script>x</script>", "tags": "cozy, reread"},
        follow=True,
    )
    page = response.content.decode()
    assert "Bookmark saved." in page
    assert "Read on a <i>stormy</i> night." in page
    assert "<script>x" not in page
    assert ">cozy<" in page and ">reread<" in page
    bookmark = Bookmark.objects.get()
    assert bookmark.tags == ["cozy", "reread"]
    assert bookmark_count(work) == 1


def test_saving_again_edits_the_same_bookmark(carol, carol_client: Client, work):
    save(carol, work, notes="First.")
    page = carol_client.get(f"/works/{work.pk}/bookmark").content.decode()
    assert "Edit your bookmark of" in page
    carol_client.post(f"/works/{work.pk}/bookmark", {"notes": "Second.", "is_private": "on"})
    bookmark = Bookmark.objects.get()
    assert bookmark.notes == "<p>Second.</p>"
    assert bookmark.is_private
    assert bookmark_count(work) == 0, "private bookmarks are not counted"


def test_private_bookmarks_are_invisible_to_others(carol, bob, client, work):
    private = save(carol, work, notes="Secret note", is_private=True)
    assert client.get(f"/bookmarks/{private.pk}").status_code == 404
    assert logged_in(bob).get(f"/bookmarks/{private.pk}").status_code == 404
    assert "Secret note" not in logged_in(bob).get("/users/carol/bookmarks").content.decode()
    assert "Secret note" not in client.get(f"/works/{work.pk}/bookmarks").content.decode()
    own = logged_in(carol)
    assert own.get(f"/bookmarks/{private.pk}").status_code == 200
    assert "Secret note" in own.get("/users/carol/bookmarks").content.decode()


def test_public_bookmarks_are_listed_per_user_and_per_work(carol, bob, client, work):
    save(carol, work, notes="Carol's rec", is_rec=True)
    save(bob, work, notes="Bob's note")
    page = client.get(f"/works/{work.pk}/bookmarks").content.decode()
    assert "Carol's rec" in page and "Bob's note" in page
    assert "Recommendation" in page
    assert "Bob's note" not in client.get("/users/carol/bookmarks").content.decode()
    assert bookmark_count(work) == 2


def test_bookmarks_of_works_the_reader_cannot_see_are_not_shown(alice, carol, client):
    restricted = post_work(alice, "Members Only", restricted=True)
    save(carol, restricted, notes="Members note")
    assert "Members note" not in client.get("/users/carol/bookmarks").content.decode()
    assert "Members note" in logged_in(carol).get("/users/carol/bookmarks").content.decode()


def test_private_recommendation_is_refused_naming_the_field(carol_client: Client, work):
    response = carol_client.post(f"/works/{work.pk}/bookmark", {"is_private": "on", "is_rec": "on"})
    assert response.status_code == 400
    assert "A recommendation is public" in response.content.decode()
    assert not Bookmark.objects.exists()


def test_reader_deletes_their_bookmark_but_not_anothers(carol, bob, work):
    bookmark = save(carol, work)
    assert logged_in(bob).post(f"/bookmarks/{bookmark.pk}/delete").status_code == 403
    assert Bookmark.objects.exists()
    logged_in(carol).post(f"/bookmarks/{bookmark.pk}/delete")
    assert not Bookmark.objects.exists()
    assert bookmark_count(work) == 0


def test_bookmark_a_series(alice, carol_client: Client, work):
    series = work_actions.create_series(alice, "The Coast")
    work_actions.add_work_to_series(alice, work, series)
    response = carol_client.post(
        f"/series/{series.pk}/bookmark", {"notes": "All of it"}, follow=True
    )
    assert "The Coast" in response.content.decode()
    assert Bookmark.objects.get().series == series


def test_bookmarking_needs_login_and_a_visible_work(client: Client, alice, carol_client):
    work = post_work(alice)
    response = client.get(f"/works/{work.pk}/bookmark")
    assert response.status_code == 302 and "/login" in response["Location"]
    draft = post_work(alice, draft=True)
    assert carol_client.post(f"/works/{draft.pk}/bookmark", {}).status_code == 404
    assert not Bookmark.objects.exists()


def test_bookmark_without_csrf_token_is_refused(carol, work):
    client = Client(enforce_csrf_checks=True)
    client.force_login(carol)
    assert client.post(f"/works/{work.pk}/bookmark", {"notes": "x"}).status_code == 403
    assert not Bookmark.objects.exists()


def test_delete_answers_get_with_405(carol, work):
    bookmark = save(carol, work)
    assert logged_in(carol).get(f"/bookmarks/{bookmark.pk}/delete").status_code == 405


@pytest.mark.parametrize("count", [3, 15])
def test_bookmark_lists_run_a_fixed_number_of_queries(
    count, alice, carol, client, django_assert_max_num_queries
):
    work = None
    for number in range(count):
        work = post_work(alice, f"Work {number}")
        save(carol, work, notes=f"Note {number}", tags=["a", "b"])
    with django_assert_max_num_queries(4):
        response = client.get("/users/carol/bookmarks")
    assert f"Note {count - 1}" in response.content.decode()
    with django_assert_max_num_queries(4):
        response = client.get(f"/works/{work.pk}/bookmarks")
    assert f"Note {count - 1}" in response.content.decode()


def test_bookmarks_of_a_series_the_reader_cannot_read_are_not_shown(alice, carol, client):
    members = post_work(alice, "Members Only", restricted=True)
    series = work_actions.create_series(alice, "Members Saga")
    work_actions.add_work_to_series(alice, members, series)
    actions.save_bookmark(carol, actions.BookmarkDetails(notes="Saga note"), series=series)
    assert "Saga note" not in client.get("/users/carol/bookmarks").content.decode()
    assert "Saga note" in logged_in(carol).get("/users/carol/bookmarks").content.decode()


@pytest.mark.parametrize("private", [False, True])
def test_a_hidden_works_title_is_not_shown_in_its_readers_bookmarks(carol, ada, work, private):
    saved = actions.save_bookmark(
        carol, actions.BookmarkDetails(notes="Keep", is_private=private), work=work
    )
    reader = logged_in(carol)
    assert work.title in reader.get("/users/carol/bookmarks").content.decode()

    work_actions.hide_work(ada, work, "Under review")
    for page in ("/users/carol/bookmarks", f"/bookmarks/{saved.pk}"):
        body = reader.get(page).content.decode()
        assert work.title not in body, page
        assert f"/works/{work.pk}" not in body, page
        assert "A work you can no longer open" in body, page
        assert "Keep" in body, "the reader's own notes stay"
    api = reader.get(f"/api/v1/bookmarks/{saved.pk}").json()
    assert api["title"] == "A work you can no longer open"
    assert work.title not in Client().get("/users/carol/bookmarks").content.decode()

    work_actions.unhide_work(ada, work)
    assert work.title in reader.get("/users/carol/bookmarks").content.decode()
