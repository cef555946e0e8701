"""Subscriptions ("alerts") to a work, a series or a creator."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from ficarchive.works.models import Chapter, Creatorship, Series, SeriesPart, Work, WorkQuerySet

if TYPE_CHECKING:
    from ficarchive.accounts.models import User


class SubscriptionQuerySet(models.QuerySet["Subscription"]):
    def to_work(self, work: Work) -> SubscriptionQuerySet:
        return self.filter(work=work)

    def of_user(self, user: User) -> SubscriptionQuerySet:
        return self.filter(user=user)

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


# What a subscriber's updates are, for their private feed: each list holds only works the
# subscriber may see in listings (posted, not hidden, not by muted creators), newest first.


def followed_chapters(user: User) -> QuerySet[Chapter]:
    """Posted chapters of the works USER follows; each carries `number` (its place among the
    work's posted chapters) and its work with blurb data."""
    followed = Subscription.objects.of_user(user).filter(work__isnull=False).values("work_id")
    works = Work.objects.listed_for(user).filter(id__in=followed).order_by().values("id")
    earlier = (
        Chapter.objects.filter(
            work_id=OuterRef("work_id"), is_draft=False, position__lte=OuterRef("position")
        )
        .order_by()
        .values("work_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Chapter.objects.filter(work_id__in=works, is_draft=False, published_at__isnull=False)
        .annotate(number=Subquery(earlier))
        .defer("body", "body_source")
        .prefetch_related(Prefetch("work", queryset=Work.objects.with_blurb_data()))
        .order_by("-published_at", "-id")
    )


def followed_creators_works(user: User) -> WorkQuerySet:
    """Works by the creators USER follows, newest first."""
    followed = Subscription.objects.of_user(user).filter(creator__isnull=False)
    made = Creatorship.objects.filter(
        pseud__user__in=followed.values("creator_id"), accepted=True
    ).values("work_id")
    return (
        Work.objects.listed_for(user)
        .filter(id__in=made, published_at__isnull=False)
        .order_by("-published_at", "-id")
    )


def followed_series_parts(user: User) -> QuerySet[SeriesPart]:
    """Parts of the series USER follows, newest work first, with series and work blurb data."""
    followed = Subscription.objects.of_user(user).filter(series__isnull=False).values("series_id")
    works = Work.objects.listed_for(user).filter(published_at__isnull=False)
    return (
        SeriesPart.objects.filter(series_id__in=followed, work_id__in=works.order_by().values("id"))
        .select_related("series")
        .prefetch_related(Prefetch("work", queryset=Work.objects.with_blurb_data()))
        .order_by("-work__published_at", "-id")
    )
