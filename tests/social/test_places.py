"""A reader's place in a work: kept from the chapter page and the chapters read, shown as
"Continue reading" on the work page, the chapter index, listings, history and subscriptions,
with the chapters new since; refused to anyone who may not read the work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ficarchive.accounts.actions import update_preferences
from ficarchive.accounts.models import User
from ficarchive.social import actions
from ficarchive.social.actions.readings import record_readings
from ficarchive.social.models import ChapterRead, Reading
from ficarchive.social.places import place_in
from ficarchive.works import actions as works
from ficarchive.works.models import Chapter, Work
from tests.conftest import logged_in, post_work


@pytest.fixture
def saga(alice: User) -> Work:
    """Alice's posted work of four chapters, forty paragraphs each."""
    body = "".join(f"<p>Paragraph {n} of the tide.</p>" for n in range(1, 41))
    return post_work(alice, "Saga", chapters=[body] * 4)


def chapter(work: Work, number: int) -> Chapter:
    return work.chapters.get(position=number)


def keep(client: Client, work: Work, chapter_id: int, paragraph: int, **more: str) -> int:
    data = {"chapter": chapter_id, "paragraph": paragraph, **more}
    return client.post(f"/works/{work.pk}/place", data).status_code


def test_the_page_keeps_the_paragraph_in_view_and_offers_to_continue_there(
    carol: User, carol_client: Client, saga: Work
) -> None:
    third = chapter(saga, 3)
    assert keep(carol_client, saga, third.pk, 20) == 204
    reading = Reading.objects.get(user=carol, work=saga)
    assert (reading.chapter_id, reading.paragraph) == (third.pk, 20)

    page = carol_client.get(f"/works/{saga.pk}").content.decode()
    address = f"/works/{saga.pk}/chapters/{third.pk}#p-20"
    assert f'<a href="{address}">Continue reading: Chapter 3</a>' in page
    assert 'id="reading-place"' in page and "reading-place.js" in page
    index = carol_client.get(f"/works/{saga.pk}/navigate").content.decode()
    assert f'<a href="{address}">Continue reading: Chapter 3</a>' in index


def test_a_chapter_read_to_its_end_continues_at_the_next_one(
    carol: User, carol_client: Client, saga: Work
) -> None:
    third, fourth = chapter(saga, 3), chapter(saga, 4)
    assert keep(carol_client, saga, third.pk, 40, finished="on") == 204
    assert ChapterRead.objects.filter(user=carol, chapter=third).exists()
    place = place_in(carol, saga)
    assert place is not None
    assert (place.chapter_id, place.number, place.paragraph) == (fourth.pk, 4, 0)
    page = carol_client.get(f"/works/{saga.pk}").content.decode()
    assert (
        f'<a href="/works/{saga.pk}/chapters/{fourth.pk}">Continue reading: Chapter 4</a>' in page
    )


def test_chapters_posted_since_are_counted_in_history_subscriptions_and_listings(
    alice: User, carol: User, carol_client: Client, saga: Work
) -> None:
    actions.subscribe(carol, work=saga, email=False)
    keep(carol_client, saga, chapter(saga, 4).pk, 40, finished="on")
    # Posted three days ago, read two days ago; two chapters come today.
    saga.chapters.update(published_at=timezone.now() - timedelta(days=3))
    Reading.objects.filter(user=carol).update(position_at=timezone.now() - timedelta(days=2))
    for text in ("<p>Five.</p>", "<p>Six.</p>"):
        works.add_chapter(alice, saga, works.ChapterDetails(body=text))
    fifth = chapter(saga, 5)
    expected = (
        f'<a href="/works/{saga.pk}/chapters/{fifth.pk}">Continue reading: Chapter 5</a>'
        " (2 new chapters since you read)"
    )
    for address in ("/history", "/subscriptions", f"/works/{saga.pk}", "/", "/works"):
        assert expected in carol_client.get(address).content.decode(), address
    search = carol_client.get("/works/search?q=Saga").content.decode()
    assert expected in search
    assert "Continue reading" not in logged_in(alice).get("/works").content.decode()
    assert "Continue reading" not in Client().get("/works").content.decode()


