"""Feed tokens: a secret in a feed's address that stands for a reader who cannot log in.

E-reader apps and feed readers rarely keep a session. A reader makes a token on the feeds page
and adds the personal catalog or feed address (which holds it) to an app; revoking the token
locks every app that has it out at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from ficarchive.accounts.models import User


class FeedTokenQuerySet(models.QuerySet["FeedToken"]):
    def active(self) -> FeedTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)

    def of(self, user: User) -> FeedTokenQuerySet:
        return self.filter(user=user)


class FeedToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_tokens"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = FeedTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_feed_token_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"Feed token of {self.user}"
