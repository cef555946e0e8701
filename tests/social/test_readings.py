"""History (with its opt-out) and works marked for later."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.accounts.actions import update_preferences
from ficarchive.social import actions
from ficarchive.social.models import Reading
from tests.conftest import logged_in, post_work


def test_opening_a_work_adds_it_to_the_readers_history(carol, carol_client: Client, work):
    carol_client.get(f"/works/{work.pk}")
    assert not Reading.objects.exists(), "visits are buffered, not written per view"
    page = carol_client.get("/history").content.decode()
    assert "The Lighthouse Keeper" in page
    reading = Reading.objects.get(user=carol)
    assert reading.visits == 1 and reading.viewed_at is not None


def test_history_remembers_the_chapter_last_opened(carol, carol_client: Client, alice):
    work = post_work(alice, chapters=["<p>One.</p>", "<p>Two.</p>"])
    second = work.posted_chapters().last()
    carol_client.get(second.get_absolute_url())
    page = carol_client.get("/history").content.decode()
    assert f'href="{second.get_absolute_url()}"' in page


def test_readers_who_opt_out_keep_no_history(carol, work):
    update_preferences(carol, keep_history=False)
    client = logged_in(carol)
    client.get(f"/works/{work.pk}")
    page = client.get("/history").content.decode()
    assert "Your history is off" in page
    assert not Reading.objects.exists()


def test_history_opt_out_is_a_preference(carol, carol_client: Client):
    page = carol_client.get("/preferences").content.decode()
    assert "Keep my reading history" in page
    carol_client.post("/preferences", {"time_zone": "UTC"})
    carol.refresh_from_db()
    assert carol.keep_history is False


def test_clearing_history_keeps_works_marked_for_later(carol, carol_client: Client, alice):
    read = post_work(alice, "Read Once")
    later = post_work(alice, "For Later")
    carol_client.get(f"/works/{read.pk}")
    carol_client.get(f"/works/{later.pk}")
    actions.mark_for_later(carol, later)
    carol_client.get("/history")
    carol_client.post("/history/clear")
    assert "Your history is empty." in carol_client.get("/history").content.decode()
    assert "For Later" in carol_client.get("/later").content.decode()


def test_mark_for_later_from_the_work_page(carol_client: Client, work):
    response = carol_client.post(f"/works/{work.pk}/later", {"later": "1"}, follow=True)
    assert "Marked for later." in response.content.decode()
    assert "Remove from “later”" in response.content.decode()
    assert "The Lighthouse Keeper" in carol_client.get("/later").content.decode()
    carol_client.post(f"/works/{work.pk}/later", {"later": "0"})
    assert "Nothing is marked for later." in carol_client.get("/later").content.decode()


def test_history_and_later_are_private_and_need_login(carol, client: Client, bob, work):
    actions.mark_for_later(carol, work)
    for url in ("/history", "/later"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]
    assert "The Lighthouse Keeper" not in logged_in(bob).get("/later").content.decode()
    assert client.post(f"/works/{work.pk}/later").status_code == 302
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(bob)
    assert forged.post(f"/works/{work.pk}/later").status_code == 403
    assert logged_in(bob).get(f"/works/{work.pk}/later").status_code == 405
    assert not Reading.objects.filter(user=bob).exists()


def test_works_no_longer_visible_leave_the_history(alice, carol, carol_client: Client):
    from ficarchive.works import actions as work_actions

    work = post_work(alice, "Soon Hidden")
    actions.mark_for_later(carol, work)
    ada = __import__("tests.conftest", fromlist=["make_user"]).make_user("ada2", staff=True)
    work_actions.hide_work(ada, work)
    assert "Soon Hidden" not in carol_client.get("/later").content.decode()


@pytest.mark.parametrize("count", [3, 15])
def test_history_runs_a_fixed_number_of_queries(count, alice, carol, django_assert_max_num_queries):
    for number in range(count):
        work = post_work(alice, f"Work {number}")
        actions.mark_for_later(carol, work)
        actions.set_position(carol, work, work.chapters.get(), 3)
    client = logged_in(carol)
    with django_assert_max_num_queries(11):  # 8, and the places: readings, read, chapters
        response = client.get("/later")
    assert f"Work {count - 1}" in response.content.decode()