def test_chapters_are_marked_read_and_unread_from_the_index(
    carol: User, carol_client: Client, saga: Work
) -> None:
    second = chapter(saga, 2)
    response = carol_client.post(
        f"/works/{saga.pk}/chapters/{second.pk}/read", {"read": "1", "back": "index"}, follow=True
    )
    assert "Marked as read." in response.content.decode()
    assert response.redirect_chain[-1][0] == f"/works/{saga.pk}/navigate"
    assert ChapterRead.objects.filter(user=carol, chapter=second).exists()
    assert "Mark as unread" in response.content.decode()
    carol_client.post(f"/works/{saga.pk}/chapters/{second.pk}/read", {"read": "0"})
    assert not ChapterRead.objects.filter(user=carol).exists()


def test_a_reader_with_history_off_keeps_no_place(carol: User, saga: Work) -> None:
    update_preferences(carol, keep_history=False)
    client = logged_in(carol)
    page = client.get(f"/works/{saga.pk}").content.decode()
    assert "reading-place.js" not in page and "Mark as read" not in page
    assert keep(client, saga, chapter(saga, 2).pk, 5) == 204
    assert not Reading.objects.exists()
    response = client.post(f"/works/{saga.pk}/chapters/{chapter(saga, 2).pk}/read", follow=True)
    assert "Your reading history is off" in response.content.decode()
    assert not ChapterRead.objects.exists()


def test_places_are_refused_for_works_and_chapters_the_reader_may_not_see(
    alice: User, carol: User, carol_client: Client, saga: Work
) -> None:
    draft = post_work(alice, "Unposted", draft=True)
    assert keep(carol_client, draft, chapter(draft, 1).pk, 1) == 404
    other = post_work(alice, "Other")
    assert keep(carol_client, saga, chapter(other, 1).pk, 1) == 404, "not a chapter of this work"
    hidden = works.add_chapter(alice, saga, works.ChapterDetails(body="<p>Later.</p>"), draft=True)
    assert keep(carol_client, saga, hidden.pk, 1) == 404, "a draft chapter"
    assert keep(carol_client, saga, chapter(saga, 1).pk, -1) == 400
    assert keep(carol_client, saga, chapter(saga, 1).pk, 10**9) == 400
    bad = carol_client.post(f"/works/{saga.pk}/place", {"chapter": "1; DROP TABLE", "paragraph": 1})
    assert bad.status_code == 400
    guest = Client().post(
        f"/works/{saga.pk}/place", {"chapter": chapter(saga, 1).pk, "paragraph": 3}
    )
    assert guest.status_code == 302 and "/login" in guest["Location"]
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(carol)
    assert keep(forged, saga, chapter(saga, 1).pk, 3) == 403
    assert not Reading.objects.exists()


def test_a_late_history_flush_does_not_move_a_newer_place_back(
    carol: User, carol_client: Client, saga: Work
) -> None:
    earlier = timezone.now() - timedelta(minutes=5)
    keep(carol_client, saga, chapter(saga, 3).pk, 12)
    record_readings([(carol.pk, saga.pk, chapter(saga, 1).pk, earlier)])
    reading = Reading.objects.get(user=carol)
    assert (reading.chapter_id, reading.paragraph) == (chapter(saga, 3).pk, 12)
    record_readings([(carol.pk, saga.pk, chapter(saga, 3).pk, timezone.now())])
    reading.refresh_from_db()
    assert (reading.chapter_id, reading.paragraph) == (chapter(saga, 3).pk, 12), "same chapter"
    record_readings([(carol.pk, saga.pk, chapter(saga, 4).pk, timezone.now())])
    reading.refresh_from_db()
    assert (reading.chapter_id, reading.paragraph) == (chapter(saga, 4).pk, 0), "opened later"


def test_clearing_history_forgets_places_and_read_chapters(
    carol: User, carol_client: Client, saga: Work
) -> None:
    keep(carol_client, saga, chapter(saga, 2).pk, 40, finished="on")
    actions.clear_history(carol)
    assert place_in(carol, saga) is None
    assert not ChapterRead.objects.exists()
