"""Comments: posting, threads, editing, deleting, moderating, and who may comment where."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.accounts.actions import block_user, mute_user
from ficarchive.social import actions
from ficarchive.social.models import Comment, InboxItem, WorkStats
from ficarchive.works import actions as work_actions
from tests.conftest import logged_in, post_work


def comment_count(work) -> int:
    stats = WorkStats.objects.filter(work=work).first()
    return stats.comments if stats else 0


def say(client: Client, work, text: str, **extra) -> object:
    data = {"text": text, "body_format": "plain", **extra}
    return client.post(f"/works/{work.pk}/comments", data, follow=True)


def test_reader_comments_and_sees_it_on_the_work_page(carol_client: Client, work):
    response = say(carol_client, work, "What a lovely lighthouse.")
    page = response.content.decode()
    assert "Your comment is posted." in page
    assert "What a lovely lighthouse." in page
    assert comment_count(work) == 1


def test_comment_text_is_sanitized(carol_client: Client, work):
    say(carol_client, work, "<b>Bold</b> <script>alert(1)</script>", body_format="html")
    comment = Comment.objects.get()
    assert comment.body == "<p><b>Bold</b> </p>"
    page = carol_client.get(f"/works/{work.pk}").content.decode()
    assert "alert(1)" not in page


def test_plain_text_comment_keeps_markup_as_text(carol_client: Client, work):
    say(carol_client, work, "I <3 this & <em>that</em>")
    assert Comment.objects.get().body == "<p>I &lt;3 this &amp; &lt;em&gt;that&lt;/em&gt;</p>"


def test_empty_comment_is_refused_naming_the_field(carol_client: Client, work):
    response = carol_client.post(f"/works/{work.pk}/comments", {"text": "", "body_format": "plain"})
    assert response.status_code == 400
    assert "Write something to post a comment." in response.content.decode()
    response = say(carol_client, work, "<script>x</script>", body_format="html")
    assert "The comment is empty" in response.content.decode()
    assert Comment.objects.count() == 0


def test_comment_on_a_chapter_shows_on_that_chapter_only(carol_client: Client, alice):
    work = post_work(alice, chapters=["<p>One.</p>", "<p>Two.</p>"])
    first, second = work.posted_chapters()
    say(carol_client, work, "About chapter two.", chapter=second.pk)
    assert Comment.objects.get().chapter == second
    assert "About chapter two." in carol_client.get(second.get_absolute_url()).content.decode()
    assert "About chapter two." not in carol_client.get(first.get_absolute_url()).content.decode()
    whole = carol_client.get(f"/works/{work.pk}?view_full_work=true").content.decode()
    assert "About chapter two." in whole
    assert "on Chapter 2" in whole


def test_reply_is_threaded_and_reaches_both_inboxes(alice, bob, carol, work):
    top = actions.post_comment(carol, work, "Top comment.")
    reply = logged_in(bob).post(
        f"/comments/{top.pk}/reply", {"text": "A reply.", "body_format": "plain"}, follow=True
    )
    page = reply.content.decode()
    assert "Your reply is posted." in page
    assert page.index("Top comment.") < page.index('<ol class="replies">') < page.index("A reply.")
    posted = Comment.objects.get(parent=top)
    assert posted.thread == top
    assert InboxItem.objects.filter(user=carol, kind="reply", comment=posted).exists()
    assert InboxItem.objects.filter(user=alice, kind="comment", comment=posted).exists()
    assert InboxItem.objects.filter(user=alice, kind="comment", comment=top).exists()
    carol.refresh_from_db()
    assert carol.unread_inbox == 1


def test_reply_form_page_shows_the_comment(carol, carol_client: Client, work):
    top = actions.post_comment(carol, work, "Top comment.")
    page = carol_client.get(f"/comments/{top.pk}/reply").content.decode()
    assert "Top comment." in page
    assert "Post reply" in page


def test_commenter_edits_their_comment(carol, carol_client: Client, work):
    comment = actions.post_comment(carol, work, "Frist.")
    response = carol_client.post(
        f"/comments/{comment.pk}/edit", {"text": "First!", "body_format": "plain"}, follow=True
    )
    assert "First!" in response.content.decode()
    assert "(edited)" in response.content.decode()


def test_others_cannot_edit_a_comment(carol, alice_client: Client, work):
    comment = actions.post_comment(carol, work, "Mine.")
    response = alice_client.post(
        f"/comments/{comment.pk}/edit", {"text": "Changed", "body_format": "plain"}
    )
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.body == "<p>Mine.</p>"


def test_commenter_deletes_a_comment_without_replies(carol, carol_client: Client, work):
    comment = actions.post_comment(carol, work, "Oops.")
    assert carol_client.get(f"/comments/{comment.pk}/delete").status_code == 200
    carol_client.post(f"/comments/{comment.pk}/delete")
    assert not Comment.objects.exists()
    assert comment_count(work) == 0


def test_deleted_comment_with_replies_stays_as_a_placeholder(alice, carol, work, client):
    top = actions.post_comment(carol, work, "Top.")
    actions.post_comment(alice, work, "Thanks!", parent=top)
    logged_in(carol).post(f"/comments/{top.pk}/delete")
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "(This comment was deleted.)" in page
    assert "Thanks!" in page
    assert "Top." not in page
    assert comment_count(work) == 1


def test_creator_deletes_a_readers_comment_but_another_reader_cannot(
    bob, carol, alice_client: Client, work
):
    comment = actions.post_comment(carol, work, "Rude.")
    assert logged_in(bob).post(f"/comments/{comment.pk}/delete").status_code == 403
    assert Comment.objects.exists()
    alice_client.post(f"/comments/{comment.pk}/delete")
    assert not Comment.objects.exists()


def test_creator_hides_a_comment_from_readers(carol, alice_client: Client, client, work):
    comment = actions.post_comment(carol, work, "Spoilers!")
    alice_client.post(f"/comments/{comment.pk}/hide")
    assert "Spoilers!" not in client.get(f"/works/{work.pk}").content.decode()
    assert "Hidden by the creators" in alice_client.get(f"/works/{work.pk}").content.decode()
    assert comment_count(work) == 0
    assert client.get(f"/comments/{comment.pk}").status_code == 404
    alice_client.post(f"/comments/{comment.pk}/unhide")
    assert "Spoilers!" in client.get(f"/works/{work.pk}").content.decode()
    assert comment_count(work) == 1


def test_readers_cannot_moderate(carol, bob, work):
    comment = actions.post_comment(carol, work, "Hello.")
    for verb in ("hide", "freeze", "approve"):
        assert logged_in(bob).post(f"/comments/{comment.pk}/{verb}").status_code == 403
    comment.refresh_from_db()
    assert not comment.is_hidden and not comment.is_frozen


def test_moderation_verbs_answer_get_with_405_and_unknown_verbs_404(carol, alice_client, work):
    comment = actions.post_comment(carol, work, "Hello.")
    assert alice_client.get(f"/comments/{comment.pk}/hide").status_code == 405
    assert alice_client.post(f"/comments/{comment.pk}/explode").status_code == 404


def test_nobody_may_comment_when_comments_are_off(alice, carol_client: Client, client):
    work = post_work(alice, comment_policy="none")
    assert say(carol_client, work, "Hi").status_code == 403
    assert say(client, work, "Hi", guest_name="G", guest_email="g@example.org").status_code == 403
    page = carol_client.get(f"/works/{work.pk}").content.decode()
    assert "Comments are turned off on this work." in page
    assert "Post comment" not in page
    assert not Comment.objects.exists()


def test_guests_may_not_comment_on_works_for_registered_commenters(alice, client, carol_client):
    work = post_work(alice, comment_policy="registered")
    response = say(client, work, "Hi", guest_name="G", guest_email="g@example.org")
    assert response.status_code == 403
    assert "Only registered users may comment" in client.get(f"/works/{work.pk}").content.decode()
    assert say(carol_client, work, "Hi").status_code == 200
    assert Comment.objects.count() == 1


def test_moderated_comments_wait_for_approval(alice, carol, carol_client, alice_client, client):
    work = post_work(alice, moderate_comments=True)
    response = say(carol_client, work, "Please approve me.")
    assert "Your comment waits for the creators" in response.content.decode()
    assert "Please approve me." not in client.get(f"/works/{work.pk}").content.decode()
    assert "Please approve me." in carol_client.get(f"/works/{work.pk}").content.decode()
    assert comment_count(work) == 0
    creator_page = alice_client.get(f"/works/{work.pk}").content.decode()
    assert "1 comment waits for your approval." in creator_page
    assert InboxItem.objects.filter(user=alice, kind="pending").exists()
    comment = Comment.objects.get()
    alice_client.post(f"/comments/{comment.pk}/approve")
    assert "Please approve me." in client.get(f"/works/{work.pk}").content.decode()
    assert comment_count(work) == 1


def test_frozen_thread_takes_no_replies_or_edits(alice, carol, work, carol_client):
    top = actions.post_comment(carol, work, "Top.")
    reply = actions.post_comment(alice, work, "Reply.", parent=top)
    logged_in(alice).post(f"/comments/{top.pk}/freeze")
    reply.refresh_from_db()
    assert reply.is_frozen
    response = carol_client.post(
        f"/comments/{reply.pk}/reply", {"text": "More", "body_format": "plain"}
    )
    assert response.status_code == 403
    response = carol_client.post(
        f"/comments/{top.pk}/edit", {"text": "Changed", "body_format": "plain"}
    )
    assert response.status_code == 403
    assert Comment.objects.count() == 2


def test_guest_comments_with_name_and_email(client: Client, work):
    response = say(client, work, "Lovely!", guest_name="Wanderer", guest_email="w@example.org")
    page = response.content.decode()
    assert "Wanderer" in page
    assert "(guest)" in page
    assert "w@example.org" not in page


def test_guest_comment_needs_name_and_email(client: Client, work):
    response = client.post(
        f"/works/{work.pk}/comments", {"text": "Hi", "body_format": "plain", "guest_email": "x"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="comment_guest_name"' in page
    assert "This field is required." in page
    assert "Enter a valid email address." in page
    assert not Comment.objects.exists()


def test_guest_comment_with_the_honeypot_filled_is_refused(client: Client, work):
    response = say(
        client, work, "Buy now", guest_name="Bot", guest_email="b@example.org", website="spam"
    )
    assert response.status_code == 400
    assert "Your comment could not be posted." in response.content.decode()
    assert not Comment.objects.exists()


def test_guest_comments_are_rate_limited_per_address(client: Client, work, settings):
    settings.GUEST_COMMENT_LIMIT = 3
    guest = {"guest_name": "G", "guest_email": "g@example.org"}
    for number in range(3):
        assert say(client, work, f"Comment {number}", **guest).status_code == 200
    response = say(client, work, "One too many", **guest)
    assert response.status_code == 400
    assert "please wait a few minutes" in response.content.decode()
    assert Comment.objects.count() == 3
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert say(other, work, "Another address", **guest).status_code == 200


def test_blocked_user_cannot_comment_on_the_blockers_work(alice, mallory, mallory_client, work):
    block_user(alice, mallory)
    assert say(mallory_client, work, "Hello").status_code == 403
    page = mallory_client.get(f"/works/{work.pk}").content.decode()
    assert "You cannot comment on this work." in page
    assert not Comment.objects.exists()


def test_blocked_user_cannot_reply_to_the_blockers_comments(alice, bob, carol, mallory, work):
    other = post_work(bob, "Bob's Work")
    top = actions.post_comment(carol, other, "Carol's comment.")
    block_user(carol, mallory)
    response = logged_in(mallory).post(
        f"/comments/{top.pk}/reply", {"text": "Hi", "body_format": "plain"}
    )
    assert response.status_code == 403
    assert Comment.objects.count() == 1


def test_muted_users_comments_are_hidden_from_the_muter(carol, mallory, work, carol_client):
    actions.post_comment(mallory, work, "Mallory was here.")
    mute_user(carol, mallory)
    assert "Mallory was here." not in carol_client.get(f"/works/{work.pk}").content.decode()
    assert "Mallory was here." in Client().get(f"/works/{work.pk}").content.decode()


def test_comment_without_csrf_token_is_refused(carol, work):
    client = Client(enforce_csrf_checks=True)
    client.force_login(carol)
    response = client.post(f"/works/{work.pk}/comments", {"text": "x", "body_format": "plain"})
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_posting_a_comment_answers_get_with_405(carol_client: Client, work):
    assert carol_client.get(f"/works/{work.pk}/comments").status_code == 405


def test_comments_on_unseen_works_are_not_found(alice, carol, carol_client, client):
    work = post_work(alice, restricted=True)
    comment = actions.post_comment(carol, work, "Members only.")
    assert client.get(f"/comments/{comment.pk}").status_code == 404
    assert say(client, work, "x", guest_name="G", guest_email="g@example.org").status_code == 404
    work_actions.hide_work(logged_in_admin(), work)
    assert carol_client.get(f"/comments/{comment.pk}").status_code == 404


def logged_in_admin():
    from tests.conftest import make_user

    return make_user("admin1", staff=True)


def test_htmx_comment_answers_with_the_comments_section(carol_client: Client, work):
    response = carol_client.post(
        f"/works/{work.pk}/comments",
        {"text": "Smooth.", "body_format": "plain"},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<section class="comments" id="comments"')
    assert "Smooth." in page
    assert '<dl class="stats work-stats" id="work-stats" hx-swap-oob="true">' in page
    assert "<dt>Comments:</dt><dd>1</dd>" in page, "the count above the comments moves too"


def test_comment_without_javascript_lands_on_the_new_count(carol_client: Client, work):
    response = carol_client.post(
        f"/works/{work.pk}/comments", {"text": "Plain.", "body_format": "plain"}, follow=True
    )
    page = response.content.decode()
    assert "Your comment is posted." in page
    assert "<dt>Comments:</dt><dd>1</dd>" in page


def test_htmx_comment_refused_by_validation_comes_back_with_the_error(carol_client: Client, work):
    response = carol_client.post(
        f"/works/{work.pk}/comments",
        {"text": "<script>x</script>", "body_format": "html"},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200, "htmx swaps in only successful answers"
    assert page.lstrip().startswith('<section class="comments" id="comments"')
    assert "The comment is empty" in page
    assert "&lt;script&gt;x&lt;/script&gt;</textarea>" in page, "the text stays, escaped"
    assert not Comment.objects.exists()


def test_edit_and_delete_need_login(carol, client: Client, work):
    comment = actions.post_comment(carol, work, "Mine.")
    for url in (f"/comments/{comment.pk}/edit", f"/comments/{comment.pk}/delete"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response["Location"]


@pytest.mark.parametrize("count", [3, 15])
def test_work_page_with_comments_runs_a_fixed_number_of_queries(
    count, alice, bob, carol, carol_client, django_assert_max_num_queries, settings
):
    settings.COMMENT_LIMIT = 100  # volume, not the new-account comment limit
    work = post_work(alice)
    for number in range(count):
        top = actions.post_comment(carol, work, f"Comment {number}.")
        actions.post_comment(bob, work, f"Reply {number}.", parent=top)
    with django_assert_max_num_queries(21):  # 19, and the reader's place and read chapters
        response = carol_client.get(f"/works/{work.pk}")
    assert f"Reply {count - 1}." in response.content.decode()
