"""Who is asked to act on content in the content-action tests, by name."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from ficarchive.accounts.models import User
from ficarchive.moderation.models import AuditEntry, Role
from tests.moderation.holders import holder

# Those refused every action on others' content: a guest, an ordinary reader, the work's own
# author acting without a role, a tag wrangler (tags.wrangle only) and support (handle_reports).
REFUSED = ["guest", "reader", "author", "wrangler", "support"]


def refused_user(name: str, *, reader: User, author: User) -> User | AnonymousUser:
    if name == "guest":
        return AnonymousUser()
    if name == "reader":
        return reader
    if name == "author":
        return author
    return holder(Role.TAG_WRANGLER if name == "wrangler" else Role.SUPPORT)


def polly() -> User:
    """A policy & abuse moderator."""
    return holder(Role.POLICY_ABUSE)


def entries(verb: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(verb=verb).order_by("id"))
