"""Reports and cases for the report and queue tests: accounts holding a role, things to report."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from ficarchive.accounts.models import User
from ficarchive.moderation.actions import reports
from ficarchive.moderation.models import Report, Role
from ficarchive.moderation.models.roles import ROLE_PERMISSIONS
from ficarchive.social.models import Bookmark, Comment, bump_counts
from ficarchive.works.models import Work
from tests.conftest import make_user


def with_role(role: Role, username: str) -> User:
    """A new account in ROLE's group (the group and its permissions made here if this database
    does not have them yet)."""
    group, _ = Group.objects.get_or_create(name=role)
    for name in ROLE_PERMISSIONS[role]:
        app_label, codename = name.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    user = make_user(username)
    user.groups.add(group)
    return user


def moderator(username: str = "polly") -> User:
    return with_role(Role.POLICY_ABUSE, username)


def wrangler(username: str = "wren") -> User:
    return with_role(Role.TAG_WRANGLER, username)


def comment_on(work: Work, author: User, text: str = "You write like a dream.") -> Comment:
    """A public comment (made directly, so that no spam rule holds a new account's comment)."""
    comment = Comment.objects.create(
        work=work, user=author, body_source=text, body=f"<p>{text}</p>", body_format="plain"
    )
    bump_counts(work.pk, comments=1)
    return comment


def bookmark_of(work: Work, owner: User, notes: str = "<p>A favourite.</p>") -> Bookmark:
    return Bookmark.objects.create(work=work, user=owner, notes=notes, tags=["comfort"])


def report_by(
    user: User, kind: str, target_id: int, reason: str = "spam", text: str = ""
) -> Report:
    return reports.report(user, kind, target_id, reason, text)
