"""A work the spam check holds is decided in the spam queue, not unhidden from the work page:
an unhide would show it with its check still waiting and its subscribers never told."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from ficarchive.accounts.models import User
from ficarchive.moderation.actions import content
from ficarchive.moderation.models import SpamCheck, SpamState
from ficarchive.works import actions as works
from ficarchive.works.models import Work
from tests.conftest import logged_in, post_work


@pytest.fixture
def held_work(alice: User, settings: Any) -> Work:
    settings.SPAM_BASE_POINTS = 2.0  # everything alice posts now scores high
    work = post_work(alice, "Buy followers", summary="<p>https://followers.example.com</p>")
    settings.SPAM_BASE_POINTS = 0.0
    assert work.is_hidden and SpamCheck.objects.get().state == SpamState.HELD
    return work


def test_unhiding_a_held_work_is_refused_and_sends_to_the_spam_queue(
    held_work: Work, ada: User
) -> None:
    with pytest.raises(ValidationError, match="spam queue"):
        content.unhide_work(ada, held_work)
    held_work.refresh_from_db()
    assert held_work.is_hidden
    assert SpamCheck.objects.get().state == SpamState.HELD


def test_the_work_pages_unhide_form_refuses_a_held_work(held_work: Work, ada: User) -> None:
    answer = logged_in(ada).post(f"/works/{held_work.pk}/hide", {"reason": ""})
    assert answer.status_code == 400
    assert "spam queue" in answer.content.decode()
    held_work.refresh_from_db()
    assert held_work.is_hidden


def test_a_work_a_moderator_hid_is_still_unhidden(alice: User, ada: User) -> None:
    work = post_work(alice, "Plain")
    content.hide_work(ada, work, "Copied text")
    content.unhide_work(ada, work)
    work.refresh_from_db()
    assert not work.is_hidden


def test_a_held_work_cannot_be_changed_until_it_is_decided(held_work: Work, alice: User) -> None:
    """ "Not spam" releases what the spam check saw, not what was written in after."""
    chapter = held_work.chapters.get()
    refusals = [
        lambda: works.update_work(alice, held_work, works.WorkDetails(title="Read my shop")),
        lambda: works.add_chapter(alice, held_work, works.ChapterDetails(body="<p>More</p>")),
        lambda: works.update_chapter(alice, chapter, works.ChapterDetails(body="<p>Shop</p>")),
    ]
    for change in refusals:
        with pytest.raises(ValidationError, match="waits for the moderators' review"):
            change()
    held_work.refresh_from_db()
    assert held_work.title == "Buy followers"
    assert held_work.chapters.count() == 1
    assert "Shop" not in held_work.chapters.get().body


def test_a_held_works_banner_sends_moderators_to_the_spam_queue(held_work: Work, ada: User) -> None:
    page = logged_in(ada).get(f"/works/{held_work.pk}").content.decode()
    assert 'href="/moderation/spam"' in page
    assert f'href="/works/{held_work.pk}/hide"' not in page
