"""What the spam check holds says "waiting for review" to its owner, not "hidden by the
moderators": a moderator's hiding and the spam check's holding read differently."""

from __future__ import annotations

from typing import Any

import pytest

from ficarchive.accounts.actions import update_pseud
from ficarchive.accounts.models import User
from tests.conftest import logged_in, post_work

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SPAM_TEXT = "Cheap essays https://essays.example.net/order"


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = IMMEDIATE


def test_a_work_held_by_the_spam_check_tells_its_creator_it_waits_for_review(
    alice: User, settings: Any
) -> None:
    settings.SPAM_BASE_POINTS = 2.0
    work = post_work(alice, "Buy followers", summary="<p>https://followers.example.com</p>")
    assert work.is_hidden
    page = logged_in(alice).get(f"/works/{work.pk}").content.decode()
    assert "Waiting for review: the archive's spam check" in page
    assert "hidden by an archive admin" not in page


def test_a_work_hidden_by_a_moderator_still_says_so(alice: User) -> None:
    from ficarchive.works.models import Work

    work = post_work(alice, "Plain")
    Work.objects.filter(pk=work.pk).update(is_hidden=True, hidden_reason="Plagiarism")
    page = logged_in(alice).get(f"/works/{work.pk}").content.decode()
    assert "hidden by an archive admin: Plagiarism" in page


@pytest.mark.parametrize("page", ["pseud", "pseuds"])
def test_a_pseud_text_held_by_the_spam_check_tells_its_owner_it_waits_for_review(
    carol: User, page: str
) -> None:
    pseud = carol.default_pseud
    update_pseud(carol, pseud, pseud.name, SPAM_TEXT)
    pseud.refresh_from_db()
    assert pseud.description_hidden
    url = pseud.get_absolute_url() if page == "pseud" else f"/users/{carol.username}/pseuds"
    shown = logged_in(carol).get(url).content.decode()
    assert "Waiting for review" in shown and "essays.example.net" in shown
    assert "Hidden by the moderators" not in shown


def test_a_pseud_text_hidden_by_a_moderator_says_so_to_its_owner(carol: User) -> None:
    from ficarchive.accounts.models import Pseud

    pseud = carol.default_pseud
    Pseud.objects.filter(pk=pseud.pk).update(description="Rude words", description_hidden=True)
    shown = logged_in(carol).get(pseud.get_absolute_url()).content.decode()
    assert "Hidden by the moderators" in shown and "Waiting for review" not in shown
