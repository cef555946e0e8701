from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F

from ficarchive.social.models import InboxItem

if TYPE_CHECKING:
    from ficarchive.accounts.models import User


def notify(user_ids: Iterable[int], kind: str, **about: Any) -> list[InboxItem]:
    """Put one inbox item per account; `about` names the work, chapter, comment, actor...

    Each account's unread count (shown in the navigation without a query) goes up by one.
    """
    ids = sorted(set(user_ids))
    if not ids:
        return []
    with transaction.atomic():
        items = InboxItem.objects.bulk_create(
            InboxItem(user_id=user_id, kind=kind, **about) for user_id in ids
        )
        get_user_model().objects.filter(pk__in=ids).update(unread_inbox=F("unread_inbox") + 1)
    return items


def notify_works(found: Iterable[tuple[int, int, str]], kind: str) -> list[InboxItem]:
    """One inbox item per (account, work, text) in FOUND, in one insert; each account's unread
    count goes up by its items (one update per account)."""
    wanted = list(found)
    if not wanted:
        return []
    counts: dict[int, int] = {}
    for user_id, _work_id, _text in wanted:
        counts[user_id] = counts.get(user_id, 0) + 1
    with transaction.atomic():
        items = InboxItem.objects.bulk_create(
            InboxItem(user_id=user_id, kind=kind, work_id=work_id, text=text)
            for user_id, work_id, text in wanted
        )
        users = get_user_model().objects
        for user_id, count in sorted(counts.items()):
            users.filter(pk=user_id).update(unread_inbox=F("unread_inbox") + count)
    return items


def recount_unread(user: User) -> int:
    """Set the user's unread count from their inbox (items may go with deleted works)."""
    count = InboxItem.objects.of(user).unread().count()
    if count != user.unread_inbox:
        get_user_model().objects.filter(pk=user.pk).update(unread_inbox=count)
        user.unread_inbox = count
    return count


@transaction.atomic
def mark_inbox_items(user: User, item_ids: Sequence[int], *, read: bool = True) -> int:
    """Mark some of the user's own inbox items read (or unread); others' items are untouched."""
    changed = InboxItem.objects.of(user).filter(pk__in=item_ids).update(is_read=read)
    recount_unread(user)
    return changed


@transaction.atomic
def delete_inbox_items(user: User, item_ids: Sequence[int]) -> int:
    deleted, _ = InboxItem.objects.of(user).filter(pk__in=item_ids).delete()
    recount_unread(user)
    return deleted
