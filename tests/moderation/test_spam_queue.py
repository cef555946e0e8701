"""The spam queue: who may see it, and what "spam", "spam & ban" and "not spam" do."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from ficarchive.accounts.actions import update_pseud
from ficarchive.accounts.models import User
from ficarchive.moderation.actions import spam as spam_actions
from ficarchive.moderation.models import AuditEntry, Role, SpamCheck, SpamState
from ficarchive.social import actions
from ficarchive.social.models import CommentStatus, InboxItem, InboxKind
from ficarchive.works.models import Work
from tests.conftest import logged_in, make_user, post_work

SPAM = "Best replica watches, cheap: https://watches.example.com/buy"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = IMMEDIATE


def holding(role: str, username: str) -> User:
    user = make_user(username)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def polly(db: Any) -> User:
    """A policy & abuse moderator: reviews spam and sanctions users."""
    return holding(Role.POLICY_ABUSE, "polly")


@pytest.fixture
def held(carol: User, work: Work) -> SpamCheck:
    actions.post_comment(carol, work, SPAM)
    return SpamCheck.objects.get(state=SpamState.HELD)


def test_guests_are_sent_to_log_in(held: SpamCheck) -> None:
    response = Client().get("/moderation/spam")
    assert response.status_code == 302 and "/login" in response["Location"]
    response = Client().post(f"/moderation/spam/{held.pk}/spam")
    assert response.status_code == 302 and "/login" in response["Location"]
    held.refresh_from_db()
    assert held.state == SpamState.HELD


@pytest.mark.parametrize("role", [None, Role.SUPPORT, Role.TAG_WRANGLER])
def test_accounts_without_review_spam_are_refused(role: str | None, held: SpamCheck) -> None:
    user = holding(role, "someone") if role else make_user("someone")
    client = logged_in(user)
    page = client.get("/moderation/spam")
    assert page.status_code == 403
    assert "Only policy &amp; abuse moderators may review the spam queue." in page.content.decode()
    assert client.post(f"/moderation/spam/{held.pk}/not-spam").status_code == 403
    held.refresh_from_db()
    assert held.state == SpamState.HELD
    with pytest.raises(PermissionDenied):
        spam_actions.mark_not_spam(user, held)


def test_the_queue_lists_held_items_oldest_first_with_score_and_reasons(
    polly: User, carol: User, bob: User, work: Work, settings: Any
) -> None:
    actions.post_comment(carol, work, SPAM)
    actions.post_comment(bob, work, "Loans for all www.loans.example.org")
    actions.post_comment(bob, work, "A kind comment.")  # passes: not in the queue
    settings.SPAM_QUEUE_PER_PAGE = 1
    client = logged_in(polly)
    first = client.get("/moderation/spam").content.decode()
    assert "watches.example.com" in first and "loans.example.org" not in first
    assert "2 held items" in first and "carol" in first
    assert "1 link" in first and "joined today" in first and "Score" in first
    second = client.get("/moderation/spam?page=2").content.decode()
    assert "loans.example.org" in second and "bob" in second
    assert "A kind comment" not in first + second


def test_the_queue_page_costs_the_same_queries_whatever_its_size(
    polly: User, carol: User, work: Work, django_assert_max_num_queries: Any, settings: Any
) -> None:
    settings.COMMENT_LIMIT = 100
    client = logged_in(polly)
    actions.post_comment(carol, work, SPAM)
    client.get("/moderation/spam")
    with django_assert_max_num_queries(12) as few:
        client.get("/moderation/spam")
    for number in range(8):
        actions.post_comment(carol, work, f"{SPAM}/{number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/moderation/spam").content.decode()
    assert "9 held items" in page


def test_not_spam_releases_the_comment_and_the_creators_hear_of_it_now(
    polly: User, alice: User, carol: User, work: Work, held: SpamCheck
) -> None:
    response = logged_in(polly).post(f"/moderation/spam/{held.pk}/not-spam", follow=True)
    assert "Released as not spam." in response.content.decode()
    held.refresh_from_db()
    assert held.state == SpamState.HAM and held.decided_by == polly
    comment = work.comments.get()
    assert comment.status == CommentStatus.APPROVED
    assert "watches.example.com" in Client().get(f"/works/{work.pk}").content.decode()
    assert InboxItem.objects.filter(user=alice, kind=InboxKind.COMMENT, comment=comment).exists()
    entry = AuditEntry.objects.get(verb="mark_not_spam")
    assert entry.actor == polly and entry.subject == carol
    assert entry.target_kind == "comment" and entry.target_id == comment.pk


def test_not_spam_on_a_moderated_work_leaves_the_comment_waiting_for_the_creators(
    polly: User, alice: User, carol: User
) -> None:
    work = post_work(alice, "Careful", moderate_comments=True)
    actions.post_comment(carol, work, SPAM)
    spam_actions.mark_not_spam(polly, SpamCheck.objects.get(state=SpamState.HELD))
    assert work.comments.get().status == CommentStatus.PENDING
    assert InboxItem.objects.filter(user=alice, kind=InboxKind.PENDING).exists()


def test_spam_keeps_the_comment_from_readers_and_trains_on_it(
    polly: User, carol: User, work: Work, held: SpamCheck
) -> None:
    response = logged_in(polly).post(f"/moderation/spam/{held.pk}/spam", follow=True)
    assert "Marked as spam." in response.content.decode()
    held.refresh_from_db()
    assert held.state == SpamState.SPAM
    assert list(SpamCheck.objects.decided()) == [held]
    assert work.comments.get().status == CommentStatus.HELD
    assert "watches.example.com" not in Client().get(f"/works/{work.pk}").content.decode()
    assert AuditEntry.objects.filter(verb="mark_spam", actor=polly).count() == 1
    assert (
        "Nothing is held for review." in logged_in(polly).get("/moderation/spam").content.decode()
    )


def test_an_item_is_decided_once(polly: User, held: SpamCheck) -> None:
    spam_actions.mark_spam(polly, held)
    with pytest.raises(ValidationError, match="already decided"):
        spam_actions.mark_not_spam(polly, held)
    response = logged_in(polly).post(f"/moderation/spam/{held.pk}/not-spam", follow=True)
    assert "already decided" in response.content.decode()
    assert AuditEntry.objects.filter(verb__in=["mark_spam", "mark_not_spam"]).count() == 1


def test_spam_and_ban_bans_the_author_and_hides_what_they_made(
    polly: User, carol: User, work: Work, held: SpamCheck
) -> None:
    page = logged_in(polly).get("/moderation/spam").content.decode()
    assert "Spam &amp; ban" in page
    logged_in(polly).post(f"/moderation/spam/{held.pk}/spam-ban")
    carol.refresh_from_db()
    assert not carol.is_active
    assert AuditEntry.objects.filter(verb="spam_ban_user", subject=carol).exists()
    assert AuditEntry.objects.filter(verb="mark_spam", subject=carol).exists()


def test_spam_and_ban_needs_sanction_users_too(carol: User, held: SpamCheck) -> None:
    reviewer = make_user("reviewer")
    from django.contrib.auth.models import Permission

    reviewer.user_permissions.add(Permission.objects.get(codename="review_spam"))
    reviewer = User.objects.get(pk=reviewer.pk)
    page = logged_in(reviewer).get("/moderation/spam").content.decode()
    assert "Spam &amp; ban" not in page and ">Spam</button>" in page
    assert logged_in(reviewer).post(f"/moderation/spam/{held.pk}/spam-ban").status_code == 403
    carol.refresh_from_db()
    assert carol.is_active


def test_decisions_are_posts_with_a_csrf_token(polly: User, held: SpamCheck) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(polly)
    assert client.get(f"/moderation/spam/{held.pk}/spam").status_code == 405
    assert client.post(f"/moderation/spam/{held.pk}/spam").status_code == 403
    assert logged_in(polly).post(f"/moderation/spam/{held.pk}/maybe").status_code == 404
    held.refresh_from_db()
    assert held.state == SpamState.HELD


def test_not_spam_shows_a_held_work_and_its_subscribers_hear_of_it(
    polly: User, alice: User, carol: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    actions.subscribe(carol, creator=alice)
    settings.SPAM_BASE_POINTS = 2.0
    with django_capture_on_commit_callbacks(execute=True):
        work = post_work(alice, "Buy followers")
    assert not InboxItem.objects.filter(user=carol).exists()
    settings.SPAM_BASE_POINTS = -2.0
    assert work.is_hidden
    check = SpamCheck.objects.get(target_kind="work", target_id=work.pk)
    with django_capture_on_commit_callbacks(execute=True):
        spam_actions.mark_not_spam(polly, check)
    work.refresh_from_db()
    assert not work.is_hidden and work.hidden_reason == ""
    assert Client().get(f"/works/{work.pk}").status_code == 200
    assert InboxItem.objects.filter(user=carol, kind=InboxKind.WORK, work=work).exists()


def test_not_spam_shows_a_held_pseud_text(polly: User, carol: User) -> None:
    pseud = carol.default_pseud
    update_pseud(carol, pseud, pseud.name, "Cheap essays https://essays.example.net/order")
    spam_actions.mark_not_spam(polly, SpamCheck.objects.get(target_kind="pseud"))
    pseud.refresh_from_db()
    assert not pseud.description_hidden
    assert "essays.example.net" in Client().get(pseud.get_absolute_url()).content.decode()


def test_the_navigation_shows_spam_reviewers_the_held_count(
    polly: User, carol: User, held: SpamCheck
) -> None:
    assert "Spam queue (1)" in logged_in(polly).get("/").content.decode()
    assert "Spam queue" not in logged_in(carol).get("/").content.decode()
    assert "Spam queue" not in logged_in(holding(Role.SUPPORT, "sue")).get("/").content.decode()
