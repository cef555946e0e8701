"""What the spam check holds stays away from readers until a moderator releases it.

A held comment: its author sees it "waiting for review"; nobody else does (not the work's
creators either), on the work page, the comment's own page, the API, counts and inboxes.
A held work is hidden (left out of listings and search), and its subscribers hear of it only
once it is released. A held pseud text is shown to its owner only.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.test import Client

from ficarchive.accounts.actions import update_pseud
from ficarchive.accounts.models import User
from ficarchive.moderation.models import Role, SpamCheck, SpamState
from ficarchive.moderation.spam import checking
from ficarchive.social import actions
from ficarchive.social.models import Comment, CommentStatus, InboxItem, WorkStats
from ficarchive.works.models import Work
from tests.api.conftest import API, bearer, token_for
from tests.conftest import logged_in, make_user, post_work

SPAM = "Best replica watches, cheap: https://watches.example.com/buy"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = IMMEDIATE


def comment_count(work: Work) -> int:
    stats = WorkStats.objects.filter(work=work).first()
    return stats.comments if stats else 0


def say(client: Client, work: Work, text: str) -> Any:
    data = {"text": text, "body_format": "plain"}
    return client.post(f"/works/{work.pk}/comments", data, follow=True)


def test_a_normal_comment_from_a_new_account_is_posted(carol_client: Client, work: Work) -> None:
    page = say(carol_client, work, "What a lovely lighthouse.").content.decode()
    assert "Your comment is posted." in page
    assert SpamCheck.objects.get(target_kind="comment").state == SpamState.PASSED


def test_a_spam_comment_from_a_new_account_is_held_and_its_author_sees_it_waiting(
    carol_client: Client, work: Work
) -> None:
    page = say(carol_client, work, SPAM).content.decode()
    assert "Your comment is waiting for review" in page
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.HELD
    own_page = carol_client.get(f"/works/{work.pk}").content.decode()
    assert "watches.example.com" in own_page and "Waiting for review" in own_page
    assert carol_client.get(f"/comments/{comment.pk}").status_code == 200


def test_a_held_comment_is_never_shown_to_readers_or_the_creators(
    carol: User, alice: User, bob: User, work: Work
) -> None:
    actions.subscribe(bob, work=work)
    held = actions.post_comment(carol, work, SPAM)
    assert held.status == CommentStatus.HELD
    for client in (Client(), logged_in(bob), logged_in(alice)):
        assert "watches.example.com" not in client.get(f"/works/{work.pk}").content.decode()
        assert client.get(f"/comments/{held.pk}").status_code == 404
        listed = client.get(f"{API}/works/{work.pk}/comments").json()["items"]
        assert listed == []
    alice_api = bearer(token_for(alice))
    assert alice_api.get(f"{API}/works/{work.pk}/comments").json()["items"] == []
    assert comment_count(work) == 0
    assert not InboxItem.objects.filter(comment=held).exists()
    alice.refresh_from_db()
    assert alice.unread_inbox == 0
    assert "watches.example.com" not in logged_in(alice).get("/inbox").content.decode()
    assert "watches.example.com" not in Client().get(f"/works/{work.pk}/feed.atom").content.decode()


def test_the_api_says_a_held_comment_is_held_and_shows_it_to_its_author_only(
    carol: User, work: Work
) -> None:
    carol_api = bearer(token_for(carol))
    posted = carol_api.post(
        f"{API}/works/{work.pk}/comments", {"text": SPAM}, content_type="application/json"
    )
    assert posted.status_code == 201 and posted.json()["status"] == "held"
    own = carol_api.get(f"{API}/works/{work.pk}/comments").json()["items"]
    assert [item["status"] for item in own] == ["held"]
    assert Client().get(f"{API}/works/{work.pk}/comments").json()["items"] == []


def test_nobody_may_reply_to_a_held_comment(carol: User, bob: User, work: Work) -> None:
    held = actions.post_comment(carol, work, SPAM)
    with pytest.raises(PermissionDenied, match="cannot reply"):
        actions.post_comment(bob, work, "Hm?", parent=held)


def test_a_held_reply_does_not_reach_the_commenter_replied_to(
    carol: User, bob: User, work: Work
) -> None:
    top = actions.post_comment(bob, work, "Such a good story.")
    actions.post_comment(carol, work, SPAM, parent=top)
    assert not InboxItem.objects.filter(user=bob).exists()


def test_a_held_work_is_hidden_and_its_subscribers_wait(
    alice: User, carol: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    actions.subscribe(carol, creator=alice)
    settings.SPAM_BASE_POINTS = 2.0  # everything alice posts now scores high
    with django_capture_on_commit_callbacks(execute=True):
        work = post_work(alice, "Buy followers", summary="<p>https://followers.example.com</p>")
    assert work.is_hidden and work.hidden_reason == "Waiting for review"
    assert not InboxItem.objects.filter(user=carol).exists()
    assert not Work.objects.listed_for(carol).filter(pk=work.pk).exists()
    assert Client().get(f"/works/{work.pk}").status_code == 404
    banner = logged_in(alice).get(f"/works/{work.pk}").content.decode()
    assert "Waiting for review" in banner
    check = SpamCheck.objects.get(target_kind=checking.WORK, target_id=work.pk)
    assert check.state == SpamState.HELD and "Buy followers" in check.text


def test_a_posted_draft_is_checked_when_it_is_posted(alice: User, settings: Any) -> None:
    from ficarchive.works.actions import post_draft_work

    draft = post_work(alice, "Later", draft=True)
    assert not SpamCheck.objects.filter(target_kind=checking.WORK).exists()
    settings.SPAM_BASE_POINTS = 2.0
    post_draft_work(alice, draft)
    draft.refresh_from_db()
    assert draft.is_hidden
    assert SpamCheck.objects.get(target_kind=checking.WORK).state == SpamState.HELD


def test_a_held_pseud_text_is_shown_to_its_owner_only(carol: User) -> None:
    pseud = carol.default_pseud
    update_pseud(carol, pseud, pseud.name, "Cheap essays https://essays.example.net/order")
    pseud.refresh_from_db()
    assert pseud.description_hidden
    url = pseud.get_absolute_url()
    assert "essays.example.net" not in Client().get(url).content.decode()
    assert "essays.example.net" in logged_in(carol).get(url).content.decode()


def test_a_plain_pseud_text_is_shown(carol: User) -> None:
    pseud = carol.default_pseud
    update_pseud(carol, pseud, pseud.name, "I write about lighthouses.")
    pseud.refresh_from_db()
    assert not pseud.description_hidden
    assert "about lighthouses" in Client().get(pseud.get_absolute_url()).content.decode()


def test_an_edit_that_adds_spam_holds_the_comment_again(
    carol: User, alice: User, work: Work
) -> None:
    comment = actions.post_comment(carol, work, "What a lovely lighthouse story.")
    assert comment_count(work) == 1
    actions.edit_comment(carol, comment, SPAM, "plain")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HELD
    assert comment_count(work) == 0
    assert "watches.example.com" not in Client().get(f"/works/{work.pk}").content.decode()
    assert "watches.example.com" in logged_in(carol).get(f"/works/{work.pk}").content.decode()


def test_releasing_an_edited_comment_does_not_announce_it_twice(
    carol: User, alice: User, work: Work
) -> None:
    from ficarchive.moderation.actions.spam import mark_not_spam

    polly = make_user("polly")
    polly.groups.add(Group.objects.get(name=Role.POLICY_ABUSE))
    comment = actions.post_comment(carol, work, "What a lovely lighthouse story.")
    actions.edit_comment(carol, comment, SPAM, "plain")
    mark_not_spam(polly, SpamCheck.objects.get(state=SpamState.HELD))
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED and comment_count(work) == 1
    assert InboxItem.objects.filter(user=alice, comment=comment).count() == 1
