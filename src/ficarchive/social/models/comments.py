"""Comments (reviews): on a chapter or the whole work, threaded, moderated by the creators."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext

from ficarchive.accounts.models import Mute
from ficarchive.text.formats import BodyFormat
from ficarchive.works.models import Chapter, Work

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User


class CommentStatus(models.TextChoices):
    APPROVED = "approved", "Approved"
    PENDING = "pending", "Waiting for approval"
    HELD = "held", "Waiting for review"


class CommentQuerySet(models.QuerySet["Comment"]):
    def public(self) -> CommentQuerySet:
        """Comments everyone may read: approved, not hidden, not deleted."""
        return self.filter(status=CommentStatus.APPROVED, is_hidden=False, is_deleted=False)

    def shown_to(self, user: User | AnonymousUser, *, moderator: bool) -> CommentQuerySet:
        """Comments this reader sees on a work.

        The work's creators (moderator=True) see every comment but those the spam check
        holds; others see approved, unhidden ones. Everyone sees their own (a held one as
        waiting for review). Deleted comments stay as placeholders so their replies keep their
        place. Comments by accounts the reader mutes are left out.
        """
        shown = self
        if moderator:
            rule = ~Q(status=CommentStatus.HELD)
        else:
            rule = Q(status=CommentStatus.APPROVED, is_hidden=False)
        if user.is_authenticated:
            rule |= Q(user_id=user.pk)
        shown = shown.filter(rule)
        if user.is_authenticated:
            shown = shown.exclude(user_id__in=Mute.objects.muted_ids(user))
        return shown

    def threads(self) -> CommentQuerySet:
        """Top-level comments, oldest first, as threads are listed."""
        return self.filter(parent__isnull=True).order_by("created_at", "id")

    def for_display(self) -> CommentQuerySet:
        return self.select_related("user", "chapter").order_by("created_at", "id")


def mark_anonymous_creators(comments: Iterable[Comment], work: Work) -> None:
    """Set `by_anonymous_creator` on COMMENTS, all on WORK, with at most one query."""
    hidden: set[int] = set()
    if work.in_anonymous_collection:
        hidden = set(
            work.creatorships.filter(accepted=True).values_list("pseud__user_id", flat=True)
        )
    for comment in comments:
        comment.by_anonymous_creator = comment.user_id in hidden


class Comment(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="comments")
    chapter = models.ForeignKey(
        Chapter,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
        help_text="Empty for comments on the whole work (and those of a deleted chapter).",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    thread = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The top-level comment of the thread; empty for top-level comments.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    guest_name = models.CharField(max_length=100, blank=True)
    guest_email = models.EmailField(blank=True)
    body_source = models.TextField()
    body_format = models.CharField(
        max_length=16, choices=BodyFormat.choices, default=BodyFormat.PLAIN
    )
    body = models.TextField(help_text="Sanitized HTML rendered from the source.")
    status = models.CharField(
        max_length=16, choices=CommentStatus.choices, default=CommentStatus.APPROVED
    )
    is_hidden = models.BooleanField(default=False)
    is_deleted = models.BooleanField(default=False)
    is_frozen = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["work", "parent", "created_at"]),
            models.Index(fields=["thread"]),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on work {self.work_id}"

    def get_absolute_url(self) -> str:
        return reverse("social:comment", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status == CommentStatus.APPROVED and not self.is_hidden and not self.is_deleted

    @property
    def is_pending(self) -> bool:
        return self.status == CommentStatus.PENDING

    @property
    def is_held(self) -> bool:
        """Held by the spam check until a moderator decides: only its author sees it."""
        return self.status == CommentStatus.HELD

    @property
    def thread_id_or_own(self) -> int:
        return self.thread_id or self.pk

    @property
    def author_name(self) -> str:
        if self.user_id is not None and self.user is not None:
            return self.user.username
        return self.guest_name or "Deleted account"

    @cached_property
    def by_anonymous_creator(self) -> bool:
        """Made by one of its work's creators while the work is anonymous (in an anonymous
        collection before the reveal): readers see "Anonymous Creator". No query when the work
        is loaded and not anonymous, or when `mark_anonymous_creators` set it."""
        if self.user_id is None:
            return False
        work = self._state.fields_cache.get("work")
        if work is not None and not work.in_anonymous_collection:
            return False
        return Work.objects.filter(
            pk=self.work_id,
            in_anonymous_collection=True,
            creatorships__pseud__user_id=self.user_id,
            creatorships__accepted=True,
        ).exists()

    @property
    def shown_name(self) -> str:
        """The commenter's name as readers see it (moderators see `author_name`)."""
        return gettext("Anonymous Creator") if self.by_anonymous_creator else self.author_name

    def is_editable_by(self, user: User | AnonymousUser) -> bool:
        """Only a signed-in commenter may edit their comment, until it is deleted."""
        return bool(user.is_authenticated and self.user_id == user.pk and not self.is_deleted)
