"""Kudos ("favorites"): one per reader per work, from accounts or from guests by a token."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q

from ficarchive.works.models import Work

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User


class KudosQuerySet(models.QuerySet["Kudos"]):
    def on(self, work: Work) -> KudosQuerySet:
        return self.filter(work=work)

    def from_reader(self, user: User | AnonymousUser, guest_token: str = "") -> KudosQuerySet:
        """This reader's kudos: the account's, or the guest token's (nothing for neither)."""
        if user.is_authenticated:
            return self.filter(user_id=user.pk)
        if guest_token:
            return self.filter(user__isnull=True, guest_token=guest_token)
        return self.none()

    def named(self) -> KudosQuerySet:
        """Kudos left by accounts, newest first, with their users."""
        return self.filter(user__isnull=False).select_related("user").order_by("-created_at", "-id")


class Kudos(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="kudos")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kudos",
    )
    guest_token = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = KudosQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "kudos"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "user"], condition=Q(user__isnull=False), name="kudos_once_per_user"
            ),
            models.UniqueConstraint(
                fields=["work", "guest_token"],
                condition=Q(user__isnull=True),
                name="kudos_once_per_guest",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False, guest_token="")
                | Q(user__isnull=True) & ~Q(guest_token=""),
                name="kudos_from_user_or_guest",
            ),
        ]

    def __str__(self) -> str:
        return f"kudos on {self.work_id} from {self.user_id or 'a guest'}"


def favorite_works(person: User, viewer: User | AnonymousUser) -> models.QuerySet[Work]:
    """The works `person` left kudos on that `viewer` may see listed, newest kudos first."""
    given = Kudos.objects.filter(user=person)
    return (
        Work.objects.listed_for(viewer)
        .filter(id__in=given.values("work_id"))
        .annotate(kudos_at=models.Max("kudos__created_at", filter=Q(kudos__user=person)))
        .order_by("-kudos_at", "-id")
        .with_blurb_data()
    )


def favorites_filtered_out(person: User, viewer: User | AnonymousUser) -> int:
    """How many of the works `person` left kudos on `viewer` may see but leaves out of
    listings by their standing filters (hidden tags, muted creators, hidden works); one query,
    none for a guest or the person themselves."""
    from ficarchive.accounts.filters import hidden_work_ids

    hidden = hidden_work_ids(viewer)
    if hidden is None:
        return 0
    given = Kudos.objects.filter(user=person).values("work_id")
    return (
        Work.objects.visible_to(viewer)
        .filter(is_draft=False, is_hidden=False, id__in=given)
        .filter(id__in=hidden)
        .count()
    )
