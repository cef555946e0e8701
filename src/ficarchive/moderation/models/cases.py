"""Reports and the cases they gather into: ten reports of one comment are one case."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _


class Target(models.TextChoices):
    """What can be reported (and what a moderation action or spam check is about)."""

    WORK = "work", _("Work")
    CHAPTER = "chapter", _("Chapter")
    COMMENT = "comment", _("Comment")
    SERIES = "series", _("Series")
    BOOKMARK = "bookmark", _("Bookmark")
    USER = "user", _("User")
    PSEUD = "pseud", _("Pseud")


class Reason(models.TextChoices):
    SPAM = "spam", _("Spam")
    HARASSMENT = "harassment", _("Harassment or threats")
    HATE = "hate", _("Hateful content")
    PLAGIARISM = "plagiarism", _("Plagiarism")
    MISTAGGED = "mistagged", _("Mistagged or unwarned content")
    ILLEGAL = "illegal", _("Illegal content")
    OTHER = "other", _("Other")


class CaseState(models.TextChoices):
    OPEN = "open", _("Open")
    ASSIGNED = "assigned", _("Assigned")
    RESOLVED = "resolved", _("Resolved")
    DISMISSED = "dismissed", _("Dismissed")


OPEN_STATES = (CaseState.OPEN, CaseState.ASSIGNED)


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        """Cases not yet closed: open or assigned."""
        return self.filter(state__in=OPEN_STATES)

    def in_state(self, state: str) -> CaseQuerySet:
        return self.filter(state=state)

    def with_reason(self, reason: str) -> CaseQuerySet:
        """Cases with at least one report for REASON."""
        return self.filter(
            Exists(Report.objects.filter(case_id=OuterRef("pk"), reason=reason).order_by())
        )

    def assigned_to(self, user_id: int | None) -> CaseQuerySet:
        """Cases given to this moderator (None: given to nobody)."""
        return self.filter(assignee_id=user_id)

    def about(self, user_id: int) -> CaseQuerySet:
        """Cases whose subject (the responsible account) is this user, newest first."""
        return self.filter(subject_id=user_id).order_by("-opened_at", "-id")

    def for_queue(self) -> CaseQuerySet:
        """Oldest first, each with its report count, subject and assignee."""
        return (
            self.select_related("subject", "assignee")
            .annotate(report_count=Count("reports"))
            .order_by("opened_at", "id")
        )


class Case(models.Model):
    """One reported thing while moderators look at it: every report of it joins its open case.

    A closed case stays closed; a report after that opens a new case for the same thing.
    """

    target_kind = models.CharField(max_length=16, choices=Target.choices)
    target_id = models.PositiveBigIntegerField()
    label = models.CharField(
        max_length=300, help_text="What was reported, as it read when the case opened."
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_cases",
        help_text="The account whose item (or whose account) was reported; empty for guests.",
    )
    state = models.CharField(max_length=16, choices=CaseState.choices, default=CaseState.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.TextField(blank=True, help_text="Told to the reporters when it closes.")

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["opened_at", "id"]
        indexes = [
            models.Index(fields=["state", "opened_at"]),
            models.Index(fields=["target_kind", "target_id"]),
            models.Index(fields=["subject", "opened_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["target_kind", "target_id"],
                condition=Q(state__in=["open", "assigned"]),
                name="one_open_case_per_target",
            ),
        ]
        # Named in the reader's language on the roles page (`roles.permission_names`).
        permissions = [
            ("handle_reports", _("Can see the moderation queue and resolve or dismiss cases")),
            (
                "hide_content",
                _("Can hide and unhide works, hide or delete comments, freeze threads"),
            ),
            ("delete_content", _("Can delete any work")),
            ("edit_work_tags", _("Can edit any work's tags")),
            ("sanction_users", _("Can warn, suspend, ban and spam-ban users, and lift it")),
            ("review_spam", _("Can mark held items spam or not spam")),
            ("view_audit_log", _("Can read the audit log")),
            ("manage_invitations", _("Can run the invitation queue and banned addresses")),
            ("give_roles", _("Can give and take moderation roles")),
            (
                "import_for_others",
                _("Can import works for their authors, who are credited and invited to claim them"),
            ),
        ]

    def __str__(self) -> str:
        return f"case {self.pk}: {self.label}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class Report(models.Model):
    """One reporter's report. It keeps a snapshot of the reported thing as it was then, so a
    later edit or deletion changes nothing in the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reports")
    target_kind = models.CharField(max_length=16, choices=Target.choices)
    target_id = models.PositiveBigIntegerField()
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports_made",
    )
    reporter_email = models.EmailField(blank=True, help_text="A guest's, if given.")
    reporter_address = models.CharField(
        max_length=64, blank=True, help_text="A guest's network address, hashed, for limits."
    )
    reason = models.CharField(max_length=16, choices=Reason.choices)
    text = models.TextField(blank=True)
    snapshot = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["reporter", "target_kind", "target_id", "created_at"]),
            models.Index(fields=["reporter", "created_at"]),
            models.Index(fields=["reporter_address", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"report {self.pk} ({self.reason}) of {self.target_kind} {self.target_id}"
