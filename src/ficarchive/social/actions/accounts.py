from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, Q

from ficarchive.social.models import Bookmark, Kudos, Subscription, bump_counts

if TYPE_CHECKING:
    from ficarchive.accounts.models import User


@transaction.atomic
def forget_account(user: User) -> None:
    """Before an account is deleted: keep the works' counts exact.

    Its kudos stay as a guest's (counted, no longer named); its public bookmarks and its work
    subscriptions go with it and leave the counts. Its comments stay, by "Deleted account".
    """
    Kudos.objects.filter(user=user).update(user=None, guest_token=f"deleted-account-{user.pk}")
    public = Bookmark.objects.filter(
        user=user, work__isnull=False, is_private=False, is_hidden=False
    )
    for row in public.values("work_id").annotate(n=Count("id")):
        bump_counts(row["work_id"], bookmarks=-row["n"])
    followed = Subscription.objects.filter(Q(user=user) & Q(work__isnull=False))
    for work_id in followed.values_list("work_id", flat=True):
        bump_counts(work_id, subscriptions=-1)
