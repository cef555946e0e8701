"""The comment limit for new accounts: AO3's 3 comments per 15 minutes.

An account younger than `COMMENT_LIMIT_ACCOUNT_DAYS`, or with fewer than
`COMMENT_LIMIT_COMMENTS` public comments, may post at most `COMMENT_LIMIT` comments (and
replies) per `COMMENT_LIMIT_WINDOW` seconds. They are counted in the cache every process shares
(`ficarchive.ratelimit`), so the limit is the same however many server processes answer. Guests
have their own limit per address (`GUEST_COMMENT_LIMIT`, in `social.actions.comments`).
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from ficarchive.ratelimit import count_hit

if TYPE_CHECKING:
    from ficarchive.accounts.models import User


class CommentLimitReached(ValidationError):
    """A new account has posted its comments for now; RETRY_AFTER seconds until it may again."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, code="comment_limit")
        self.retry_after = retry_after


def limit_key(user_id: int) -> str:
    return f"comments:user:{user_id}"


def is_limited(user: User) -> bool:
    """Whether the account is new or has few public comments (at most one small query)."""
    from ficarchive.social.models import Comment

    if timezone.now() - user.date_joined < timedelta(days=settings.COMMENT_LIMIT_ACCOUNT_DAYS):
        return True
    enough = settings.COMMENT_LIMIT_COMMENTS
    return Comment.objects.filter(user_id=user.pk).public().values("pk")[:enough].count() < enough


def _wait(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def count_comment(user: User) -> None:
    """Count one comment of USER, or raise CommentLimitReached saying when they may comment
    again. Established accounts are not counted."""
    if not is_limited(user):
        return
    limit, window = settings.COMMENT_LIMIT, settings.COMMENT_LIMIT_WINDOW
    hit = count_hit(limit_key(user.pk), limit=limit, window=window)
    if hit.allowed:
        return
    again = timezone.now() + timedelta(seconds=hit.retry_after)
    raise CommentLimitReached(
        f"New accounts may post {limit} comments every {_wait(window)}. You may comment again "
        f"in {_wait(hit.retry_after)} (at {again:%H:%M} UTC).",
        hit.retry_after,
    )
