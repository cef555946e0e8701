"""Readings: a reader's history (unless they opt out), the works they marked for later, and
their place in each work: the chapter and the paragraph in view (`Reading.chapter`,
`paragraph`, set by the chapter page's script, the API and e-readers), and which chapters they
read to the end (`ChapterRead`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

from ficarchive.works.models import Chapter, Work, WorkQuerySet

if TYPE_CHECKING:
    from ficarchive.accounts.models import User


class ReadingQuerySet(models.QuerySet["Reading"]):
    def history(self) -> ReadingQuerySet:
        return self.filter(viewed_at__isnull=False).order_by("-viewed_at", "-id")

    def later(self) -> ReadingQuerySet:
        return self.filter(is_later=True).order_by("-updated_at", "-id")


class Reading(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="readings"
    )
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="readings")
    chapter = models.ForeignKey(
        Chapter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    viewed_at = models.DateTimeField(null=True, blank=True)
    visits = models.PositiveIntegerField(default=0)
    is_later = models.BooleanField(default=False)
    # The place in the work: `chapter` and the paragraph in view in it (1 = the first block of
    # the chapter's text, 0 = its start), as of `position_at`.
    paragraph = models.PositiveIntegerField(default=0)
    position_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReadingQuerySet.as_manager()

    class Meta:
        ordering = ["-viewed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "work"], name="reading_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.work_id}"


class ChapterRead(models.Model):
    """A chapter its reader reached the end of (or marked read)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "chapter"], name="chapter_read_unique")
        ]
        indexes = [models.Index(fields=["user", "work"])]

    def __str__(self) -> str:
        return f"{self.user_id} read chapter {self.chapter_id}"


def readings_of(user: User, *, later: bool) -> ReadingQuerySet:
    """The user's history (or later list) of works they may still see, with blurb data."""
    found = Reading.objects.filter(user=user)
    found = found.later() if later else found.history()
    visible = Work.objects.visible_to(user).posted().values("id")
    return (
        found.filter(work_id__in=visible)
        .select_related("chapter")
        .prefetch_related(models.Prefetch("work", queryset=Work.objects.with_blurb_data()))
    )


def later_works(user: User) -> WorkQuerySet:
    """The works USER marked for later and may still read, most recently marked first; each
    carries `marked_at`."""
    marks = Reading.objects.filter(user=user, is_later=True, work_id=models.OuterRef("pk"))
    return (
        Work.objects.visible_to(user)
        .posted()
        .annotate(marked_at=models.Subquery(marks.order_by().values("updated_at")[:1]))
        .filter(marked_at__isnull=False)
        .order_by("-marked_at", "-id")
    )
