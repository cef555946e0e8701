"""Series: works that belong together, in order (this app's models too, re-exported by
`works.models`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ficarchive.accounts.models import Pseud

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User
    from ficarchive.works.models import WorkQuerySet

    AnyUser = User | AnonymousUser


def _works() -> WorkQuerySet:
    """Every work (works.models imports this module, so Work is read when called)."""
    from ficarchive.works.models import Work

    return Work.objects.all()


class SeriesQuerySet(models.QuerySet["Series"]):
    def by_user(self, user: AnyUser) -> SeriesQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(creators__user=user).distinct()

    def visible_to(self, user: AnyUser) -> SeriesQuerySet:
        """Series with a part this user may read, and the user's own (even while empty)."""
        return self._with_a_part_in(_works().visible_to(user).posted(), user)

    def public(self) -> SeriesQuerySet:
        """Series with a part in `_works().public()`: the sitemap's."""
        parts = SeriesPart.objects.filter(work__in=_works().public())
        return self.filter(id__in=parts.values("series_id"))

    def listed_for(self, user: AnyUser) -> SeriesQuerySet:
        """Series for listings: with a part listed for this reader (standing filters applied),
        and the reader's own."""
        return self._with_a_part_in(_works().listed_for(user).order_by(), user)

    def _with_a_part_in(self, works: WorkQuerySet, user: AnyUser) -> SeriesQuerySet:
        rule = Q(
            id__in=SeriesPart.objects.filter(work_id__in=works.values("id")).values("series_id")
        )
        if user.is_authenticated:
            rule |= Q(
                id__in=Series.creators.through.objects.filter(pseud__user=user).values("series_id")
            )
        return self.filter(rule)


class Series(models.Model):
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    is_complete = models.BooleanField(default=False)
    creators = models.ManyToManyField(Pseud, related_name="series")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "series"
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("works:series", args=[self.pk])

    def is_editable_by(self, user: AnyUser) -> bool:
        return bool(user.is_authenticated and self.creators.filter(user=user).exists())

    def parts_visible_to(self, user: AnyUser) -> models.QuerySet[SeriesPart]:
        visible = _works().visible_to(user).posted()
        return self.parts.filter(work__in=visible).select_related("work").order_by("position")

    def parts_listed_for(self, user: AnyUser) -> models.QuerySet[SeriesPart]:
        """The parts a series page lists: visible ones the reader's standing filters keep."""
        from ficarchive.accounts.filters import hidden_work_ids

        parts = self.parts_visible_to(user)
        hidden = hidden_work_ids(user)
        return parts if hidden is None else parts.exclude(work_id__in=hidden)


class SeriesPart(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="parts")
    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="series_parts")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["series", "position"]
        constraints = [
            models.UniqueConstraint(fields=["series", "work"], name="series_part_unique"),
        ]

    def __str__(self) -> str:
        return f"Part {self.position} of {self.series}"
