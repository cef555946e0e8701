"""Writes of the exporting app: making and revoking a reader's feed token."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ficarchive.exporting.models import FeedToken

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User

TOKEN_BYTES = 24


def _require_reader(user: User | AnonymousUser) -> None:
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Log in to manage your feed token.")


@transaction.atomic
def create_feed_token(user: User) -> FeedToken:
    """A new token for USER; the one they had before stops working."""
    _require_reader(user)
    FeedToken.objects.of(user).filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    return FeedToken.objects.create(user=user, token=secrets.token_urlsafe(TOKEN_BYTES))


@transaction.atomic
def revoke_feed_token(user: User) -> None:
    """Stop USER's token from working; apps that use it get nothing more."""
    _require_reader(user)
    revoked = (
        FeedToken.objects.of(user).filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    )
    if not revoked:
        raise ValidationError("You have no feed token to revoke.")


@transaction.atomic
def revoke_feed_tokens_of(user: User) -> list[int]:
    """Revoke USER's feed token (a ban: moderation checks who asks); returns the ids revoked.
    An unban does not bring it back: the reader makes a new one."""
    live = FeedToken.objects.of(user).filter(revoked_at__isnull=True)
    ids = sorted(live.values_list("pk", flat=True))
    FeedToken.objects.filter(pk__in=ids).update(revoked_at=timezone.now())
    return ids
