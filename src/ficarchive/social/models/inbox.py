"""Inbox items: what happened that a user should know about."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from ficarchive.works.models import Chapter, Series, Work

if TYPE_CHECKING:
    from ficarchive.accounts.models import User

HIDDEN_WORK = _("a hidden work")


class InboxKind(models.TextChoices):
    COMMENT = "comment", _("Comment on your work")
    PENDING = "pending", _("Comment waiting for your approval")
    REPLY = "reply", _("Reply to your comment")
    CHAPTER = "chapter", _("New chapter")
    WORK = "work", _("New work")
    PART = "part", _("New part of a series")
    INVITATION = "invitation", _("Co-creator invitation")
    REPORT_CLOSED = "report_closed", _("Your report was closed")
    WORK_HIDDEN = "work_hidden", _("Your work was hidden by a moderator")
    WORK_UNHIDDEN = "work_unhidden", _("Your work was unhidden")
    WARNING = "warning", _("Warning from the moderators")
    SUSPENSION = "suspension", _("Your account is suspended")
    INVITATIONS_GIVEN = "invites_given", _("Invitations to share")
    RESTORED = "restored", _("Your account is restored")
    SEARCH = "search", _("New work for a saved search")
    REVEALED = "revealed", _("Your work is revealed")
    ASSIGNMENT = "assignment", _("Your gift exchange assignment")
    GIFT = "gift", _("A gift for you")
    FILL = "fill", _("Your prompt is filled")
    COLLECTION_INVITATION = "coll_invite", _("A collection invites your work")


class InboxQuerySet(models.QuerySet["InboxItem"]):
    def of(self, user: User) -> InboxQuerySet:
        return self.filter(user_id=user.pk)

    def unread(self) -> InboxQuerySet:
        return self.filter(is_read=False)

    def for_listing(self) -> InboxQuerySet:
        return self.select_related(
            "work",
            "chapter",
            "series",
            "comment__user",
            "comment__chapter",
            "comment__work",
            "actor",
        ).order_by("-created_at", "-id")

    def with_work_shown(self, user: User) -> InboxQuerySet:
        """Mark each item with `work_shown`: whether USER may still open its work (a work
        hidden by a moderator is named "a hidden work" to its readers). No extra query."""
        visible = Work.objects.visible_to(user).filter(pk=OuterRef("work_id"))
        return self.annotate(work_shown=Exists(visible))


class InboxItem(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox"
    )
    kind = models.CharField(max_length=16, choices=InboxKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    chapter = models.ForeignKey(
        Chapter, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        "social.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(blank=True, help_text=_("What a moderation notice says."))
    is_read = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InboxQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "is_read", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user_id}"

    @property
    def work_title_shown(self) -> bool:
        """Whether the inbox may name the work: not when its reader may no longer open it (a
        hidden work). Read from `with_work_shown`, else asked here (one query)."""
        if self.work_id is None:
            return False
        shown = getattr(self, "work_shown", None)
        if shown is None:
            shown = Work.objects.visible_to(self.user).filter(pk=self.work_id).exists()
        return bool(shown)

    @property
    def work_title(self) -> str | None:
        """The work's title as this inbox may show it ("a hidden work"), or None."""
        if self.work_id is None or self.work is None:
            return None
        return self.work.title if self.work_title_shown else str(HIDDEN_WORK)
