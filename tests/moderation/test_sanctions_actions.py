"""Warnings, suspensions and bans as actions: who may, what they write, what the audit keeps."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ficarchive.accounts.models import User
from ficarchive.accounts.standing import AccountSuspended, is_suspended, require_good_standing
from ficarchive.moderation import undo
from ficarchive.moderation.actions import sanctions
from ficarchive.moderation.models import AuditEntry, Role, Sanction
from ficarchive.social.models import InboxItem, InboxKind
from tests.moderation.holders import holder


@pytest.fixture
def polly(db: Any) -> User:
    return holder(Role.POLICY_ABUSE)


def later(days: int = 7) -> Any:
    return timezone.now() + timedelta(days=days)


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


# --- who may --------------------------------------------------------------------------------

ACTIONS = {
    "warn": lambda actor, user: sanctions.warn(actor, user, "Be kind."),
    "suspend": lambda actor, user: sanctions.suspend(actor, user, later(), "Spam."),
    "ban": lambda actor, user: sanctions.ban(actor, user, "Threats."),
    "spam_ban": lambda actor, user: sanctions.spam_ban(actor, user, "Spam."),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_guests_ordinary_users_and_roles_without_sanction_users_are_refused(
    action: str, alice: User, bob: User
) -> None:
    for actor in (AnonymousUser(), bob, holder(Role.SUPPORT), holder(Role.TAG_WRANGLER)):
        with pytest.raises(PermissionDenied, match="warn, suspend or ban"):
            ACTIONS[action](actor, alice)
    assert not Sanction.objects.exists()
    assert not AuditEntry.objects.exists()
    alice = fresh(alice)
    assert alice.is_active and alice.suspended_until is None and alice.unacknowledged_warnings == 0


@pytest.mark.parametrize("action", ["suspend", "ban", "spam_ban"])
def test_superadmins_and_the_moderator_themselves_cannot_be_suspended_or_banned(
    action: str, polly: User, ada: User
) -> None:
    with pytest.raises(ValidationError, match="superadmin"):
        ACTIONS[action](polly, ada)
    with pytest.raises(ValidationError, match="your own account"):
        ACTIONS[action](polly, polly)
    assert fresh(ada).is_active and fresh(polly).is_active
    assert not Sanction.objects.exists()


def test_a_reason_is_required(polly: User, alice: User) -> None:
    with pytest.raises(ValidationError) as caught:
        sanctions.ban(polly, alice, "   ")
    assert "reason" in caught.value.message_dict
    assert fresh(alice).is_active


# --- warnings -------------------------------------------------------------------------------


def test_a_warning_is_an_inbox_notice_to_acknowledge(polly: User, alice: User) -> None:
    sanction = sanctions.warn(polly, alice, "Tag your works properly.")
    assert fresh(alice).unacknowledged_warnings == 1
    notice = InboxItem.objects.get(user=alice)
    assert (notice.kind, notice.text) == (InboxKind.WARNING, "Tag your works properly.")
    entry = AuditEntry.objects.get(verb="warn_user")
    assert (entry.actor, entry.subject, entry.reason) == (polly, alice, "Tag your works properly.")
    assert entry.before["unacknowledged_warnings"] == 0
    assert entry.after["unacknowledged_warnings"] == 1
    sanctions.acknowledge_warning(alice, sanction)
    sanctions.acknowledge_warning(alice, sanction)  # twice changes nothing
    assert fresh(alice).unacknowledged_warnings == 0
    assert Sanction.objects.get().acknowledged_at is not None


def test_only_the_warned_user_acknowledges_a_warning(polly: User, alice: User, bob: User) -> None:
    sanction = sanctions.warn(polly, alice, "Be kind.")
    with pytest.raises(PermissionDenied):
        sanctions.acknowledge_warning(bob, sanction)
    assert fresh(alice).unacknowledged_warnings == 1


def test_a_warning_cannot_be_undone_from_the_audit_log(polly: User, alice: User) -> None:
    sanctions.warn(polly, alice, "Be kind.")
    assert not undo.can_be_undone(AuditEntry.objects.get(verb="warn_user"))


# --- suspensions ----------------------------------------------------------------------------


def test_a_suspension_refuses_writes_until_its_date_and_tells_why(polly: User, alice: User) -> None:
    until = later(3)
    sanctions.suspend(polly, alice, until, "Spamming comments.")
    alice = fresh(alice)
    assert is_suspended(alice) and alice.is_active
    with pytest.raises(AccountSuspended, match="Spamming comments"):
        require_good_standing(alice)
    notice = InboxItem.objects.get(user=alice)
    assert notice.kind == InboxKind.SUSPENSION and "Spamming comments" in notice.text
    entry = AuditEntry.objects.get(verb="suspend_user")
    assert entry.before["suspended_until"] is None
    assert entry.after["suspended_until"] == until.isoformat()
    assert Sanction.objects.get().until == until


def test_a_suspension_ends_by_itself_at_its_date(polly: User, alice: User) -> None:
    sanctions.suspend(polly, alice, later(1), "Cool off.")
    User.objects.filter(pk=alice.pk).update(suspended_until=timezone.now() - timedelta(seconds=1))
    alice = fresh(alice)
    assert not is_suspended(alice)
    require_good_standing(alice)  # no exception


def test_a_suspension_must_end_in_the_future(polly: User, alice: User) -> None:
    with pytest.raises(ValidationError) as caught:
        sanctions.suspend(polly, alice, timezone.now() - timedelta(minutes=1), "Late.")
    assert "until" in caught.value.message_dict
    assert fresh(alice).suspended_until is None


def test_a_new_suspension_replaces_the_one_in_force(polly: User, alice: User) -> None:
    sanctions.suspend(polly, alice, later(1), "First.")
    sanctions.suspend(polly, fresh(alice), later(9), "Second.")
    first, second = Sanction.objects.order_by("id")
    assert first.lifted_at is not None and second.lifted_at is None
    assert fresh(alice).suspension_reason == "Second."


def test_unsuspending_lifts_it_and_undoes_the_entry(polly: User, alice: User) -> None:
    sanctions.suspend(polly, alice, later(), "Spam.")
    lifted = sanctions.unsuspend(polly, fresh(alice), "Appeal granted.")
    alice = fresh(alice)
    assert not is_suspended(alice) and alice.suspension_reason == ""
    assert lifted.undoes == AuditEntry.objects.get(verb="suspend_user")
    assert Sanction.objects.get().lifted_by == polly
    with pytest.raises(ValidationError, match="not suspended"):
        sanctions.unsuspend(polly, alice)


def test_the_audit_logs_undo_lifts_a_suspension(polly: User, alice: User) -> None:
    sanctions.suspend(polly, alice, later(), "Spam.")
    entry = AuditEntry.objects.get(verb="suspend_user")
    assert undo.can_be_undone(entry)
    undo.undo(polly, entry)
    assert not is_suspended(fresh(alice))
    with pytest.raises(ValidationError, match="already undone"):
        undo.undo(polly, AuditEntry.objects.get(verb="suspend_user"))


# --- bans -----------------------------------------------------------------------------------


def test_a_ban_makes_the_account_inactive_and_unban_restores_it(polly: User, alice: User) -> None:
    sanctions.ban(polly, alice, "Threats.")
    alice = fresh(alice)
    assert not alice.is_active
    with pytest.raises(AccountSuspended, match="banned"):
        require_good_standing(alice)
    with pytest.raises(ValidationError, match="already banned"):
        sanctions.ban(polly, alice, "Again.")
    entry = AuditEntry.objects.get(verb="ban_user")
    assert entry.before["is_active"] is True and entry.after["is_active"] is False
    sanctions.unban(polly, alice, "Mistaken identity.")
    assert fresh(alice).is_active
    assert AuditEntry.objects.get(verb="unban_user").undoes == entry
    assert Sanction.objects.get().lifted_at is not None


def test_the_audit_logs_undo_unbans(polly: User, alice: User) -> None:
    sanctions.ban(polly, alice, "Threats.")
    undo.undo(polly, AuditEntry.objects.get(verb="ban_user"))
    assert fresh(alice).is_active


def test_unbanning_an_account_that_is_not_banned_is_refused(polly: User, alice: User) -> None:
    with pytest.raises(ValidationError, match="not banned"):
        sanctions.unban(polly, alice)


def test_the_suspension_notice_is_kept_in_the_suspended_readers_language(
    polly: User, alice: User
) -> None:
    from django.utils import translation

    User.objects.filter(pk=alice.pk).update(language="zh-hans")
    with translation.override("es"):  # the moderator reads Spanish
        sanctions.suspend(polly, fresh(alice), later(), "Spam.")
    notice = InboxItem.objects.get(user=alice, kind=InboxKind.SUSPENSION).text
    assert notice.startswith("你的账户已被暂停至")
    assert notice.endswith("原因\N{FULLWIDTH COLON}Spam.")


def test_without_a_language_of_their_own_the_notice_is_in_the_archives_language(
    polly: User, alice: User
) -> None:
    from django.utils import translation

    with translation.override("es"):
        sanctions.suspend(polly, alice, later(), "Spam.")
    notice = InboxItem.objects.get(user=alice, kind=InboxKind.SUSPENSION).text
    assert notice.startswith("Your account is suspended until ")
