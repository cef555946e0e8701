"""The inbox: what reached a user, unread counts in the navigation, marking, deleting, replying."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.accounts.actions import mute_user
from ficarchive.social import actions
from ficarchive.social.models import Comment, InboxItem
from ficarchive.works import actions as work_actions
from tests.conftest import logged_in, post_work


def test_comment_on_your_work_shows_in_your_inbox_with_an_unread_count(alice, carol, work):
    actions.post_comment(carol, work, "Loved the ending.")
    client = logged_in(alice)
    page = client.get("/").content.decode()
    assert 'Inbox <span class="badge unread">1' in page
    inbox = client.get("/inbox").content.decode()
    assert "Comment on your work:" in inbox
    assert "Loved the ending." in inbox
    assert "carol on" in inbox


def test_comments_and_replies_of_a_muted_account_stay_out_of_the_inbox(alice, carol, mallory, work):
    mute_user(alice, mallory)
    mute_user(carol, mallory)
    mine = actions.post_comment(carol, work, "Carol's comment.")
    actions.post_comment(mallory, work, "Mallory on the work.")
    actions.post_comment(mallory, work, "Mallory replies.", parent=mine)
    assert not InboxItem.objects.filter(actor=mallory).exists()
    assert "Mallory" not in logged_in(alice).get("/inbox").content.decode()
    alice.refresh_from_db()
    assert alice.unread_inbox == 1, "only Carol's comment"


def test_mark_read_unread_and_delete(alice, carol, work):
    first = actions.post_comment(carol, work, "One.")
    actions.post_comment(carol, work, "Two.")
    items = list(InboxItem.objects.filter(user=alice).order_by("pk"))
    client = logged_in(alice)
    client.post("/inbox/update", {"items": [items[0].pk], "action": "read"})
    alice.refresh_from_db()
    assert alice.unread_inbox == 1
    unread = client.get("/inbox?filter=unread").content.decode()
    assert "Two." in unread and "One." not in unread
    client.post("/inbox/update", {"items": [items[0].pk], "action": "unread"})
    alice.refresh_from_db()
    assert alice.unread_inbox == 2
    client.post("/inbox/update", {"items": [i.pk for i in items], "action": "delete"})
    assert not InboxItem.objects.filter(user=alice).exists()
    assert Comment.objects.filter(pk=first.pk).exists(), "deleting a message keeps the comment"
    alice.refresh_from_db()
    assert alice.unread_inbox == 0


def test_nobody_reads_or_changes_someone_elses_inbox(alice, bob, carol, work):
    actions.post_comment(carol, work, "For Alice only.")
    item = InboxItem.objects.get(user=alice)
    bob_client = logged_in(bob)
    assert "For Alice only." not in bob_client.get("/inbox").content.decode()
    response = bob_client.post(
        "/inbox/update", {"items": [item.pk], "action": "delete"}, follow=True
    )
    assert "Choose at least one message" in response.content.decode()
    assert InboxItem.objects.filter(pk=item.pk, is_read=False).exists()


def test_inbox_needs_login_and_csrf(alice, carol, client, work):
    response = client.get("/inbox")
    assert response.status_code == 302 and "/login" in response["Location"]
    actions.post_comment(carol, work, "Hi.")
    item = InboxItem.objects.get(user=alice)
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(alice)
    assert forged.post("/inbox/update", {"items": [item.pk], "action": "read"}).status_code == 403
    assert logged_in(alice).get("/inbox/update").status_code == 405
    item.refresh_from_db()
    assert not item.is_read


def test_creator_replies_from_the_inbox(alice, carol, work):
    comment = actions.post_comment(carol, work, "Will there be more?")
    client = logged_in(alice)
    assert f'action="/comments/{comment.pk}/reply"' in client.get("/inbox").content.decode()
    response = client.post(
        f"/comments/{comment.pk}/reply",
        {"text": "Yes, next week!", "body_format": "plain", "next": "inbox"},
    )
    assert response["Location"] == "/inbox"
    reply = Comment.objects.get(parent=comment)
    assert reply.user == alice
    assert InboxItem.objects.filter(user=carol, kind="reply", comment=reply).exists()


def test_cocreator_invitation_reaches_the_inbox(
    alice, bob, work, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        work_actions.invite_cocreator(alice, work, bob.default_pseud)
    page = logged_in(bob).get("/inbox").content.decode()
    assert "alice invites you to co-create “The Lighthouse Keeper”" in page
    assert 'href="/invitations"' in page


def test_items_of_a_deleted_work_leave_the_inbox_and_the_count(alice, carol):
    work = post_work(alice)
    actions.post_comment(carol, work, "Hi.")
    work_actions.delete_work(alice, work)
    client = logged_in(alice)
    assert "Your inbox is empty." in client.get("/inbox").content.decode()
    assert 'class="badge unread"' not in client.get("/").content.decode()


@pytest.mark.parametrize("count", [3, 15])
def test_inbox_runs_a_fixed_number_of_queries(
    count, alice, carol, django_assert_max_num_queries, settings
):
    settings.COMMENT_LIMIT = 100  # volume, not the new-account comment limit
    work = post_work(alice, chapters=["<p>One.</p>", "<p>Two.</p>"])
    chapter = work.posted_chapters().last()
    for number in range(count):
        actions.post_comment(carol, work, f"Comment {number}.", chapter=chapter)
    client = logged_in(alice)
    with django_assert_max_num_queries(6):
        response = client.get("/inbox")
    assert f"Comment {count - 1}." in response.content.decode()
