"""Accounts holding each role, for refusal tests: `holder(Role.SUPPORT)` makes "sue"."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from ficarchive.accounts.models import User
from ficarchive.moderation.models import Role
from ficarchive.moderation.models.roles import ROLE_PERMISSIONS
from tests.conftest import make_user

NAMES = {
    Role.POLICY_ABUSE: "polly",
    Role.TAG_WRANGLER: "wren",
    Role.SUPPORT: "sue",
    Role.ARCHIVIST: "archie",
}


def holder(role: Role, username: str | None = None) -> User:
    """A new account holding ROLE (put in its group directly, without an audit entry; the
    group and its permissions made here if this database does not have them, as after a
    browser test's flush)."""
    group, _ = Group.objects.get_or_create(name=role)
    for name in ROLE_PERMISSIONS[role]:
        app_label, codename = name.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    user = make_user(username or NAMES[role])
    user.groups.add(group)
    return user
