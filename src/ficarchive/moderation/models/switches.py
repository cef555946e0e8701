"""The site switches: one row, changed only through `actions.change_switches`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignupMode(models.TextChoices):
    OPEN = "open", _("Open: anyone may sign up")
    INVITATION = "invitation", _("By invitation only")
    CLOSED = "closed", _("Closed")


class SiteSwitches(models.Model):
    """What the archive lets its visitors do right now. There is one row (id 1); until a
    superadmin first saves the switches there is none, and everything is on."""

    ROW = 1

    signups = models.CharField(max_length=20, choices=SignupMode.choices, default=SignupMode.OPEN)
    guest_comments = models.BooleanField("Guests may comment", default=True)
    downloads = models.BooleanField("Works and series may be downloaded", default=True)
    imports = models.BooleanField("Works may be imported on the site", default=True)
    new_works = models.BooleanField("New works may be posted", default=True)
    two_factor_for_staff = models.BooleanField(
        "Moderators, wranglers and admins must use two-factor sign-in", default=False
    )
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "site switches"
        verbose_name_plural = "site switches"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(signups__in=SignupMode.values), name="switches_signup_mode"
            ),
        ]

    def __str__(self) -> str:
        return "Site switches"
