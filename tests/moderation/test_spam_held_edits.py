"""A held comment cannot be changed while it waits: the spam queue shows the text that was
checked, and "not spam" would otherwise show a text no moderator read."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from ficarchive.accounts.models import User
from ficarchive.moderation.models import SpamCheck, SpamState
from ficarchive.social import actions
from ficarchive.works.models import Work
from tests.conftest import logged_in

SPAM = "Best replica watches, cheap: https://watches.example.com/buy"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = IMMEDIATE


def test_a_held_comment_cannot_be_edited_while_it_waits(carol: User, work: Work) -> None:
    comment = actions.post_comment(carol, work, SPAM)
    assert comment.is_held
    with pytest.raises(ValidationError, match="waits for review"):
        actions.edit_comment(carol, comment, "Buy now at casino.example.net", "plain")
    comment.refresh_from_db()
    assert "watches.example.com" in comment.body
    assert SpamCheck.objects.filter(state=SpamState.HELD).count() == 1


def test_the_edit_page_says_so(carol: User, work: Work) -> None:
    comment = actions.post_comment(carol, work, SPAM)
    answer = logged_in(carol).post(
        f"/comments/{comment.pk}/edit", {"text": "Changed.", "body_format": "plain"}
    )
    assert answer.status_code == 400
    assert "waits for review" in answer.content.decode()


def test_a_held_pseud_text_cannot_be_changed_while_it_waits(carol: User) -> None:
    from ficarchive.accounts.actions import update_pseud

    pseud = carol.default_pseud
    update_pseud(carol, pseud, pseud.name, "Cheap essays https://essays.example.net/order")
    pseud.refresh_from_db()
    assert pseud.description_hidden
    with pytest.raises(ValidationError, match="waits for review"):
        update_pseud(carol, pseud, pseud.name, "Now something else entirely.")
    update_pseud(carol, pseud, "Carol R", pseud.description)  # the name still changes
    pseud.refresh_from_db()
    assert pseud.name == "Carol R" and "essays.example.net" in pseud.description
