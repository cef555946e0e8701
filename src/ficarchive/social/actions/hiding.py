"""Hiding everything one account wrote on the social side (a spam-ban), and showing it again.

Moderation checks who asks; these only write, keep the works' counters right, and return the ids
they changed, so that an unban restores exactly those and nothing hidden for another reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction

from ficarchive.social.models import Bookmark, Comment, CommentStatus, bump_counts

if TYPE_CHECKING:
    from ficarchive.accounts.models import User


def _bump(counter: Counter[int], name: str, sign: int) -> None:
    for work_id, count in sorted(counter.items()):
        bump_counts(work_id, **{name: sign * count})


@transaction.atomic
def hide_social_of(user: User) -> dict[str, list[int]]:
    """Hide USER's shown comments and bookmarks; returns {"comments": ids, "bookmarks": ids}."""
    comments = Comment.objects.filter(user=user, is_hidden=False, is_deleted=False)
    comment_ids = sorted(comments.values_list("pk", flat=True))
    counted = Counter(
        comments.filter(status=CommentStatus.APPROVED).values_list("work_id", flat=True)
    )
    Comment.objects.filter(pk__in=comment_ids).update(is_hidden=True)
    _bump(counted, "comments", -1)
    bookmarks = Bookmark.objects.filter(user=user, is_hidden=False)
    bookmark_ids = sorted(bookmarks.values_list("pk", flat=True))
    counted = Counter(
        bookmarks.filter(work__isnull=False, is_private=False).values_list("work_id", flat=True)
    )
    Bookmark.objects.filter(pk__in=bookmark_ids).update(is_hidden=True)
    _bump(counted, "bookmarks", -1)
    return {"comments": comment_ids, "bookmarks": bookmark_ids}


@transaction.atomic
def show_social(comment_ids: Sequence[int], bookmark_ids: Sequence[int]) -> dict[str, list[int]]:
    """Show again what `hide_social_of` hid (what is still hidden of it); returns the ids."""
    comments = Comment.objects.filter(pk__in=comment_ids, is_hidden=True, is_deleted=False)
    shown_comments = sorted(comments.values_list("pk", flat=True))
    counted = Counter(
        comments.filter(status=CommentStatus.APPROVED).values_list("work_id", flat=True)
    )
    Comment.objects.filter(pk__in=shown_comments).update(is_hidden=False)
    _bump(counted, "comments", 1)
    bookmarks = Bookmark.objects.filter(pk__in=bookmark_ids, is_hidden=True)
    shown_bookmarks = sorted(bookmarks.values_list("pk", flat=True))
    counted = Counter(
        bookmarks.filter(work__isnull=False, is_private=False).values_list("work_id", flat=True)
    )
    Bookmark.objects.filter(pk__in=shown_bookmarks).update(is_hidden=False)
    _bump(counted, "bookmarks", 1)
    return {"comments": shown_comments, "bookmarks": shown_bookmarks}
