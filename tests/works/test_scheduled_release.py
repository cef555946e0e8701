"""Scheduled and silent release: drafts that post themselves at a set time, in order, once,
and chapters posted without telling anyone."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone

from ficarchive.accounts.models import User
from ficarchive.accounts.standing import AccountSuspended
from ficarchive.moderation.actions import change_switches, sanctions
from ficarchive.moderation.models import Role, SpamCheck
from ficarchive.social import actions as social
from ficarchive.social.models import InboxItem
from ficarchive.upkeep import run_upkeep
from ficarchive.works import actions
from ficarchive.works.models import Chapter, ScheduledRelease, Work
from tests.conftest import logged_in, make_user, post_work
from tests.moderation.holders import holder

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = IMMEDIATE


def hours(n: float) -> datetime:
    return timezone.now() + timedelta(hours=n)


def draft(author: User, title: str = "Tidewater", chapters: int = 1) -> Work:
    bodies = [f"<p>Part {n} of the tide came in.</p>" for n in range(1, chapters + 1)]
    return post_work(author, title, chapters=bodies, draft=True)


def draft_chapter(author: User, work: Work, body: str = "<p>The storm came.</p>") -> Chapter:
    return actions.add_chapter(author, work, actions.ChapterDetails(body=body), draft=True)


def test_a_scheduled_work_posts_itself_when_due_and_its_subscribers_hear_then(
    alice: User, carol: User, django_capture_on_commit_callbacks: Any
) -> None:
    social.subscribe(carol, creator=alice, email=False)
    work = draft(alice)
    actions.schedule_work(alice, work, hours(1))

    assert actions.post_due(hours(0.5)) == 0
    work.refresh_from_db()
    assert work.is_draft and not InboxItem.objects.filter(user=carol).exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert actions.post_due(hours(1.01)) == 1
    work.refresh_from_db()
    assert not work.is_draft and work.published_at is not None
    assert work.chapter_count == 1
    assert InboxItem.objects.filter(user=carol, kind="work", work=work).count() == 1
    assert not ScheduledRelease.objects.exists()
    assert actions.post_due(hours(2)) == 0, "nothing is left to post"


def test_what_fell_due_while_the_server_was_down_posts_on_start_in_the_order_it_was_due(
    alice: User,
) -> None:
    first, last = draft(alice, "First Light"), draft(alice, "Last Light")
    posted = post_work(alice, "Ongoing")
    middle = draft_chapter(alice, posted)
    actions.schedule_work(alice, last, hours(3))
    actions.schedule_work(alice, first, hours(1))
    actions.schedule_chapter(alice, middle, hours(2))

    assert run_upkeep()["scheduled_posted"] == 0, "the upkeep posts nothing before its time"
    assert actions.post_due(hours(4)) == 3
    first.refresh_from_db()
    middle.refresh_from_db()
    last.refresh_from_db()
    assert not first.is_draft and not middle.is_draft and not last.is_draft
    assert first.published_at < middle.published_at < last.published_at


def test_the_upkeep_posts_what_is_due(alice: User) -> None:
    work = draft(alice)
    actions.schedule_work(alice, work, hours(1))
    ScheduledRelease.objects.update(post_at=hours(-0.1))  # an hour went by
    assert run_upkeep()["scheduled_posted"] == 1
    work.refresh_from_db()
    assert not work.is_draft


def test_a_chapter_scheduled_later_than_its_work_stays_a_draft_until_its_own_time(
    alice: User, carol: User, django_capture_on_commit_callbacks: Any
) -> None:
    work = draft(alice, chapters=3)
    second, third = work.chapters.order_by("position")[1:]
    actions.schedule_work(alice, work, hours(1))
    actions.schedule_chapter(alice, third, hours(25))

    assert actions.post_due(hours(1.01)) == 1
    work.refresh_from_db()
    second.refresh_from_db()
    third.refresh_from_db()
    assert not work.is_draft and not second.is_draft and third.is_draft
    assert work.chapter_count == 2

    social.subscribe(carol, work=work, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.post_due(hours(25.01)) == 1
    third.refresh_from_db()
    work.refresh_from_db()
    assert not third.is_draft and work.chapter_count == 3
    assert InboxItem.objects.filter(user=carol, kind="chapter", chapter=third).count() == 1


def test_a_chapter_due_before_its_draft_work_waits_and_posts_with_the_work(alice: User) -> None:
    work = draft(alice, chapters=2)
    second = work.chapters.get(position=2)
    actions.schedule_chapter(alice, second, hours(1))
    assert actions.post_due(hours(2)) == 0
    second.refresh_from_db()
    assert second.is_draft and ScheduledRelease.objects.filter(chapter=second).exists()

    actions.schedule_work(alice, work, hours(3))
    assert actions.post_due(hours(4)) == 1
    second.refresh_from_db()
    assert not second.is_draft
    assert not ScheduledRelease.objects.exists(), "its schedule ended when it posted"


def test_posting_a_work_by_hand_leaves_its_chapters_scheduled_for_later(alice: User) -> None:
    work = draft(alice, chapters=2)
    second = work.chapters.get(position=2)
    actions.schedule_chapter(alice, second, hours(1))
    actions.post_draft_work(alice, work)
    work.refresh_from_db()
    second.refresh_from_db()
    assert not work.is_draft and work.chapter_count == 1 and second.is_draft
    assert actions.post_due(hours(1.01)) == 1
    second.refresh_from_db()
    assert not second.is_draft


def test_a_silent_chapter_tells_no_subscriber_and_keeps_the_updated_date(
    alice: User, carol: User, work: Work, django_capture_on_commit_callbacks: Any
) -> None:
    social.subscribe(carol, work=work, email=True)
    updated = work.updated_at
    with django_capture_on_commit_callbacks(execute=True):
        added = actions.add_chapter(
            alice, work, actions.ChapterDetails(body="<p>A fixed typo.</p>"), silent=True
        )
        later = draft_chapter(alice, work)
        actions.schedule_chapter(alice, later, hours(1), silent=True)
        assert actions.post_due(hours(1.01)) == 1
    work.refresh_from_db()
    added.refresh_from_db()
    later.refresh_from_db()
    assert not added.is_draft and not later.is_draft
    assert work.chapter_count == 3
    assert work.updated_at == updated
    assert not InboxItem.objects.filter(user=carol).exists()


def test_scheduling_refuses_past_times_posted_items_and_other_people(
    alice: User, bob: User, work: Work
) -> None:
    waiting = draft(alice)
    with pytest.raises(ValidationError) as refused:
        actions.schedule_work(alice, waiting, hours(-1))
    assert "has passed: choose a time to come." in refused.value.message_dict["post_at"][0]
    with pytest.raises(ValidationError) as refused:
        actions.schedule_work(alice, waiting, hours(24 * 365 * 3))
    assert refused.value.message_dict["post_at"] == ["Choose a time within the next two years."]
    with pytest.raises(ValidationError, match="already posted"):
        actions.schedule_work(alice, work, hours(1))
    with pytest.raises(ValidationError, match="already posted"):
        actions.schedule_chapter(alice, work.chapters.get(), hours(1))
    with pytest.raises(PermissionDenied):
        actions.schedule_work(bob, waiting, hours(1))
    release = actions.schedule_work(alice, waiting, hours(1))
    with pytest.raises(PermissionDenied):
        actions.cancel_release(bob, release)
    assert ScheduledRelease.objects.get().post_at == release.post_at


def test_a_second_schedule_changes_the_time_and_cancelling_keeps_the_draft(alice: User) -> None:
    work = draft(alice)
    actions.schedule_work(alice, work, hours(1))
    actions.schedule_work(alice, work, hours(5))
    release = ScheduledRelease.objects.get()
    assert abs((release.post_at - hours(5)).total_seconds()) < 60
    actions.cancel_release(alice, release)
    assert actions.post_due(hours(6)) == 0
    work.refresh_from_db()
    assert work.is_draft


def test_a_suspended_author_s_release_waits_until_the_suspension_ends(alice: User) -> None:
    work = draft(alice)
    actions.schedule_work(alice, work, hours(1))
    polly = holder(Role.POLICY_ABUSE)
    sanctions.suspend(polly, alice, hours(48), "Cool off.")
    alice.refresh_from_db()
    with pytest.raises(AccountSuspended):
        actions.schedule_work(alice, draft(alice, "Another"), hours(1))

    assert actions.post_due(hours(2)) == 0
    work.refresh_from_db()
    assert work.is_draft and ScheduledRelease.objects.filter(work=work).exists()

    sanctions.unsuspend(polly, alice)
    assert actions.post_due(hours(2)) == 1
    work.refresh_from_db()
    assert not work.is_draft


def test_a_scheduled_work_waits_while_new_works_are_switched_off(alice: User) -> None:
    work = draft(alice)
    actions.schedule_work(alice, work, hours(1))
    boss = make_user("boss", staff=True)
    boss.is_superuser = True
    boss.save()
    change_switches(boss, new_works=False)
    assert actions.post_due(hours(2)) == 0
    change_switches(boss, new_works=True)
    assert actions.post_due(hours(2)) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_post_each_due_item_exactly_once(carol: User) -> None:
    alice = make_user("alice")
    social.subscribe(carol, creator=alice, email=False)
    works = [draft(alice, f"Tide {n}") for n in range(3)]
    for n, work in enumerate(works):
        actions.schedule_work(alice, work, hours(1 + n / 60))
    ongoing = post_work(alice, "Ongoing")
    social.subscribe(carol, work=ongoing, email=False)
    for n in range(3):
        actions.schedule_chapter(alice, draft_chapter(alice, ongoing), hours(1.5 + n / 60))
    barrier = threading.Barrier(2)
    counts: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            counts.append(actions.post_due(hours(2)))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(counts) == 2 and sum(counts) == 6
    assert Work.objects.filter(is_draft=False).count() == 4
    assert Chapter.objects.filter(is_draft=False).count() == 7
    ongoing.refresh_from_db()
    assert ongoing.chapter_count == 4
    # one check of each posted work and chapter, and the ongoing work's first post
    assert SpamCheck.objects.filter(target_kind="work").count() == 7, "each checked once"
    told = InboxItem.objects.filter(user=carol)
    assert told.filter(kind="work", work__in=works).count() == 3, "each told once"
    assert told.filter(kind="chapter").count() == 3, "each told once"
    assert not ScheduledRelease.objects.exists()


# --- pages -------------------------------------------------------------------------------


def test_the_schedule_page_reads_the_time_in_the_author_s_time_zone(alice: User) -> None:
    alice.time_zone = "America/New_York"
    alice.save()
    client = logged_in(alice)
    work = draft(alice)
    page = client.get(f"/works/{work.pk}/schedule").content.decode()
    assert 'type="datetime-local"' in page
    assert "In your time zone, America/New_York." in page

    year = timezone.now().year + 1
    response = client.post(f"/works/{work.pk}/schedule", {"post_at": f"{year}-01-15T09:00"})
    assert response.status_code == 302 and response["Location"] == "/drafts"
    release = ScheduledRelease.objects.get(work=work)
    assert release.post_at == datetime(year, 1, 15, 14, 0, tzinfo=UTC)

    drafts = client.get("/drafts").content.decode()
    assert f"Posts on 15 Jan {year}, 09:00" in drafts
    assert f'href="/works/{work.pk}/schedule">Change or cancel</a>' in drafts
    work_page = client.get(f"/works/{work.pk}").content.decode()
    assert f"It posts itself on 15 Jan {year}, 09:00" in work_page


def test_the_schedule_page_names_a_past_time_and_changes_nothing(alice: User) -> None:
    client = logged_in(alice)
    work = draft(alice)
    response = client.post(f"/works/{work.pk}/schedule", {"post_at": "2020-03-01T10:00"})
    assert response.status_code == 400
    assert "1 Mar 2020, 10:00 has passed: choose a time to come." in response.content.decode()
    response = client.post(f"/works/{work.pk}/schedule", {"post_at": "next tuesday"})
    assert response.status_code == 400
    assert "Enter a valid date/time." in response.content.decode()
    assert not ScheduledRelease.objects.exists()


def test_a_chapter_is_scheduled_silently_and_cancelled_from_the_pages(
    alice: User, work: Work
) -> None:
    client = logged_in(alice)
    chapter = draft_chapter(alice, work)
    drafts = client.get("/drafts").content.decode()
    assert f'href="/works/{work.pk}/chapters/{chapter.pk}/schedule">Schedule</a>' in drafts
    year = timezone.now().year + 1
    client.post(
        f"/works/{work.pk}/chapters/{chapter.pk}/schedule",
        {"post_at": f"{year}-06-01T18:30", "silent": "on"},
    )
    release = ScheduledRelease.objects.get(chapter=chapter)
    assert release.silent
    assert f"Posts silently on 1 Jun {year}, 18:30" in client.get("/drafts").content.decode()

    response = client.post(f"/works/{work.pk}/schedules/{release.pk}/cancel", follow=True)
    assert "Schedule cancelled: it stays a draft." in response.content.decode()
    assert not ScheduledRelease.objects.exists()
    chapter.refresh_from_db()
    assert chapter.is_draft


def test_other_readers_cannot_see_or_change_a_schedule(alice: User, bob: User) -> None:
    work = draft(alice)
    release = actions.schedule_work(alice, work, hours(1))
    bob_client = logged_in(bob)
    assert bob_client.get(f"/works/{work.pk}/schedule").status_code == 404
    assert (
        bob_client.post(
            f"/works/{work.pk}/schedule", {"post_at": f"{timezone.now().year + 1}-01-01T00:00"}
        ).status_code
        == 404
    )
    assert bob_client.post(f"/works/{work.pk}/schedules/{release.pk}/cancel").status_code == 404
    assert Client().get(f"/works/{work.pk}/schedule").status_code == 302  # to log in
    assert ScheduledRelease.objects.get().post_at == release.post_at


def test_a_forged_cancel_of_another_work_s_schedule_is_refused(alice: User, bob: User) -> None:
    mine = draft(bob, "Bob's")
    theirs = actions.schedule_work(alice, draft(alice), hours(1))
    response = logged_in(bob).post(f"/works/{mine.pk}/schedules/{theirs.pk}/cancel")
    assert response.status_code == 404
    assert ScheduledRelease.objects.filter(pk=theirs.pk).exists()


def test_a_new_chapter_posted_silently_from_its_form_tells_nobody(
    alice: User, carol: User, work: Work, django_capture_on_commit_callbacks: Any
) -> None:
    social.subscribe(carol, work=work, email=False)
    client = logged_in(alice)
    form = client.get(f"/works/{work.pk}/chapters/new").content.decode()
    assert 'name="silent"' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/works/{work.pk}/chapters/new",
            {
                "body": "<p>Back-filled.</p>",
                "body_format": "html",
                "action": "post",
                "silent": "on",
            },
        )
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.chapter_count == 2
    assert not InboxItem.objects.filter(user=carol).exists()


def test_a_draft_chapter_is_posted_silently_from_the_drafts_page(
    alice: User, carol: User, work: Work, django_capture_on_commit_callbacks: Any
) -> None:
    social.subscribe(carol, work=work, email=False)
    chapter = draft_chapter(alice, work)
    client = logged_in(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/works/{work.pk}/chapters/{chapter.pk}/post-silently", follow=True)
    assert "Chapter posted silently: no one was told." in response.content.decode()
    chapter.refresh_from_db()
    assert not chapter.is_draft
    assert not InboxItem.objects.filter(user=carol).exists()


def test_drafts_never_expire(alice: User) -> None:
    work = draft(alice)
    Work.objects.filter(pk=work.pk).update(created_at=hours(-24 * 800))
    run_upkeep()
    assert Work.objects.filter(pk=work.pk, is_draft=True).exists()
    assert "Drafts never expire." in logged_in(alice).get("/drafts").content.decode()
