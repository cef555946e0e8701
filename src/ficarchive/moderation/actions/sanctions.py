"""Warnings, suspensions and bans: what moderators holding `sanction_users` do to an account.

Each action checks who asks, validates, and in one transaction writes the `Sanction` (the
record), the standing in force on the user row (`accounts.actions.set_standing`), the inbox
notice and the audit entry (before and after). Lifting a suspension or a ban writes an entry
whose `undoes` names the one it lifts, so the audit log's Undo and the account page agree.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ficarchive.accounts import actions as accounts
from ficarchive.accounts.standing import is_suspended, suspension_message
from ficarchive.accounts.tasks import end_sessions
from ficarchive.api.actions import revoke_tokens_of
from ficarchive.exporting.actions import revoke_feed_tokens_of
from ficarchive.moderation import audit, undo
from ficarchive.moderation.models import AuditEntry, Sanction, SanctionKind, Target
from ficarchive.moderation.permissions import require
from ficarchive.social.actions.hiding import hide_social_of, show_social
from ficarchive.social.actions.inbox import notify
from ficarchive.social.models import InboxKind
from ficarchive.works import actions as works

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User
    from ficarchive.moderation.models import Case

    Actor = User | AnonymousUser

MAX_REASON = 2000
BANS = (SanctionKind.BAN, SanctionKind.SPAM_BAN)


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why: the account and the audit log read it.")]})
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {
                "reason": [
                    _("The reason is %(length)s characters; the most is %(most)s.")
                    % {"length": f"{len(reason):,}", "most": f"{MAX_REASON:,}"}
                ]
            }
        )
    return reason


# The refusals of each sanction (English; said in the reader's language): your own account,
# a superadmin's, the orphan account's.
UNSANCTIONABLE: dict[str, tuple[str, str, str]] = {
    "suspend": (
        gettext_noop("You cannot suspend your own account."),
        gettext_noop("A superadmin cannot be suspended; ask them to give up the role."),
        gettext_noop("The orphan account cannot be suspended."),
    ),
    "ban": (
        gettext_noop("You cannot ban your own account."),
        gettext_noop("A superadmin cannot be banned; ask them to give up the role."),
        gettext_noop("The orphan account cannot be banned."),
    ),
    "spam-ban": (
        gettext_noop("You cannot spam-ban your own account."),
        gettext_noop("A superadmin cannot be spam-banned; ask them to give up the role."),
        gettext_noop("The orphan account cannot be spam-banned."),
    ),
}


def _require_sanctionable(actor: Actor, user: User, what: str) -> None:
    own, superadmin, orphan = UNSANCTIONABLE[what]
    if user.pk == actor.pk:
        raise ValidationError(_(own))
    if user.is_superuser:
        raise ValidationError(_(superadmin))
    if user.is_orphan_account:
        raise ValidationError(_(orphan))


def _moderator(actor: Actor) -> User:
    """The acting moderator, once `require` let them act."""
    return cast("User", actor)


def _standing(user: User) -> dict[str, Any]:
    until = user.suspended_until
    return {
        "is_active": user.is_active,
        "suspended_until": until.isoformat() if until else None,
        "suspension_reason": user.suspension_reason,
        "unacknowledged_warnings": user.unacknowledged_warnings,
    }


def _record(actor: Actor, verb: str, user: User, **given: Any) -> AuditEntry:
    return audit.record(
        actor,
        verb,
        target_kind="user",
        target_id=user.pk,
        target_label=user.username,
        subject=user,
        **given,
    )


def _lift(actor: Actor, user: User, kinds: tuple[str, ...]) -> None:
    Sanction.objects.filter(user=user, kind__in=kinds, lifted_at__isnull=True).update(
        lifted_at=timezone.now(), lifted_by=actor if actor.is_authenticated else None
    )


def _in_force(user: User, verbs: tuple[str, ...]) -> AuditEntry | None:
    """The latest entry of VERBS about USER that nothing undid yet."""
    return (
        AuditEntry.objects.filter(subject=user, verb__in=verbs, undone_by__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )


def _check_undoes(entry: AuditEntry | None, in_force: AuditEntry | None) -> None:
    if entry is not None and (in_force is None or in_force.pk != entry.pk):
        raise ValidationError(
            _("Entry #%(entry)s is no longer in force; nothing to undo.") % {"entry": entry.pk}
        )


# --- warnings ----------------------------------------------------------------------------


def warn(actor: Actor, user: User, reason: str, *, case: Case | None = None) -> Sanction:
    """An inbox notice the user must acknowledge; a banner shows on every page until then."""
    require(actor, "sanction_users")
    reason = _reason(reason)
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot warn your own account."))
    with transaction.atomic():
        before = _standing(user)
        sanction = Sanction.objects.create(
            user=user,
            kind=SanctionKind.WARNING,
            reason=reason,
            case=case,
            created_by=_moderator(actor),
        )
        accounts.set_standing(user, add_warnings=1)
        notify([user.pk], InboxKind.WARNING, text=reason)
        _record(
            actor, "warn_user", user, case=case, reason=reason, before=before, after=_standing(user)
        )
    return sanction


def acknowledge_warning(user: User | AnonymousUser, sanction: Sanction) -> Sanction:
    """The warned user says they read the warning; the banner goes once none is left."""
    if not user.is_authenticated or sanction.user_id != user.pk:
        raise PermissionDenied("This warning is not addressed to you.")
    if sanction.kind != SanctionKind.WARNING:
        raise ValidationError(_("Only warnings are acknowledged."))
    with transaction.atomic():
        locked = Sanction.objects.select_for_update().get(pk=sanction.pk)
        if locked.acknowledged_at is None:
            locked.acknowledged_at = timezone.now()
            locked.save(update_fields=["acknowledged_at"])
            accounts.set_standing(user, add_warnings=-1)  # type: ignore[arg-type]
    return locked


# --- suspensions -------------------------------------------------------------------------


def suspend(
    actor: Actor, user: User, until: datetime, reason: str, *, case: Case | None = None
) -> Sanction:
    """Until UNTIL the account may log in and read, but not write; it ends by itself then.
    A new suspension replaces the one in force."""
    require(actor, "sanction_users")
    reason = _reason(reason)
    if until <= timezone.now():
        raise ValidationError({"until": ["A suspension ends in the future."]})
    _require_sanctionable(actor, user, "suspend")
    if not user.is_active:
        raise ValidationError(_("This account is banned; a suspension would change nothing."))
    with transaction.atomic():
        before = _standing(user)
        _lift(actor, user, (SanctionKind.SUSPENSION,))
        sanction = Sanction.objects.create(
            user=user,
            kind=SanctionKind.SUSPENSION,
            reason=reason,
            until=until,
            case=case,
            created_by=_moderator(actor),
        )
        accounts.set_standing(user, suspended_until=until, suspension_reason=reason)
        # Kept in the inbox as written: in the suspended reader's language, not the moderator's.
        with translation.override(user.language or settings.LANGUAGE_CODE):
            notice = suspension_message(user)
        notify([user.pk], InboxKind.SUSPENSION, text=notice)
        _record(
            actor,
            "suspend_user",
            user,
            case=case,
            reason=reason,
            before=before,
            after=_standing(user),
        )
    return sanction


def unsuspend(
    actor: Actor, user: User, reason: str = "", *, undoing: AuditEntry | None = None
) -> AuditEntry:
    """End the suspension in force now."""
    require(actor, "sanction_users")
    if not is_suspended(user):
        raise ValidationError(_("This account is not suspended."))
    with transaction.atomic():
        in_force = _in_force(user, ("suspend_user",))
        _check_undoes(undoing, in_force)
        before = _standing(user)
        _lift(actor, user, (SanctionKind.SUSPENSION,))
        accounts.set_standing(user, suspended_until=None, suspension_reason="")
        return _record(
            actor,
            "unsuspend_user",
            user,
            reason=reason.strip(),
            before=before,
            after=_standing(user),
            undoes=in_force,
        )


# --- bans --------------------------------------------------------------------------------


def _shut_out(user: User) -> dict[str, Any]:
    """Make the account inactive and revoke its tokens; a background task deletes its sessions
    after the commit (until then, and for ever, the inactive account's sessions read as guests)."""
    accounts.set_standing(user, is_active=False)
    revoked = {"access_tokens": revoke_tokens_of(user), "feed_tokens": revoke_feed_tokens_of(user)}
    transaction.on_commit(partial(end_sessions.enqueue, user.pk))
    return revoked


def ban(actor: Actor, user: User, reason: str, *, case: Case | None = None) -> Sanction:
    """The account cannot log in; its sessions end and its API and feed tokens are revoked."""
    require(actor, "sanction_users")
    reason = _reason(reason)
    _require_sanctionable(actor, user, "ban")
    if not user.is_active:
        raise ValidationError(_("This account is already banned."))
    with transaction.atomic():
        before = _standing(user)
        sanction = Sanction.objects.create(
            user=user, kind=SanctionKind.BAN, reason=reason, case=case, created_by=_moderator(actor)
        )
        revoked = _shut_out(user)
        _record(
            actor,
            "ban_user",
            user,
            case=case,
            reason=reason,
            before=before,
            after={**_standing(user), "revoked": revoked},
        )
    return sanction


def spam_ban(actor: Actor, user: User, reason: str, *, case: Case | None = None) -> Sanction:
    """Ban, and hide everything the account made (works, comments, bookmarks, pseud texts) in
    the same transaction. The entry lists exactly what it hid: an unban shows those again."""
    require(actor, "sanction_users")
    reason = _reason(reason)
    _require_sanctionable(actor, user, "spam-ban")
    if Sanction.objects.filter(
        user=user, kind=SanctionKind.SPAM_BAN, lifted_at__isnull=True
    ).exists():
        raise ValidationError(_("This account is already spam-banned."))
    with transaction.atomic():
        before = _standing(user)
        _lift(actor, user, (SanctionKind.BAN,))  # a spam-ban replaces a plain ban in force
        sanction = Sanction.objects.create(
            user=user,
            kind=SanctionKind.SPAM_BAN,
            reason=reason,
            case=case,
            created_by=_moderator(actor),
        )
        revoked = _shut_out(user) if user.is_active else {}
        hidden = {
            "works": works.hide_works_of(user, reason),
            **hide_social_of(user),
            "pseuds": accounts.hide_pseud_texts_of(user),
        }
        _record(
            actor,
            "spam_ban_user",
            user,
            case=case,
            reason=reason,
            before=before,
            after={**_standing(user), "revoked": revoked, "hidden": hidden},
        )
    return sanction


def _untouched_since(ban: AuditEntry, kind: str, ids: list[int]) -> list[int]:
    """Those of IDS (of KIND) no moderator acted on after BAN: a later decision stands."""
    acted = AuditEntry.objects.filter(
        target_kind=kind, target_id__in=ids, created_at__gt=ban.created_at
    ).values_list("target_id", flat=True)
    touched = set(acted)
    return [one for one in ids if one not in touched]


def unban(
    actor: Actor, user: User, reason: str = "", *, undoing: AuditEntry | None = None
) -> AuditEntry:
    """Let the account log in again; after a spam-ban, show again exactly what it hid (and
    not what was hidden for other reasons, nor a comment or bookmark a moderator acted on
    since). Revoked tokens stay revoked."""
    require(actor, "sanction_users")
    if user.is_active:
        raise ValidationError(_("This account is not banned."))
    with transaction.atomic():
        in_force = _in_force(user, ("ban_user", "spam_ban_user"))
        _check_undoes(undoing, in_force)
        before = _standing(user)
        _lift(actor, user, BANS)
        accounts.set_standing(user, is_active=True)
        shown: dict[str, list[int]] = {}
        if in_force is not None and in_force.verb == "spam_ban_user":
            hidden = in_force.after.get("hidden", {})
            comments = _untouched_since(in_force, Target.COMMENT, hidden.get("comments", []))
            bookmarks = _untouched_since(in_force, Target.BOOKMARK, hidden.get("bookmarks", []))
            shown = {
                "works": works.unhide_works(hidden.get("works", []), in_force.reason),
                **show_social(comments, bookmarks),
                "pseuds": accounts.show_pseud_texts(hidden.get("pseuds", [])),
            }
        restored = "You can log in and post again."
        if shown.get("works") or shown.get("comments") or shown.get("bookmarks"):
            restored += " What the ban hid is shown again."
        notify([user.pk], InboxKind.RESTORED, text=f"{restored} {reason.strip()}".strip())
        return _record(
            actor,
            "unban_user",
            user,
            reason=reason.strip(),
            before=before,
            after={**_standing(user), "shown": shown},
            undoes=in_force,
        )


# --- undo from the audit log -------------------------------------------------------------


@undo.registers("suspend_user")
def undo_suspend(actor: Actor, entry: AuditEntry) -> AuditEntry:
    if entry.subject is None:
        raise ValidationError(_("The account is gone."))
    return unsuspend(actor, entry.subject, "Undone from the audit log.", undoing=entry)


@undo.registers("ban_user")
@undo.registers("spam_ban_user")
def undo_ban(actor: Actor, entry: AuditEntry) -> AuditEntry:
    if entry.subject is None:
        raise ValidationError(_("The account is gone."))
    return unban(actor, entry.subject, "Undone from the audit log.", undoing=entry)
