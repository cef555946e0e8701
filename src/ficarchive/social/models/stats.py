"""Exact per-work counters, and the same counts per day for the creators' stats chart.

Counters change only through `bump_counts`, inside the transaction of the action that causes
the change, with F() expressions: concurrent clicks add up instead of overwriting each other.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.db.models import F, Sum
from django.utils import timezone

from ficarchive.search.actions import record_change
from ficarchive.works.models import Work

COUNTERS = ("kudos", "comments", "bookmarks", "hits", "subscriptions")


class WorkStats(models.Model):
    work = models.OneToOneField(
        Work, primary_key=True, on_delete=models.CASCADE, related_name="stats"
    )
    kudos = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    bookmarks = models.PositiveIntegerField(default=0)
    hits = models.PositiveIntegerField(default=0)
    subscriptions = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "work stats"

    def __str__(self) -> str:
        return f"stats of work {self.work_id}"


class WorkDay(models.Model):
    """What happened to a work on one day (UTC); removals count as negative."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="daily_stats")
    day = models.DateField()
    kudos = models.IntegerField(default=0)
    comments = models.IntegerField(default=0)
    bookmarks = models.IntegerField(default=0)
    hits = models.IntegerField(default=0)
    subscriptions = models.IntegerField(default=0)

    class Meta:
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["work", "day"], name="work_day_unique")]

    def __str__(self) -> str:
        return f"work {self.work_id} on {self.day}"


def bump_counts(work_id: int, **deltas: int) -> None:
    """Add to a work's counters (`bump_counts(work.pk, kudos=1)`) and to today's row."""
    deltas = {name: delta for name, delta in deltas.items() if delta}
    if not deltas:
        return
    unknown = set(deltas) - set(COUNTERS)
    if unknown:
        raise ValueError(f"unknown counters: {sorted(unknown)}")
    record_change([work_id], text=False)  # numbers only: the work's text document stays
    today = timezone.now().date()
    WorkStats.objects.bulk_create([WorkStats(work_id=work_id)], ignore_conflicts=True)
    WorkStats.objects.filter(work_id=work_id).update(
        **{name: F(name) + delta for name, delta in deltas.items()}
    )
    WorkDay.objects.bulk_create([WorkDay(work_id=work_id, day=today)], ignore_conflicts=True)
    WorkDay.objects.filter(work_id=work_id, day=today).update(
        **{name: F(name) + delta for name, delta in deltas.items()}
    )


def daily_totals(work_ids: list[int], first: date, last: date) -> dict[date, dict[str, int]]:
    """Each day's counts from `first` to `last`, summed over the works (days without rows: 0)."""
    rows = (
        WorkDay.objects.filter(work_id__in=work_ids, day__gte=first, day__lte=last)
        .values("day")
        .annotate(**{name: Sum(name) for name in COUNTERS})
    )
    by_day = {row["day"]: row for row in rows}
    days: dict[date, dict[str, int]] = {}
    current = first
    while current <= last:
        row = by_day.get(current, {})
        days[current] = {name: int(row.get(name) or 0) for name in COUNTERS}
        current += timedelta(days=1)
    return days
