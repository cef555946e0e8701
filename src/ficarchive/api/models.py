"""Personal access tokens: a key an app sends as `Authorization: Bearer <key>`.

Only a SHA-256 of the key is stored; the key is shown once, when it is made. Its first
characters (`prefix`) are kept in clear to find the row and to let the owner tell tokens apart.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from ficarchive.accounts.models import User

KEY_PREFIX = "fa_"
PREFIX_LENGTH = 12  # "fa_" and 9 characters of the random part


class Scope(models.TextChoices):
    READ = "read", pgettext_lazy("token scope", "Read")
    WRITE = "write", _("Read and write")


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class AccessTokenQuerySet(models.QuerySet["AccessToken"]):
    def active(self) -> AccessTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)

    def of(self, user: User) -> AccessTokenQuerySet:
        return self.filter(user=user)

    def for_key(self, key: str) -> AccessToken | None:
        """The active token whose key this is, or None."""
        found = (
            self.active()
            .select_related("user")
            .filter(prefix=key[:PREFIX_LENGTH], key_hash=hash_key(key))
            .first()
        )
        return found


class AccessToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(max_length=PREFIX_LENGTH, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.WRITE

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
