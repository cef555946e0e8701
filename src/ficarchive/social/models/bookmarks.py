"""Bookmarks: a reader saves a work or a series with notes, their own tags, private or public."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery

from ficarchive.works.models import Series, Work, WorkQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User


UNAVAILABLE_WORK = "A work you can no longer open"
UNAVAILABLE_SERIES = "A series you can no longer open"


class BookmarkQuerySet(models.QuerySet["Bookmark"]):
    def shown_to(self, user: User | AnonymousUser) -> BookmarkQuerySet:
        """Bookmarks this reader may see: public ones of things they may see, and their own."""
        visible_works = Work.objects.visible_to(user).posted().values("id")
        visible_series = Series.objects.visible_to(user).values("id")
        rule = Q(is_private=False, is_hidden=False) & (
            Q(work_id__in=visible_works) | Q(work__isnull=True, series_id__in=visible_series)
        )
        if user.is_authenticated:
            # A reader's own bookmarks stay listed when the work is hidden or unposted, but
            # `target_shown` is then false, and the title, link and summary are not shown.
            rule |= Q(user_id=user.pk)
        shown = Exists(
            Work.objects.visible_to(user).posted().filter(pk=OuterRef("work_id"))
        ) | Exists(Series.objects.visible_to(user).filter(pk=OuterRef("series_id")))
        return self.filter(rule).annotate(target_shown=shown)

    def of_user(self, user: User) -> BookmarkQuerySet:
        return self.filter(user=user)

    def for_listing(self) -> BookmarkQuerySet:
        return self.select_related("user", "work", "series").order_by("-updated_at", "-id")


class Bookmark(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.CASCADE, related_name="bookmarks"
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.CASCADE, related_name="bookmarks"
    )
    notes = models.TextField(blank=True, help_text="Sanitized HTML.")
    tags = models.JSONField(default=list, blank=True)
    is_private = models.BooleanField(default=False)
    is_rec = models.BooleanField(default=False)
    is_hidden = models.BooleanField(
        default=False, editable=False, help_text="Hidden by a moderator: shown to its owner only."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BookmarkQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "work"], condition=Q(work__isnull=False), name="bookmark_work_once"
            ),
            models.UniqueConstraint(
                fields=["user", "series"],
                condition=Q(series__isnull=False),
                name="bookmark_series_once",
            ),
            models.CheckConstraint(
                condition=Q(work__isnull=False, series__isnull=True)
                | Q(work__isnull=True, series__isnull=False),
                name="bookmark_work_or_series",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}'s bookmark of {self.target}"

    @property
    def target(self) -> Work | Series:
        target = self.work or self.series
        assert target is not None
        return target

    def is_visible_to(self, user: User | AnonymousUser) -> bool:
        return Bookmark.objects.shown_to(user).filter(pk=self.pk).exists()

    @property
    def shown_title(self) -> str:
        """The title as the reader may see it: only when the bookmark came through `shown_to`
        and the reader may still open the work or series."""
        if getattr(self, "target_shown", False):
            return self.target.title
        return UNAVAILABLE_SERIES if self.series_id else UNAVAILABLE_WORK


def bookmarked_works(user: User) -> WorkQuerySet:
    """The works USER bookmarked (privately or not) and may still read, most recently bookmarked
    first; each carries `bookmarked_at`."""
    marks = Bookmark.objects.of_user(user).filter(work_id=OuterRef("pk")).order_by()
    return (
        Work.objects.visible_to(user)
        .posted()
        .annotate(bookmarked_at=Subquery(marks.values("updated_at")[:1]))
        .filter(bookmarked_at__isnull=False)
        .order_by("-bookmarked_at", "-id")
    )
