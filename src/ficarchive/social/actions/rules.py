"""Who may answer a work: shared checks for the social actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from ficarchive.accounts.models import Block
from ficarchive.works.models import Creatorship, Work

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User

    AnyUser = User | AnonymousUser


def creator_ids(work: Work) -> set[int]:
    """The accounts that made the work (accepted creators)."""
    return set(
        Creatorship.objects.filter(work=work, accepted=True).values_list(
            "pseud__user_id", flat=True
        )
    )


def require_readable(user: AnyUser, work: Work) -> None:
    """The work is posted and this reader may open it."""
    if work.is_draft or not work.is_visible_to(user):
        raise PermissionDenied("You cannot see this work.")


def require_not_blocked(user: AnyUser, by: set[int], what: str) -> None:
    if Block.objects.blocking(user, by):
        raise PermissionDenied(f"You cannot {what}: you are blocked.")
