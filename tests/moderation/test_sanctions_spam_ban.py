"""A spam-ban hides everything the account made in one transaction; an unban shows exactly that
again; a ban ends the account's sessions and revokes its API and feed tokens."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from ficarchive.accounts.actions import update_pseud
from ficarchive.accounts.models import User
from ficarchive.api.actions import create_access_token
from ficarchive.api.models import AccessToken
from ficarchive.exporting.actions import create_feed_token
from ficarchive.exporting.models import FeedToken
from ficarchive.moderation.actions import sanctions
from ficarchive.moderation.models import AuditEntry, Role, Sanction
from ficarchive.social import actions as social
from ficarchive.social.models import Bookmark, Comment, WorkStats
from ficarchive.works import actions as works
from ficarchive.works.models import Work
from tests.conftest import PASSWORD, found_titles, logged_in, post_work
from tests.moderation.holders import holder


@pytest.fixture
def polly(db: Any) -> User:
    return holder(Role.POLICY_ABUSE)


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


@pytest.fixture
def spammer_made(mallory: User, alice: User) -> dict[str, Any]:
    """Mallory posted two works (one already hidden by a moderator for another reason), two
    comments (one already hidden by the work's creator) and a public bookmark of Alice's work,
    and wrote a pseud text; Alice's work stays hers."""
    honest = post_work(alice, "Honest Work")
    spam1 = post_work(mallory, "Cheap Pills")
    spam2 = post_work(mallory, "Cheap Watches")
    works.hide_work(holder(Role.POLICY_ABUSE, "other_mod"), spam2, "Plagiarism.")
    shown = social.post_comment(mallory, honest, "Buy pills at example.com")
    hidden = social.post_comment(mallory, honest, "Buy watches at example.com")
    social.set_comment_hidden(alice, hidden, True)
    bookmark = social.save_bookmark(mallory, social.BookmarkDetails(notes="pills"), work=honest)
    update_pseud(mallory, mallory.default_pseud, "mallory", "Visit example.com for pills")
    return {
        "honest": honest,
        "spam1": spam1,
        "spam2": spam2,
        "shown": shown,
        "hidden": hidden,
        "bookmark": bookmark,
    }


def test_a_spam_ban_hides_everything_the_account_made(
    polly: User, mallory: User, spammer_made: dict[str, Any]
) -> None:
    honest = spammer_made["honest"]
    assert WorkStats.objects.get(work=honest).comments == 1
    sanctions.spam_ban(polly, mallory, "Spam account.")
    assert not fresh(mallory).is_active
    assert Work.objects.get(pk=spammer_made["spam1"].pk).is_hidden
    assert Comment.objects.get(pk=spammer_made["shown"].pk).is_hidden
    assert Bookmark.objects.get(pk=spammer_made["bookmark"].pk).is_hidden
    assert fresh(mallory).default_pseud.description_hidden
    assert found_titles("") == ["Honest Work"]
    stats = WorkStats.objects.get(work=honest)
    assert (stats.comments, stats.bookmarks) == (0, 0)
    entry = AuditEntry.objects.get(verb="spam_ban_user")
    assert entry.after["hidden"] == {
        "works": [spammer_made["spam1"].pk],
        "comments": [spammer_made["shown"].pk],
        "bookmarks": [spammer_made["bookmark"].pk],
        "pseuds": [mallory.default_pseud.pk],
    }
    assert not Work.objects.get(pk=honest.pk).is_hidden


def test_an_unban_shows_exactly_what_the_spam_ban_hid(
    polly: User, mallory: User, spammer_made: dict[str, Any]
) -> None:
    sanctions.spam_ban(polly, mallory, "Spam account.")
    sanctions.unban(polly, fresh(mallory), "A person after all.")
    assert fresh(mallory).is_active
    assert not Work.objects.get(pk=spammer_made["spam1"].pk).is_hidden
    assert Work.objects.get(pk=spammer_made["spam2"].pk).is_hidden  # hidden for plagiarism
    assert Work.objects.get(pk=spammer_made["spam2"].pk).hidden_reason == "Plagiarism."
    assert not Comment.objects.get(pk=spammer_made["shown"].pk).is_hidden
    assert Comment.objects.get(pk=spammer_made["hidden"].pk).is_hidden  # hidden by Alice
    assert not Bookmark.objects.get(pk=spammer_made["bookmark"].pk).is_hidden
    assert not fresh(mallory).default_pseud.description_hidden
    assert found_titles("") == ["Cheap Pills", "Honest Work"]
    stats = WorkStats.objects.get(work=spammer_made["honest"])
    assert (stats.comments, stats.bookmarks) == (1, 1)
    unban = AuditEntry.objects.get(verb="unban_user")
    assert unban.undoes == AuditEntry.objects.get(verb="spam_ban_user")


def test_an_unban_leaves_hidden_a_work_a_moderator_hid_again_since(
    polly: User, mallory: User, spammer_made: dict[str, Any]
) -> None:
    sanctions.spam_ban(polly, mallory, "Spam account.")
    spam1 = Work.objects.get(pk=spammer_made["spam1"].pk)
    works.unhide_work(polly, spam1)
    works.hide_work(polly, spam1, "Copied from another archive.")
    sanctions.unban(polly, fresh(mallory), "A person after all.")
    spam1.refresh_from_db()
    assert spam1.is_hidden and spam1.hidden_reason == "Copied from another archive."
    assert not Comment.objects.get(pk=spammer_made["shown"].pk).is_hidden


def test_an_unban_leaves_a_comment_as_a_moderator_left_it_since(
    polly: User, mallory: User, spammer_made: dict[str, Any]
) -> None:
    from ficarchive.moderation.actions import content

    sanctions.spam_ban(polly, mallory, "Spam account.")
    shown = Comment.objects.get(pk=spammer_made["shown"].pk)
    content.set_comment_hidden(polly, shown, False)
    content.set_comment_hidden(polly, shown, True, "Harassment, reported since.")
    sanctions.unban(polly, fresh(mallory), "A person after all.")
    assert Comment.objects.get(pk=shown.pk).is_hidden
    assert not Bookmark.objects.get(pk=spammer_made["bookmark"].pk).is_hidden
    unban = AuditEntry.objects.get(verb="unban_user")
    assert unban.after["shown"]["comments"] == []
    assert unban.after["shown"]["bookmarks"] == [spammer_made["bookmark"].pk]


def test_an_unbanned_user_reads_in_the_inbox_that_the_account_is_restored(
    polly: User, mallory: User, spammer_made: dict[str, Any]
) -> None:
    sanctions.spam_ban(polly, mallory, "Spam account.")
    sanctions.unban(polly, fresh(mallory), "A person after all.")
    inbox = logged_in(fresh(mallory)).get("/inbox").content.decode()
    assert "Your account is restored" in inbox
    assert "What the ban hid is shown again. A person after all." in inbox


def test_a_spam_ban_is_one_transaction(
    polly: User, mallory: User, spammer_made: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure at the last step (hiding the pseud texts) leaves the account as it was: active,
    its works, comments and bookmarks shown, no sanction and no audit entry."""

    def fails(user: User) -> list[int]:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(sanctions.accounts, "hide_pseud_texts_of", fails)
    with pytest.raises(RuntimeError):
        sanctions.spam_ban(polly, mallory, "Spam account.")
    assert fresh(mallory).is_active
    assert not Work.objects.get(pk=spammer_made["spam1"].pk).is_hidden
    assert not Comment.objects.get(pk=spammer_made["shown"].pk).is_hidden
    assert not Bookmark.objects.get(pk=spammer_made["bookmark"].pk).is_hidden
    assert AccessToken.objects.filter(revoked_at__isnull=False).count() == 0
    assert not Sanction.objects.exists()
    assert not AuditEntry.objects.filter(verb="spam_ban_user").exists()
    assert found_titles("") == ["Cheap Pills", "Honest Work"]


def test_a_spam_ban_after_a_plain_ban_hides_and_one_unban_lifts_both(
    polly: User, mallory: User, spammer_made: dict[str, Any]
) -> None:
    sanctions.ban(polly, mallory, "Threats.")
    sanctions.spam_ban(polly, fresh(mallory), "And spam.")
    assert Work.objects.get(pk=spammer_made["spam1"].pk).is_hidden
    sanctions.unban(polly, fresh(mallory))
    assert fresh(mallory).is_active
    assert not Work.objects.get(pk=spammer_made["spam1"].pk).is_hidden
    assert not Sanction.objects.filter(lifted_at__isnull=True).exists()


def test_a_ban_ends_every_session_of_the_account_and_no_other(
    polly: User, mallory: User, bob: User, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    phone, laptop, bobs = Client(), Client(), Client()
    assert phone.login(username="mallory", password=PASSWORD)
    assert laptop.login(username="mallory", password=PASSWORD)
    assert bobs.login(username="bob", password=PASSWORD)
    assert Session.objects.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        sanctions.ban(polly, mallory, "Threats.")
    assert Session.objects.count() == 1
    for client in (phone, laptop):
        page = client.get("/inbox")
        assert page.status_code == 302 and "/login" in page["Location"]
    assert bobs.get("/inbox").status_code == 200
    sanctions.unban(polly, fresh(mallory))
    assert phone.get("/inbox").status_code == 302  # an unban brings no old session back


def test_a_banned_account_cannot_log_in(polly: User, mallory: User) -> None:
    sanctions.ban(polly, mallory, "Threats.")
    assert not Client().login(username="mallory", password=PASSWORD)
    page = Client().post("/login", {"username": "mallory", "password": PASSWORD})
    assert page.status_code == 400 and "_auth_user_id" not in page.client.session


def test_a_ban_revokes_the_accounts_api_and_feed_tokens(polly: User, mallory: User) -> None:
    _, key = create_access_token(mallory, "app", "write")
    feed = create_feed_token(mallory)
    headers = {"Authorization": f"Bearer {key}"}
    assert Client().get("/api/v1/me", headers=headers).status_code == 200
    assert Client().get(f"/opds/token/{feed.token}/mine").status_code == 200
    sanctions.ban(polly, mallory, "Threats.")
    assert AccessToken.objects.get().revoked_at is not None
    assert FeedToken.objects.get().revoked_at is not None
    assert Client().get("/api/v1/me", headers=headers).status_code == 401
    assert Client().get(f"/opds/token/{feed.token}/mine").status_code in (401, 403, 404)
    entry = AuditEntry.objects.get(verb="ban_user")
    assert entry.after["revoked"]["access_tokens"] == [AccessToken.objects.get().pk]
    sanctions.unban(polly, fresh(mallory))
    assert Client().get("/api/v1/me", headers=headers).status_code == 401  # stays revoked


def test_a_suspended_user_still_logs_in_and_reads(polly: User, alice: User, work: Work) -> None:
    from datetime import timedelta

    from django.utils import timezone

    sanctions.suspend(polly, alice, timezone.now() + timedelta(days=2), "Cool off.")
    client = Client()
    assert client.login(username="alice", password=PASSWORD)
    assert client.get(work.get_absolute_url()).status_code == 200
    assert logged_in(fresh(alice)).get("/inbox").status_code == 200
