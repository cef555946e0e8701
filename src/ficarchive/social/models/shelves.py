"""Shelves: a reader's private, named, ordered lists of works ("to re-read", "for my sister"),
kept beside their bookmarks and downloadable as one book.

Nobody but their reader sees a shelf. A work stays on a shelf when it is hidden, restricted or
taken down; the shelf then shows it as a work the reader can no longer open and its download
leaves it out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import Lower
from django.urls import reverse

from ficarchive.works.models import Work, WorkQuerySet

if TYPE_CHECKING:
    from ficarchive.accounts.models import User


class ShelfQuerySet(models.QuerySet["Shelf"]):
    def of_user(self, user: User) -> ShelfQuerySet:
        return self.filter(user=user)

    def in_order(self) -> ShelfQuerySet:
        return self.order_by("position", "id")

    def with_counts(self) -> ShelfQuerySet:
        """Each shelf with `work_count`, the works on it (those its reader can no longer open
        included)."""
        return self.annotate(work_count=Count("entries"))


class Shelf(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shelves"
    )
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, help_text="Plain text.")
    position = models.PositiveIntegerField(default=0, help_text="Its place among its reader's.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ShelfQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint("user", Lower("name"), name="shelf_name_once"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("social:shelf", args=[self.pk])

    def readable_works(self, reader: User) -> WorkQuerySet:
        """The works on the shelf READER (its owner) may still read, in the shelf's order."""
        # The shelf's ids first (its index), so that the archive's other works are never read.
        shelved = ShelfEntry.objects.filter(shelf=self)
        places = shelved.filter(work_id=OuterRef("pk")).values("position")[:1]
        return (
            Work.objects.visible_to(reader)
            .posted()
            .filter(pk__in=shelved.values("work_id"))
            .annotate(shelf_position=models.Subquery(places))
            .order_by("shelf_position", "id")
        )


class ShelfEntryQuerySet(models.QuerySet["ShelfEntry"]):
    def in_order(self) -> ShelfEntryQuerySet:
        return self.order_by("position", "id")

    def shown_to(self, reader: User) -> ShelfEntryQuerySet:
        """Entries with `work_shown`: whether READER may still open the work."""
        readable = Work.objects.visible_to(reader).posted().filter(pk=OuterRef("work_id"))
        return self.select_related("work").annotate(work_shown=Exists(readable))


class ShelfEntry(models.Model):
    shelf = models.ForeignKey(Shelf, on_delete=models.CASCADE, related_name="entries")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="shelf_entries")
    position = models.PositiveIntegerField(help_text="Its place on the shelf, from 1.")
    added_at = models.DateTimeField(auto_now_add=True)

    objects = ShelfEntryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shelf", "work"], name="shelf_entry_once"),
        ]

    def __str__(self) -> str:
        return f"{self.work_id} on shelf {self.shelf_id}"
