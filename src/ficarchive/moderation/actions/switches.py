"""Moderation writes: each checks who asks, validates, and writes in one transaction."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ficarchive.moderation import audit, switches, undo
from ficarchive.moderation.models import AuditEntry, SignupMode, SiteSwitches

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User

ONOFF = ("guest_comments", "downloads", "imports", "new_works", "two_factor_for_staff")


def may_change_switches(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def change_switches(
    user: User | AnonymousUser,
    *,
    signups: str | None = None,
    guest_comments: bool | None = None,
    downloads: bool | None = None,
    imports: bool | None = None,
    new_works: bool | None = None,
    two_factor_for_staff: bool | None = None,
    undoes: AuditEntry | None = None,
) -> switches.Switches:
    """Set the switches given (the others stay as they are). Only superadmins may; every
    server process follows within a second, this one at once. UNDOES names the audit entry
    this change undoes (see `undo_change_switches`)."""
    if not may_change_switches(user):
        raise PermissionDenied(_("Only superadmins may change the site switches."))
    given = {
        "guest_comments": guest_comments,
        "downloads": downloads,
        "imports": imports,
        "new_works": new_works,
        "two_factor_for_staff": two_factor_for_staff,
    }
    errors: dict[str, list[str]] = {}
    if signups is not None and signups not in SignupMode.values:
        modes = ", ".join(SignupMode.values)
        errors["signups"] = [
            _("%(mode)s is not a sign-up mode; choose one of %(modes)s.")
            % {"mode": repr(signups), "modes": modes}
        ]
    for name, value in given.items():
        if value is not None and not isinstance(value, bool):
            errors[name] = [
                _("%(switch)s is on (true) or off (false), not %(value)s.")
                % {"switch": name, "value": repr(value)}
            ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row, _created = SiteSwitches.objects.select_for_update().get_or_create(pk=SiteSwitches.ROW)
        before = asdict(switches.Switches.of(row))
        if signups is not None:
            row.signups = signups
        for name, value in given.items():
            if value is not None:
                setattr(row, name, value)
        row.changed_by = user  # type: ignore[assignment]
        row.save()
        after = asdict(switches.Switches.of(row))
        audit.record(
            user,
            "change_switches",
            target_kind="site",
            target_label="Site switches",
            before={k: v for k, v in before.items() if after[k] != v},
            after={k: v for k, v in after.items() if before[k] != v},
            undoes=undoes,
        )
        transaction.on_commit(switches.forget)
    switches.forget()
    return switches.Switches.of(row)


@undo.registers("change_switches")
def undo_change_switches(actor: User | AnonymousUser, entry: AuditEntry) -> AuditEntry:
    """Set the switches ENTRY changed back to what they were before it (superadmins only)."""
    change_switches(actor, **entry.before, undoes=entry)
    return AuditEntry.objects.get(undoes=entry)
