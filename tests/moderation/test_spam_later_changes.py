"""Spam can come after a work's first post: an edit of its title, summary or notes, a new
chapter, or an edited chapter of a posted work is checked too. What the check holds hides the
work, waiting for review; its subscribers hear of a held chapter only once it is released, and
never twice of the work."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.moderation.actions.spam import mark_not_spam
from ficarchive.moderation.models import Role, SpamCheck, SpamState
from ficarchive.moderation.spam import checking
from ficarchive.social import actions as social
from ficarchive.social.models import InboxItem, InboxKind
from ficarchive.tags.models import GENERAL, NO_WARNINGS
from ficarchive.works import actions
from ficarchive.works.models import Work
from tests.conftest import logged_in, post_work
from tests.moderation.holders import holder

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SPAM_LINK = "<p>Cheap followers and likes: https://followers.example.com/buy</p>"


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = IMMEDIATE


@pytest.fixture
def shown(alice: User, carol: User, django_capture_on_commit_callbacks: Any) -> Work:
    """A posted work that passed the check, with Carol subscribed to it."""
    with django_capture_on_commit_callbacks(execute=True):
        work = post_work(alice, "Lighthouse", chapters=["<p>The lamp turned.</p>"])
    social.subscribe(carol, work=work)
    assert not work.is_hidden
    return work


def details(work: Work, **changed: Any) -> actions.WorkDetails:
    given: dict[str, Any] = {
        "title": work.title,
        "rating": GENERAL,
        "warnings": [NO_WARNINGS],
        "fandoms": ["Original Work"],
        "summary": work.summary,
        "expected_chapters": None,
        **changed,
    }
    return actions.WorkDetails(**given)


def work_checks(work: Work) -> list[str]:
    rows = SpamCheck.objects.filter(target_kind=checking.WORK, target_id=work.pk)
    return list(rows.order_by("pk").values_list("state", flat=True))


def everything_scores_high(settings: Any) -> None:
    settings.SPAM_BASE_POINTS = 2.0


def test_an_edit_that_adds_spam_to_the_summary_holds_the_work(
    alice: User, shown: Work, settings: Any
) -> None:
    everything_scores_high(settings)
    actions.update_work(alice, shown, details(shown, summary=SPAM_LINK))
    shown.refresh_from_db()
    assert shown.is_held
    assert work_checks(shown) == [SpamState.PASSED, SpamState.HELD]
    assert Client().get(f"/works/{shown.pk}").status_code == 404
    assert "Waiting for review" in logged_in(alice).get(f"/works/{shown.pk}").content.decode()
    held = SpamCheck.objects.get(state=SpamState.HELD)
    assert "followers.example.com" in held.text


def test_an_edit_that_leaves_the_text_as_it_was_is_not_checked_again(
    alice: User, shown: Work, settings: Any
) -> None:
    everything_scores_high(settings)
    actions.update_work(alice, shown, details(shown, freeforms=["Fluff"]))
    shown.refresh_from_db()
    assert not shown.is_hidden
    assert work_checks(shown) == [SpamState.PASSED]


def test_a_new_chapter_with_spam_holds_the_work_and_its_subscribers_wait(
    alice: User, carol: User, shown: Work, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    everything_scores_high(settings)
    with django_capture_on_commit_callbacks(execute=True):
        chapter = actions.add_chapter(alice, shown, actions.ChapterDetails(body=SPAM_LINK))
    shown.refresh_from_db()
    assert shown.is_held
    assert not InboxItem.objects.filter(user=carol).exists()
    assert "followers.example.com" in SpamCheck.objects.get(state=SpamState.HELD).text

    settings.SPAM_BASE_POINTS = -2.0
    polly = holder(Role.POLICY_ABUSE)
    with django_capture_on_commit_callbacks(execute=True):
        mark_not_spam(polly, SpamCheck.objects.get(state=SpamState.HELD))
    shown.refresh_from_db()
    assert not shown.is_hidden
    told = InboxItem.objects.filter(user=carol)
    assert list(told.values_list("kind", "chapter_id")) == [(InboxKind.CHAPTER, chapter.pk)]


def test_releasing_a_work_never_shown_still_announces_the_work(
    alice: User, carol: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    social.subscribe(carol, creator=alice)
    everything_scores_high(settings)
    with django_capture_on_commit_callbacks(execute=True):
        work = post_work(alice, "Buy followers", summary=SPAM_LINK)
    assert work.is_held
    with django_capture_on_commit_callbacks(execute=True):
        mark_not_spam(holder(Role.POLICY_ABUSE), SpamCheck.objects.get(state=SpamState.HELD))
    told = InboxItem.objects.filter(user=carol)
    assert list(told.values_list("kind", "work_id")) == [(InboxKind.WORK, work.pk)]


def test_a_chapter_edit_that_adds_spam_holds_the_work(
    alice: User, shown: Work, settings: Any
) -> None:
    chapter = shown.chapters.get()
    everything_scores_high(settings)
    actions.update_chapter(alice, chapter, actions.ChapterDetails(body=SPAM_LINK))
    shown.refresh_from_db()
    assert shown.is_held
    assert work_checks(shown) == [SpamState.PASSED, SpamState.HELD]


def test_a_draft_chapter_is_checked_when_it_is_posted_not_before(
    alice: User, shown: Work, settings: Any
) -> None:
    everything_scores_high(settings)
    draft = actions.add_chapter(alice, shown, actions.ChapterDetails(body=SPAM_LINK), draft=True)
    actions.update_chapter(alice, draft, actions.ChapterDetails(body=SPAM_LINK + "<p>.</p>"))
    assert work_checks(shown) == [SpamState.PASSED]
    actions.post_chapter(alice, draft)
    shown.refresh_from_db()
    assert shown.is_held and work_checks(shown) == [SpamState.PASSED, SpamState.HELD]


def test_a_held_work_takes_no_new_chapter_until_it_is_decided(
    alice: User, shown: Work, settings: Any
) -> None:
    draft = actions.add_chapter(
        alice, shown, actions.ChapterDetails(body="<p>Later.</p>"), draft=True
    )
    everything_scores_high(settings)
    actions.update_work(alice, shown, details(shown, summary=SPAM_LINK))
    shown.refresh_from_db()
    for change in (
        lambda: actions.post_chapter(alice, draft),
        lambda: actions.add_chapter(alice, shown, actions.ChapterDetails(body="<p>More.</p>")),
    ):
        with pytest.raises(ValidationError, match="waits for the moderators"):
            change()
    draft.refresh_from_db()
    assert draft.is_draft and shown.chapters.count() == 2


def test_the_edit_page_shows_the_work_waiting(alice: User, shown: Work, settings: Any) -> None:
    everything_scores_high(settings)
    client = logged_in(alice)
    page = client.get(f"/works/{shown.pk}/edit")
    assert page.status_code == 200
    actions.update_work(alice, shown, details(shown, summary=SPAM_LINK))
    assert "Waiting for review" in client.get(f"/works/{shown.pk}").content.decode()
    assert not Work.objects.listed_for(AnonymousUser()).filter(pk=shown.pk).exists()


def test_an_author_moving_a_story_in_posts_many_chapters_in_a_minute(
    alice: User, shown: Work, settings: Any
) -> None:
    settings.SPAM_BURST_POSTS = 2  # what would be a burst of comments
    for number in range(6):
        body = f"<p>Chapter {number}: the keeper climbed the stairs again, lamp in hand.</p>"
        actions.add_chapter(alice, shown, actions.ChapterDetails(body=body))
    shown.refresh_from_db()
    assert not shown.is_hidden
    codes = [r["code"] for check in SpamCheck.objects.all() for r in check.reasons]
    assert "burst" not in codes
