"""Spam checks: every comment, work, profile text and guest comment is scored before it shows.

A check above the threshold is held; a moderator's "spam" or "not spam" decides it, and the
decided checks (their `text` and `state`) are what the classifier learns from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SpamState(models.TextChoices):
    PASSED = "passed", _("Passed (below the threshold)")
    HELD = "held", _("Held for review")
    SPAM = "spam", _("Spam")
    HAM = "ham", _("Not spam")


class SpamCheckQuerySet(models.QuerySet["SpamCheck"]):
    def held(self) -> SpamCheckQuerySet:
        """Checks waiting for a moderator's decision, oldest first (the spam queue)."""
        return self.filter(state=SpamState.HELD).order_by("created_at", "id")

    def decided(self) -> SpamCheckQuerySet:
        """Checks a moderator decided ("spam" or "not spam"): what the classifier learns from."""
        return self.filter(state__in=[SpamState.SPAM, SpamState.HAM])


class SpamCheck(models.Model):
    target_kind = models.CharField(max_length=16)
    target_id = models.PositiveBigIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_address = models.CharField(max_length=64, blank=True, help_text="Guests', hashed.")
    text = models.TextField(help_text="What was scored (plain text), kept to learn from.")
    score = models.FloatField()
    reasons = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=16, choices=SpamState.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SpamCheckQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["state", "created_at"]),
            models.Index(fields=["target_kind", "target_id"]),
            models.Index(fields=["author", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"spam check of {self.target_kind} {self.target_id}: {self.state}"
