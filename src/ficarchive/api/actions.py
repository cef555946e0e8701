"""Writes of the API app: making and revoking personal access tokens."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ficarchive.api.models import KEY_PREFIX, PREFIX_LENGTH, AccessToken, Scope, hash_key

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User

KEY_BYTES = 32
MAX_ACTIVE_TOKENS = 20
MAX_NAME = 100
# How often `last_used_at` is written at most: one write per token per minute, not per request.
LAST_USED_EVERY = timedelta(minutes=1)


def _require_account(user: User | AnonymousUser) -> None:
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Log in to manage your access tokens.")


@transaction.atomic
def create_access_token(user: User, name: str, scope: str) -> tuple[AccessToken, str]:
    """A new token for USER; returns it and its key, which is never shown again."""
    _require_account(user)
    name = name.strip()
    errors: dict[str, list[str]] = {}
    if not name or len(name) > MAX_NAME:
        errors["name"] = [f"Name the token (1 to {MAX_NAME} characters), e.g. the app's name."]
    if scope not in Scope.values:
        errors["scope"] = [f"{scope!r} is not a scope; choose read or write."]
    if AccessToken.objects.active().of(user).count() >= MAX_ACTIVE_TOKENS:
        errors.setdefault("name", []).append(
            f"You have {MAX_ACTIVE_TOKENS} tokens; revoke one you no longer use first."
        )
    if errors:
        raise ValidationError(errors)
    key = KEY_PREFIX + secrets.token_urlsafe(KEY_BYTES)
    token = AccessToken.objects.create(
        user=user, name=name, scope=scope, prefix=key[:PREFIX_LENGTH], key_hash=hash_key(key)
    )
    return token, key


@transaction.atomic
def revoke_access_token(user: User, token: AccessToken) -> AccessToken:
    """Stop the token from working; apps that use it get a 401 from then on."""
    _require_account(user)
    if token.user_id != user.pk:
        raise PermissionDenied("This token is not yours.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def note_token_use(token: AccessToken) -> None:
    """Remember when the token was last used (at most one write a minute)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
