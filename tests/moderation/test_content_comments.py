"""Moderators hide, delete and freeze any comment site-wide, and hide bookmarks: each audited,
each refused to those without `hide_content`, hiding and freezing undoable."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ficarchive.moderation import undo
from ficarchive.moderation.actions import content
from ficarchive.moderation.models import AuditEntry
from ficarchive.social import actions as social
from ficarchive.social.models import Bookmark, Comment, WorkStats
from tests.conftest import post_work
from tests.moderation.content_helpers import REFUSED, entries, polly, refused_user


@pytest.fixture
def thread(alice, bob, carol):
    """Carol's comment on Alice's work, with Bob's reply under it."""
    work = post_work(alice, "Harbour Lights")
    top = social.post_comment(carol, work, "Buy cheap pills at example.com")
    reply = social.post_comment(bob, work, "Please stop.", parent=top)
    return {"work": work, "top": top, "reply": reply}


def public_ids(work) -> list[int]:
    return list(Comment.objects.filter(work=work).public().values_list("pk", flat=True))


def fresh(comment: Comment) -> Comment:
    return Comment.objects.get(pk=comment.pk)


def comments_counted(work) -> int:
    return WorkStats.objects.get(work=work).comments


def test_a_moderator_hides_any_comment_and_the_entry_names_the_commenter(thread, carol):
    top = thread["top"]
    entry = content.set_comment_hidden(polly(), top, True, "Spam.")
    top.refresh_from_db()
    assert top.is_hidden
    assert top.pk not in public_ids(thread["work"])
    assert comments_counted(thread["work"]) == 1
    assert (entry.verb, entry.subject, entry.target_kind, entry.reason) == (
        "hide_comment",
        carol,
        "comment",
        "Spam.",
    )
    assert "carol" in entry.target_label and "Harbour Lights" in entry.target_label


def test_hiding_a_comment_needs_a_reason(thread):
    with pytest.raises(ValidationError):
        content.set_comment_hidden(polly(), thread["top"], True, "")
    assert thread["top"].pk in public_ids(thread["work"])


def test_undoing_a_comment_hide_shows_it_again(thread):
    moderator = polly()
    entry = content.set_comment_hidden(moderator, thread["top"], True, "Spam.")
    undone = undo.undo(moderator, entry)
    assert thread["top"].pk in public_ids(thread["work"])
    assert comments_counted(thread["work"]) == 2
    assert (undone.verb, undone.undoes) == ("unhide_comment", entry)


def test_a_moderator_deletes_any_comment_and_the_entry_keeps_its_text(thread, carol):
    moderator = polly()
    top, reply = thread["top"], thread["reply"]
    entry = content.delete_comment(moderator, reply, "Harassment.")
    assert not Comment.objects.filter(pk=reply.pk).exists()
    assert (entry.verb, entry.before["text"], entry.before["commenter"]) == (
        "delete_comment",
        "Please stop.",
        "bob",
    )
    content.delete_comment(moderator, top, "Spam.")  # no replies left: gone for good
    assert not Comment.objects.filter(pk=top.pk).exists()
    assert comments_counted(thread["work"]) == 0
    assert not undo.can_be_undone(entry)


def test_a_deleted_comment_with_replies_stays_as_a_placeholder(thread):
    content.delete_comment(polly(), thread["top"], "Spam.")
    top = Comment.objects.get(pk=thread["top"].pk)
    assert top.is_deleted and top.body == ""
    assert thread["reply"].pk in public_ids(thread["work"])
    assert entries("delete_comment")[0].before["text"] == "Buy cheap pills at example.com"


