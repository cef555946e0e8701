"""The audit log: every moderation and admin action, written once and never changed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class ReadOnlyEntry(Exception):
    """An audit entry cannot be edited or deleted."""


class AuditEntry(models.Model):
    """Who did what to what, when, why, with the state before and after.

    `verb` is a name such as "hide_work" (the labels live in `moderation.audit`). An undo is a
    new entry whose `undoes` names the entry it undid; the undone entry itself never changes.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    verb = models.CharField(max_length=40, db_index=True)
    target_kind = models.CharField(max_length=16, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target_label = models.CharField(max_length=300, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries_about",
        help_text="The account the action concerns (for its history of cases and actions).",
    )
    case = models.ForeignKey(
        "moderation.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    undoes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="undone_by"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["subject", "-created_at"]),
            models.Index(fields=["target_kind", "target_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.verb} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ReadOnlyEntry("The audit log is never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ReadOnlyEntry("The audit log is never edited.")
