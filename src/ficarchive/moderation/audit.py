"""Writing the audit log: every moderation and admin action calls `record` inside its own
transaction, so the entry exists exactly when the action happened."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import pgettext_lazy

from ficarchive.moderation.models import AuditEntry

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import StrOrPromise

    from ficarchive.accounts.models import User
    from ficarchive.moderation.models import Case

# The label of each verb, as the audit log page shows it. Add a verb here with its action.
VERBS: dict[str, StrOrPromise] = {
    "change_switches": pgettext_lazy("audit log action", "changed the site switches"),
    "give_role": pgettext_lazy("audit log action", "gave a role"),
    "take_role": pgettext_lazy("audit log action", "took a role away"),
    "warn_user": pgettext_lazy("audit log action", "warned"),
    "suspend_user": pgettext_lazy("audit log action", "suspended"),
    "unsuspend_user": pgettext_lazy("audit log action", "lifted the suspension of"),
    "ban_user": pgettext_lazy("audit log action", "banned"),
    "spam_ban_user": pgettext_lazy("audit log action", "spam-banned"),
    "unban_user": pgettext_lazy("audit log action", "unbanned"),
    "hide_work": pgettext_lazy("audit log action", "hid the work"),
    "unhide_work": pgettext_lazy("audit log action", "unhid the work"),
    "delete_work": pgettext_lazy("audit log action", "deleted the work"),
    "edit_work_tags": pgettext_lazy("audit log action", "edited the tags of"),
    "hide_comment": pgettext_lazy("audit log action", "hid"),
    "unhide_comment": pgettext_lazy("audit log action", "unhid"),
    "delete_comment": pgettext_lazy("audit log action", "deleted"),
    "freeze_thread": pgettext_lazy("audit log action", "froze the thread of"),
    "unfreeze_thread": pgettext_lazy("audit log action", "unfroze the thread of"),
    "hide_bookmark": pgettext_lazy("audit log action", "hid"),
    "unhide_bookmark": pgettext_lazy("audit log action", "unhid"),
    "assign_case": pgettext_lazy("audit log action", "assigned the case of"),
    "resolve_case": pgettext_lazy("audit log action", "resolved the case of"),
    "dismiss_case": pgettext_lazy("audit log action", "dismissed the case of"),
    "mark_spam": pgettext_lazy("audit log action", "marked as spam"),
    "mark_not_spam": pgettext_lazy("audit log action", "released as not spam"),
    "send_invitations": pgettext_lazy("audit log action", "sent invitations to"),
    "give_invitations": pgettext_lazy("audit log action", "gave invitations to"),
    "ban_address": pgettext_lazy("audit log action", "banned the address"),
    "unban_address": pgettext_lazy("audit log action", "unbanned the address"),
    "change_staff": pgettext_lazy("audit log action", "changed the staff status of"),
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
    """VERB as the log reads it, in the reader's language."""
    return str(VERBS.get(verb, verb.replace("_", " ")))
