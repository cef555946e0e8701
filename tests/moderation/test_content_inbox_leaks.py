"""A comment the moderators hid, or the spam check held after an edit, does not show its text
in the inbox of the reader it replied to (it already is gone from the work's pages)."""

from __future__ import annotations

from typing import Any

import pytest

from ficarchive.accounts.models import User
from ficarchive.moderation.actions.content import set_comment_hidden
from ficarchive.social import actions
from ficarchive.works.models import Work
from tests.conftest import logged_in

SPAM = "Best replica watches, cheap: https://watches.example.com/buy"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = IMMEDIATE


def bobs_inbox(bob: User) -> str:
    return logged_in(bob).get("/inbox").content.decode()


def test_a_hidden_reply_leaves_the_inbox_of_the_reader_replied_to(
    alice: User, bob: User, carol: User, ada: User, work: Work
) -> None:
    top = actions.post_comment(bob, work, "Such a good story.")
    reply = actions.post_comment(carol, work, "You have awful taste, bob.", parent=top)
    assert "awful taste" in bobs_inbox(bob)
    set_comment_hidden(ada, reply, True, "Harassment")
    page = bobs_inbox(bob)
    assert "awful taste" not in page
    assert "This comment is hidden" in page


def test_a_reply_held_after_an_edit_shows_no_spam_in_the_inbox(
    alice: User, bob: User, carol: User, work: Work
) -> None:
    top = actions.post_comment(bob, work, "Such a good story.")
    reply = actions.post_comment(carol, work, "I agree, the lighthouse is lovely.", parent=top)
    actions.edit_comment(carol, reply, SPAM, "plain")
    reply.refresh_from_db()
    assert reply.is_held
    assert "watches.example.com" not in bobs_inbox(bob)
    assert "watches.example.com" not in logged_in(alice).get("/inbox").content.decode()


def test_the_creators_still_read_a_comment_they_must_approve(bob: User, alice: User) -> None:
    from tests.conftest import post_work

    work = post_work(alice, "Moderated")
    Work.objects.filter(pk=work.pk).update(moderate_comments=True)
    work.refresh_from_db()
    actions.post_comment(bob, work, "Waiting for your approval, alice.")
    assert "Waiting for your approval" in logged_in(alice).get("/inbox").content.decode()
