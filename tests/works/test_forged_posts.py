"""Every write that a logged-in author or reader can make is refused without a CSRF token, and
a refused post changes nothing. (Posting, editing and deleting a work, adding a chapter, hiding,
inviting and accepting have their own forged-post tests beside their views.)"""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from ficarchive.accounts.actions import create_pseud
from ficarchive.accounts.models import Pseud, User
from ficarchive.works import actions
from ficarchive.works.models import Chapter, Creatorship, Series, SeriesPart, Work
from tests.conftest import post_work


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Everything these posts could change, in a comparable form."""
    models = {"work": Work, "chapter": Chapter, "creatorship": Creatorship, "series": Series,
              "part": SeriesPart, "pseud": Pseud}  # fmt: skip
    return {name: list(model.objects.order_by("pk").values()) for name, model in models.items()}


@pytest.fixture
def archive(alice: User, bob: User) -> dict[str, Any]:
    work = post_work(alice, chapters=["<p>One.</p>", "<p>Two.</p>"])
    draft_chapter = actions.add_chapter(
        alice, work, actions.ChapterDetails(body="<p>Three.</p>"), draft=True
    )
    series = actions.create_series(alice, "The Keeper Cycle")
    part = actions.add_work_to_series(alice, work, series)
    return {
        "work": work,
        "one": work.chapters.get(position=1),
        "two": work.chapters.get(position=2),
        "draft_chapter": draft_chapter,
        "draft_work": post_work(alice, "Unfinished", draft=True),
        "part": part,
        "invitation": actions.invite_cocreator(alice, work, bob.default_pseud),
        "pseud": create_pseud(alice, "Lamplighter"),
    }


def forged_posts(a: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """Name: (who posts, where, what) for each write."""
    work, one, two = a["work"], a["one"], a["two"]
    chapter_form = {"title": "Forged", "body_format": "html", "body": "<p>Forged.</p>"}
    return {
        "edit a chapter": ("alice", reverse("works:chapter_edit", args=[work.pk, one.pk]),
                           chapter_form),
        "delete a chapter": ("alice", reverse("works:chapter_delete", args=[work.pk, two.pk]), {}),
        "post a draft chapter": (
            "alice", reverse("works:chapter_post", args=[work.pk, a["draft_chapter"].pk]), {}),
        "reorder chapters": ("alice", reverse("works:chapter_order", args=[work.pk]),
                             {f"position_{one.pk}": "2", f"position_{two.pk}": "1",
                              f"position_{a['draft_chapter'].pk}": "3"}),
        "post a draft work": ("alice", reverse("works:post_draft", args=[a["draft_work"].pk]), {}),
        "withdraw an invitation": ("alice", reverse("works:creators", args=[work.pk]),
                                   {"pick": a["invitation"].pk}),
        "decline an invitation": (
            "bob", reverse("works:answer_invitation", args=[a["invitation"].pk, "decline"]), {}),
        "create a series": ("alice", reverse("works:series_new"), {"title": "Forged"}),
        "take a work out of a series": ("alice", reverse("works:series_add", args=[work.pk]),
                                        {"pick": a["part"].pk}),
        "rename a pseud": ("alice", reverse("accounts:pseud_edit", args=[a["pseud"].pk]),
                           {"name": "Forged", "description": ""}),
    }  # fmt: skip


WRITES = [
    "edit a chapter",
    "delete a chapter",
    "post a draft chapter",
    "reorder chapters",
    "post a draft work",
    "withdraw an invitation",
    "decline an invitation",
    "create a series",
    "take a work out of a series",
    "rename a pseud",
]


@pytest.mark.parametrize("write", WRITES)
def test_a_forged_post_without_csrf_token_is_refused_and_changes_nothing(
    write, archive, alice, bob
):
    who, url, data = forged_posts(archive)[write]
    assert set(WRITES) == set(forged_posts(archive))
    client = Client(enforce_csrf_checks=True)
    client.force_login({"alice": alice, "bob": bob}[who])
    before = snapshot()
    assert client.post(url, data).status_code == 403
    assert snapshot() == before


def test_a_forged_log_out_leaves_the_reader_logged_in(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(reverse("accounts:logout")).status_code == 403
    assert client.get(reverse("works:drafts")).status_code == 200


def test_a_forged_password_reset_sends_no_mail(client: Client, alice):
    forger = Client(enforce_csrf_checks=True)
    response = forger.post(reverse("accounts:password_reset"), {"email": alice.email})
    assert response.status_code == 403
    assert mail.outbox == []


@pytest.mark.parametrize("write", WRITES)
def test_the_same_post_from_the_archives_own_form_goes_through(write, archive, alice, bob):
    """So that the refusal above is the missing token's doing, not a bad request's."""
    who, url, data = forged_posts(archive)[write]
    client = Client()
    client.force_login({"alice": alice, "bob": bob}[who])
    before = snapshot()
    assert client.post(url, data).status_code == 302
    assert snapshot() != before
