"""Scheduled releases: a draft work or draft chapter that posts itself at a set time.

One `ScheduledRelease` row per scheduled item: the work (chapter empty) or one of its chapters,
the time, who scheduled it (the spam check and the standing rules read that account when it
posts), and, for a chapter, whether it posts silently (no subscriber notice, no bump of the
work's updated date). The background upkeep (`works.actions.scheduling.post_due`) posts what is
due, in order, and deletes the row in the same transaction: nothing posts twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

if TYPE_CHECKING:
    from ficarchive.works.models import Chapter, Work


class ScheduledReleaseQuerySet(models.QuerySet["ScheduledRelease"]):
    def due(self, now: object = None) -> ScheduledReleaseQuerySet:
        """Due at NOW (default: now), oldest first; a work before its chapters at one time."""
        return self.filter(post_at__lte=now or timezone.now()).order_by(
            "post_at", models.F("chapter__position").asc(nulls_first=True), "id"
        )

    def of(self, work: Work, chapter: Chapter | None = None) -> ScheduledRelease | None:
        """The schedule of WORK itself (CHAPTER None) or of one of its chapters, if any."""
        return self.filter(work=work, chapter=chapter).first()


class ScheduledRelease(models.Model):
    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="releases")
    chapter = models.OneToOneField(
        "works.Chapter",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="release",
    )
    post_at = models.DateTimeField(db_index=True)
    silent = models.BooleanField(default=False)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScheduledReleaseQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["work"], condition=Q(chapter__isnull=True), name="one_release_per_work"
            ),
        ]

    def __str__(self) -> str:
        what = f"chapter {self.chapter_id}" if self.chapter_id else f"work {self.work_id}"
        return f"{what} at {self.post_at:%Y-%m-%d %H:%M}"
