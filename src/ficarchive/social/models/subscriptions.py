"""Subscriptions ("alerts") to a work, a series or a creator."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ficarchive.works.models import Series, Work


class SubscriptionQuerySet(models.QuerySet["Subscription"]):
    def to_work(self, work: Work) -> SubscriptionQuerySet:
        return self.filter(work=work)

    def for_listing(self) -> SubscriptionQuerySet:
        return self.select_related("work", "series", "creator").order_by("-created_at", "-id")


class Subscription(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscribers",
    )
    email = models.BooleanField("Also send me an email", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "work"], condition=Q(work__isnull=False), name="subscribe_work_once"
            ),
            models.UniqueConstraint(
                fields=["user", "series"],
                condition=Q(series__isnull=False),
                name="subscribe_series_once",
            ),
            models.UniqueConstraint(
                fields=["user", "creator"],
                condition=Q(creator__isnull=False),
                name="subscribe_creator_once",
            ),
            models.CheckConstraint(
                condition=Q(work__isnull=False, series__isnull=True, creator__isnull=True)
                | Q(work__isnull=True, series__isnull=False, creator__isnull=True)
                | Q(work__isnull=True, series__isnull=True, creator__isnull=False),
                name="subscribe_to_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.target}"

    @property
    def target(self) -> object:
        return self.work or self.series or self.creator
