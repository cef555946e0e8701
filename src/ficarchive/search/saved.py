"""Saved searches: a reader's works searches kept under a name, and the alerts they send.

A `SavedSearch` keeps the search page's parameters as its query string. With an alert, the
upkeep checks it against the works posted since its last check (`checked_at`) and each new
match becomes one `SavedSearchHit` (unique per search and work: a work alerts once, however
often or by however many workers the check runs) and an inbox item; daily and weekly alerts
also gather the hits not yet emailed into one email per reader per day or week.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ficarchive.works.models import Work


class Alert(models.TextChoices):
    NONE = "none", _("No alert")
    INBOX = "inbox", _("Inbox")
    DAILY = "daily", _("Inbox and a daily email")
    WEEKLY = "weekly", _("Inbox and a weekly email")


class SavedSearch(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=100)
    query = models.TextField()  # the works search's parameters, as a query string
    alert = models.CharField(max_length=8, choices=Alert.choices, default=Alert.NONE)
    tag_default = models.BooleanField(default=False)
    checked_at = models.DateTimeField()  # works posted after this are new to the alert
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_search_name_unique"),
        ]
        indexes = [models.Index(fields=["alert", "checked_at"])]

    def __str__(self) -> str:
        return self.name

    @property
    def url(self) -> str:
        from django.urls import reverse

        return f"{reverse('search:works')}?{self.query}"


class SavedSearchHit(models.Model):
    search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="hits")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    found_at = models.DateTimeField(auto_now_add=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["search", "work"], name="saved_search_hit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.work_id} for {self.search_id}"
