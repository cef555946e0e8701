"""Giving and taking moderation roles: only superadmins, each an audit entry (undoable)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ficarchive.accounts.models import User
from ficarchive.moderation import audit, permissions, undo
from ficarchive.moderation.models import AuditEntry, Role
from ficarchive.moderation.models.roles import ROLE_NAMES
from ficarchive.moderation.roles import roles_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def give_role(
    superadmin: User | AnonymousUser,
    user: User | str,
    role: Role | str,
    *,
    reason: str = "",
    undoes: AuditEntry | None = None,
) -> AuditEntry:
    """Make USER (an account or a user name) a member of ROLE's group."""
    return _change(superadmin, user, role, give=True, reason=reason, undoes=undoes)


def take_role(
    superadmin: User | AnonymousUser,
    user: User | str,
    role: Role | str,
    *,
    reason: str = "",
    undoes: AuditEntry | None = None,
) -> AuditEntry:
    """Take ROLE from USER (an account or a user name)."""
    return _change(superadmin, user, role, give=False, reason=reason, undoes=undoes)


def _change(
    superadmin: User | AnonymousUser,
    user: User | str,
    role: Role | str,
    *,
    give: bool,
    reason: str,
    undoes: AuditEntry | None,
) -> AuditEntry:
    permissions.require(superadmin, "give_roles")
    if role not in Role.values:
        names = ", ".join(Role.values)
        raise ValidationError(
            {
                "role": [
                    _("%(role)s is not a role; the roles are %(roles)s.")
                    % {"role": repr(role), "roles": names}
                ]
            }
        )
    role = Role(role)
    member = _account(user)
    with transaction.atomic():
        group = Group.objects.select_for_update().get(name=role)
        before = roles_of(member)
        if give and role in before:
            raise ValidationError(
                {
                    "username": [
                        _("%(username)s already holds %(role)s.")
                        % {"username": member.username, "role": ROLE_NAMES[role]}
                    ]
                }
            )
        if not give and role not in before:
            raise ValidationError(
                {
                    "username": [
                        _("%(username)s does not hold %(role)s.")
                        % {"username": member.username, "role": ROLE_NAMES[role]}
                    ]
                }
            )
        (member.groups.add if give else member.groups.remove)(group)
        after = roles_of(member)
        return audit.record(
            superadmin,
            "give_role" if give else "take_role",
            target_kind="user",
            target_id=member.pk,
            target_label=f"{member.username} ({role})",
            subject=member,
            reason=reason.strip(),
            before={"roles": before},
            after={"roles": after},
            undoes=undoes,
        )


def _account(user: User | str) -> User:
    if isinstance(user, User):
        return user
    name = (user or "").strip()
    found = User.objects.filter(username__iexact=name).first() if name else None
    if found is None:
        raise ValidationError(
            {"username": [_("There is no account named %(name)s.") % {"name": repr(name)}]}
        )
    return found


@undo.registers("give_role")
def undo_give_role(actor: User | AnonymousUser, entry: AuditEntry) -> AuditEntry:
    return take_role(actor, _subject(entry), _role_changed(entry), undoes=entry)


@undo.registers("take_role")
def undo_take_role(actor: User | AnonymousUser, entry: AuditEntry) -> AuditEntry:
    return give_role(actor, _subject(entry), _role_changed(entry), undoes=entry)


def _subject(entry: AuditEntry) -> User:
    if entry.subject is None:
        raise ValidationError(
            _("The account of entry #%(entry)s no longer exists.") % {"entry": entry.pk}
        )
    return entry.subject


def _role_changed(entry: AuditEntry) -> str:
    """The one role ENTRY gave or took: the difference between its before and after."""
    (role,) = set(entry.before["roles"]) ^ set(entry.after["roles"])
    return str(role)
