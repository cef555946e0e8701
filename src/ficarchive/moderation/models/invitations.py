"""Invitations as AO3 runs them: a queue of requests, invitations sent in batches by the
worker or given to users to share, and addresses that may not sign up at all."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet

if TYPE_CHECKING:
    from ficarchive.accounts.models import User


class InvitationRequest(models.Model):
    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self) -> str:
        return f"invitation request from {self.email}"


class Invitation(models.Model):
    """One use of sign-up. `key_hash` is the SHA-256 of the code in the link; the code itself
    is only ever in the email (or shown once to the user who shares it)."""

    key_hash = models.CharField(max_length=64, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
        help_text="The user given it to share; empty for the queue's.",
    )
    request = models.OneToOneField(
        InvitationRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_to = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    used_by = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invited_by",
    )
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"invitation {self.pk}"


class BannedAddress(models.Model):
    """An email address ("someone@example.com") or a whole domain ("example.com"), lower-case,
    refused at invitation request, sign-up and email change."""

    pattern = models.CharField(max_length=254, unique=True)
    reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pattern"]
        verbose_name_plural = "banned addresses"

    def __str__(self) -> str:
        return self.pattern

    def accounts(self) -> QuerySet[User]:
        """The existing accounts whose email the ban covers (a ban refuses new uses only; these
        are for a moderator to look at)."""
        from ficarchive.accounts.models import User

        if "@" in self.pattern:
            return User.objects.filter(email__iexact=self.pattern)
        return User.objects.filter(
            Q(email__iendswith=f"@{self.pattern}") | Q(email__iendswith=f".{self.pattern}")
        )
