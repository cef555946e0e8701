"""Accounts holding each role, for refusal tests: `holder(Role.SUPPORT)` makes "support1"."""

from __future__ import annotations

from django.contrib.auth.models import Group

from ficarchive.accounts.models import User
from ficarchive.moderation.models import Role
from tests.conftest import make_user

NAMES = {Role.POLICY_ABUSE: "polly", Role.TAG_WRANGLER: "wren", Role.SUPPORT: "sue"}


def holder(role: Role, username: str | None = None) -> User:
    """A new account holding ROLE (put in its group directly, without an audit entry)."""
    user = make_user(username or NAMES[role])
    user.groups.add(Group.objects.get(name=role))
    return user
