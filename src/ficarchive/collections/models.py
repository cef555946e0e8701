"""Collections: named groups of works that their owners and moderators keep (a fest, an
archive-within-the-archive, later a gift exchange's home).

A collection is open (creators may add works) or closed, moderated (works added wait for a
moderator) or not. A work is listed in a collection once its creator and the collection both
approved it; every listing then applies the reader's own view of the archive (`listed_for`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from ficarchive.collections.exchange_models import (  # this app's models too
    ExchangeAssignment,  # noqa: F401
    ExchangeSignup,  # noqa: F401
    Gift,  # noqa: F401
    GiftExchange,  # noqa: F401
    TagNomination,  # noqa: F401
)
from ficarchive.collections.meme_models import (  # this app's models too
    Claim,  # noqa: F401
    Fill,  # noqa: F401
    Prompt,  # noqa: F401
    PromptMeme,
)
from ficarchive.works.models import Work, WorkQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User

    AnyUser = User | AnonymousUser


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    MODERATOR = "moderator", "Moderator"


class Approval(models.TextChoices):
    APPROVED = "approved", "Approved"
    PENDING = "pending", "Waiting"
    REFUSED = "refused", "Refused"


class CollectionQuerySet(models.QuerySet["Collection"]):
    def due_for_reveal(self, now: datetime) -> CollectionQuerySet:
        """Anonymous or unrevealed collections whose reveal time has come."""
        return self.filter(Q(is_anonymous=True) | Q(is_unrevealed=True), reveal_at__lte=now)

    def kept_by(self, user: AnyUser) -> CollectionQuerySet:
        """The collections USER owns or moderates."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(members__user=user).distinct()


class Collection(models.Model):
    name = models.SlugField(max_length=60, unique=True, help_text="Its address: /collections/NAME.")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, help_text="Sanitized HTML.")
    rules = models.TextField(blank=True, help_text="Sanitized HTML.")
    is_open = models.BooleanField(default=True, help_text="Creators may add their works.")
    is_moderated = models.BooleanField(
        default=False, help_text="Works added wait for a moderator's approval."
    )
    is_anonymous = models.BooleanField(
        default=False, help_text="Its works' creators are shown as Anonymous until the reveal."
    )
    is_unrevealed = models.BooleanField(
        default=False,
        help_text="Its works are shown only to their creators and its keepers until the reveal.",
    )
    reveal_at = models.DateTimeField(
        null=True, blank=True, help_text="When the background worker reveals it, if set."
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="The collection this one is a sub-collection of (one level deep).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CollectionQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("collections:detail", args=[self.name])

    def role_of(self, user: AnyUser) -> str | None:
        """USER's role in the collection ("owner", "moderator"), or None."""
        if not user.is_authenticated:
            return None
        roles = CollectionMember.objects.filter(collection=self, user_id=user.pk)
        return roles.values_list("role", flat=True).first()

    def require_role(self, user: AnyUser, *roles: str) -> str:
        """USER's role, if it is one of ROLES; else PermissionDenied."""
        role = self.role_of(user)
        if role is None or role not in roles:
            raise PermissionDenied(_("Only this collection's owners and moderators may do that."))
        return role

    def is_kept_by(self, user: AnyUser) -> bool:
        """Owners and moderators keep the collection: they approve and remove its works."""
        return self.role_of(user) is not None

    @property
    def has_meme(self) -> bool:
        return PromptMeme.objects.filter(collection_id=self.pk).exists()

    @property
    def is_secret(self) -> bool:
        """Anonymous or unrevealed: something waits for the reveal."""
        return self.is_anonymous or self.is_unrevealed

    def waiting_for_reveal(self) -> int:
        """How many of its works are still unrevealed (a count tells outsiders no more)."""
        if not self.is_unrevealed:
            return 0
        return (
            CollectionItem.objects.counted()
            .filter(collection=self, work__is_draft=False, work__is_hidden=False)
            .count()
        )

    def with_children(self) -> CollectionQuerySet:
        """This collection and its sub-collections."""
        return Collection.objects.filter(Q(pk=self.pk) | Q(parent_id=self.pk))

    def listed_bookmarks(self, reader: AnyUser) -> models.QuerySet[Any]:
        """The public bookmarks listed in the collection or its sub-collections that READER
        may see (of works and series READER may open), newest first."""
        from ficarchive.social.models import Bookmark

        listed = CollectionBookmark.objects.listed().filter(collection__in=self.with_children())
        shown = Bookmark.objects.shown_to(reader).filter(
            is_private=False, pk__in=listed.values("bookmark_id"), target_shown=True
        )
        return shown.for_listing()

    def listed_works(self, reader: AnyUser) -> WorkQuerySet:
        """The works listed in the collection or its sub-collections, as READER may see them,
        newest update first."""
        approved = (
            CollectionItem.objects.listed()
            .filter(collection__in=self.with_children())
            .values("work_id")
        )
        return Work.objects.listed_for(reader).filter(pk__in=approved)


class CollectionMember(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collection_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["collection", "user"], name="collection_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} of {self.collection_id}"


class CollectionItemQuerySet(models.QuerySet["CollectionItem"]):
    def listed(self) -> CollectionItemQuerySet:
        """Approved by the work's creator and by the collection."""
        return self.filter(author_status=Approval.APPROVED, moderator_status=Approval.APPROVED)

    def counted(self) -> CollectionItemQuerySet:
        """Items that make their work anonymous or unrevealed with their collection: the
        creator put the work there and the collection has not refused it (a work waiting for
        a moderator is already kept secret)."""
        return self.filter(author_status=Approval.APPROVED).exclude(
            moderator_status=Approval.REFUSED
        )


class CollectionItem(models.Model):
    """A work in a collection, with its creator's and the collection's approval."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="collection_items")
    author_status = models.CharField(
        max_length=20, choices=Approval.choices, default=Approval.APPROVED
    )
    moderator_status = models.CharField(
        max_length=20, choices=Approval.choices, default=Approval.APPROVED
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CollectionItemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "work"], name="collection_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.work_id} in {self.collection_id}"

    @property
    def is_listed(self) -> bool:
        return self.author_status == self.moderator_status == Approval.APPROVED


class CollectionBookmarkQuerySet(models.QuerySet["CollectionBookmark"]):
    def listed(self) -> CollectionBookmarkQuerySet:
        return self.filter(moderator_status=Approval.APPROVED)


class CollectionBookmark(models.Model):
    """A public bookmark its owner put in a collection (a rec list, a fest's favourites)."""

    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, related_name="bookmark_items"
    )
    bookmark = models.ForeignKey(
        "social.Bookmark", on_delete=models.CASCADE, related_name="collection_items"
    )
    moderator_status = models.CharField(
        max_length=20, choices=Approval.choices, default=Approval.APPROVED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CollectionBookmarkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "bookmark"], name="collection_bookmark_once"
            )
        ]

    def __str__(self) -> str:
        return f"bookmark {self.bookmark_id} in {self.collection_id}"
