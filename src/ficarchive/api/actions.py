"""Writes of the API app: making and revoking personal access tokens, and their last use.

A request with a token never writes to the database: its use is noted in the cache (shared by
every process) and the upkeep task writes the notes in one batch (`write_token_uses`).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from ficarchive.api.models import KEY_PREFIX, PREFIX_LENGTH, AccessToken, Scope, hash_key

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User

KEY_BYTES = 32
MAX_ACTIVE_TOKENS = 20
MAX_NAME = 100
# A token's use is noted at most once in this many seconds (its last use is that precise).
LAST_USED_EVERY = 60
USES_KEPT = 7 * 24 * 3600  # notes not written within a week are dropped
MAX_USES_WRITTEN = 10_000  # notes written by one batch


def _require_account(user: User | AnonymousUser) -> None:
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(gettext("Log in to manage your access tokens."))


@transaction.atomic
def create_access_token(user: User, name: str, scope: str) -> tuple[AccessToken, str]:
    """A new token for USER; returns it and its key, which is never shown again."""
    _require_account(user)
    name = name.strip()
    errors: dict[str, list[str]] = {}
    if not name or len(name) > MAX_NAME:
        errors["name"] = [
            gettext("Name the token (1 to %(most)s characters), e.g. the app's name.")
            % {"most": MAX_NAME}
        ]
    if scope not in Scope.values:
        errors["scope"] = [
            gettext("%(scope)s is not a scope; choose read or write.") % {"scope": repr(scope)}
        ]
    if AccessToken.objects.active().of(user).count() >= MAX_ACTIVE_TOKENS:
        errors.setdefault("name", []).append(
            gettext("You have %(count)s tokens; revoke one you no longer use first.")
            % {"count": MAX_ACTIVE_TOKENS}
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
        raise PermissionDenied(gettext("This token is not yours."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


@transaction.atomic
def revoke_tokens_of(user: User) -> list[int]:
    """Revoke every token USER still has (a ban: moderation checks who asks); returns their
    ids. An unban does not bring them back: the user makes new ones."""
    live = AccessToken.objects.of(user).filter(revoked_at__isnull=True)
    ids = sorted(live.values_list("pk", flat=True))
    AccessToken.objects.filter(pk__in=ids).update(revoked_at=timezone.now())
    return ids


def note_token_use(token: AccessToken) -> None:
    """Remember in the cache that the token was used now (once a minute at most; no write)."""
    if not cache.add(f"api:token-seen:{token.pk}", 1, LAST_USED_EVERY):
        return
    cache.add("api:token-uses:seq", 0, None)
    try:
        number = cache.incr("api:token-uses:seq")
    except ValueError:  # evicted between add and incr: start again above what was written
        cache.add("api:token-uses:seq", int(cache.get("api:token-uses:written", 0)), None)
        number = cache.incr("api:token-uses:seq")
    cache.set(f"api:token-uses:{number}", (token.pk, timezone.now().timestamp()), USES_KEPT)


def write_token_uses() -> int:
    """Write the tokens' last uses noted in the cache to the database, in one transaction.

    A last use only moves forward. The notes leave the cache once written, so a failed write
    (a locked or read-only database) leaves them for the next batch. Returns how many tokens.
    """
    written = int(cache.get("api:token-uses:written", 0))
    upto = min(int(cache.get("api:token-uses:seq", 0)), written + MAX_USES_WRITTEN)
    keys = [f"api:token-uses:{number}" for number in range(written + 1, upto + 1)]
    last: dict[int, float] = {}
    for token_id, at in cache.get_many(keys).values():
        last[token_id] = max(at, last.get(token_id, at))
    with transaction.atomic():
        for token_id, at in sorted(last.items()):
            when = datetime.fromtimestamp(at, UTC)
            AccessToken.objects.filter(
                Q(last_used_at__isnull=True) | Q(last_used_at__lt=when), pk=token_id
            ).update(last_used_at=when)
    cache.set("api:token-uses:written", upto, None)
    cache.delete_many(keys)
    return len(last)