def test_a_moderator_freezes_a_thread_and_nobody_may_reply(thread, alice, bob):
    moderator = polly()
    entry = content.set_thread_frozen(moderator, thread["top"], True, "Flame war.")
    assert set(Comment.objects.filter(work=thread["work"]).values_list("is_frozen", flat=True)) == {
        True
    }
    assert entry.after == {"is_frozen": True, "comments": 2}
    with pytest.raises(PermissionDenied):
        social.post_comment(alice, thread["work"], "Calm down.", parent=fresh(thread["reply"]))
    undo.undo(moderator, entry)
    assert not Comment.objects.filter(work=thread["work"], is_frozen=True).exists()
    social.post_comment(alice, thread["work"], "Calm down.", parent=fresh(thread["reply"]))


def test_unfreezing_a_thread_that_is_not_frozen_is_refused(thread):
    with pytest.raises(ValidationError):
        content.set_thread_frozen(polly(), thread["top"], False)


@pytest.mark.parametrize("who", REFUSED)
def test_comment_actions_are_refused_without_the_permission(who, thread, alice, mallory):
    # Alice created the work; as moderators' actions, hers are refused too (her own tools on
    # her work's comments stay on the work page and write no audit entry).
    user = refused_user(who, reader=mallory, author=alice)
    top = thread["top"]
    for attempt in (
        lambda: content.set_comment_hidden(user, top, True, "x"),
        lambda: content.delete_comment(user, top, "x"),
        lambda: content.set_thread_frozen(user, top, True, "x"),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    top.refresh_from_db()
    assert not (top.is_hidden or top.is_deleted or top.is_frozen)
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("who", ["reader", "wrangler", "support"])
def test_social_comment_tools_stay_with_creators_and_moderators(who, thread, alice, mallory):
    user = refused_user(who, reader=mallory, author=alice)
    with pytest.raises(PermissionDenied):
        social.set_comment_hidden(user, thread["top"], True)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        social.freeze_thread(user, thread["top"], True)  # type: ignore[arg-type]


# --- bookmarks -----------------------------------------------------------------------------


@pytest.fixture
def bookmark(alice, mallory):
    work = post_work(alice, "Harbour Lights")
    return social.save_bookmark(
        mallory, social.BookmarkDetails(notes="Spam at example.com"), work=work
    )


def test_a_hidden_bookmark_shows_to_its_owner_only(bookmark, mallory, carol, alice):
    entry = content.set_bookmark_hidden(polly(), bookmark, True, "Spam notes.")
    assert (entry.verb, entry.subject) == ("hide_bookmark", mallory)
    assert bookmark.pk in Bookmark.objects.shown_to(mallory).values_list("pk", flat=True)
    for reader in (carol, alice):
        assert not Bookmark.objects.shown_to(reader).filter(pk=bookmark.pk).exists()
    assert WorkStats.objects.get(work=bookmark.work).bookmarks == 0


def test_undoing_a_bookmark_hide_shows_it_again(bookmark, carol):
    moderator = polly()
    undo.undo(moderator, content.set_bookmark_hidden(moderator, bookmark, True, "Spam."))
    assert Bookmark.objects.shown_to(carol).filter(pk=bookmark.pk).exists()
    assert WorkStats.objects.get(work=bookmark.work).bookmarks == 1


def test_an_owner_editing_a_hidden_bookmark_keeps_it_hidden(bookmark, mallory, carol):
    content.set_bookmark_hidden(polly(), bookmark, True, "Spam.")
    social.save_bookmark(mallory, social.BookmarkDetails(notes="Still spam"), work=bookmark.work)
    assert not Bookmark.objects.shown_to(carol).filter(pk=bookmark.pk).exists()
    assert WorkStats.objects.get(work=bookmark.work).bookmarks == 0


@pytest.mark.parametrize("who", REFUSED)
def test_hiding_bookmarks_is_refused_without_the_permission(who, bookmark, alice, carol):
    user = refused_user(who, reader=carol, author=alice)
    with pytest.raises(PermissionDenied):
        content.set_bookmark_hidden(user, bookmark, True, "x")
    with pytest.raises(PermissionDenied):
        social.set_bookmark_hidden(user, bookmark, True)  # type: ignore[arg-type]
    bookmark.refresh_from_db()
    assert not bookmark.is_hidden
