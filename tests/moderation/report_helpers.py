"""Reports and cases for the report and queue tests: accounts holding a role, things to report."""

from __future__ import annotations

from ficarchive.accounts.models import User
from ficarchive.moderation.actions import reports
from ficarchive.moderation.models import Report, Role
from ficarchive.social.models import Bookmark, Comment, bump_counts
from ficarchive.works.models import Work
from tests.moderation.holders import holder


def with_role(role: Role, username: str) -> User:
    return holder(role, username)


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
