"""Writing the audit log: every moderation and admin action calls `record` inside its own
transaction, so the entry exists exactly when the action happened."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ficarchive.moderation.models import AuditEntry

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User
    from ficarchive.moderation.models import Case

# The label of each verb, as the audit log page shows it. Add a verb here with its action.
VERBS: dict[str, str] = {
    "change_switches": "changed the site switches",
    "give_role": "gave a role",
    "take_role": "took a role away",
    "warn_user": "warned",
    "suspend_user": "suspended",
    "unsuspend_user": "lifted the suspension of",
    "ban_user": "banned",
    "spam_ban_user": "spam-banned",
    "unban_user": "unbanned",
    "hide_work": "hid the work",
    "unhide_work": "unhid the work",
    "delete_work": "deleted the work",
    "edit_work_tags": "edited the tags of",
    "hide_comment": "hid",
    "unhide_comment": "unhid",
    "delete_comment": "deleted",
    "freeze_thread": "froze the thread of",
    "unfreeze_thread": "unfroze the thread of",
    "hide_bookmark": "hid",
    "unhide_bookmark": "unhid",
    "assign_case": "assigned the case of",
    "resolve_case": "resolved the case of",
    "dismiss_case": "dismissed the case of",
    "mark_spam": "marked as spam",
    "mark_not_spam": "released as not spam",
    "send_invitations": "sent invitations to",
    "give_invitations": "gave invitations to",
    "ban_address": "banned the address",
    "unban_address": "unbanned the address",
    "change_staff": "changed the staff status of",
}


def record(
    actor: User | AnonymousUser | None,
    verb: str,
    *,
    target_kind: str = "",
    target_id: int | None = None,
    target_label: str = "",
    subject: User | None = None,
    case: Case | None = None,
    reason: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    undoes: AuditEntry | None = None,
) -> AuditEntry:
    """Write one audit entry. BEFORE and AFTER hold JSON-able state (what an undo restores)."""
    if verb not in VERBS:
        raise ValueError(f"{verb!r} is not an audit verb; add it to moderation.audit.VERBS.")
    known = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        actor=known,
        actor_name=known.username if known is not None else "the archive",
        verb=verb,
        target_kind=target_kind,
        target_id=target_id,
        target_label=target_label[:300],
        subject=subject,
        case=case,
        reason=reason,
        before=before or {},
        after=after or {},
        undoes=undoes,
    )


def label(verb: str) -> str:
    return VERBS.get(verb, verb.replace("_", " "))
