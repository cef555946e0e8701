"""Roles: Django groups with permissions, given on the roles page by superadmins.

The groups and their permissions are made (and kept to this list) after every migrate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Role(models.TextChoices):
    """Each role is the Django group of this name."""

    POLICY_ABUSE = "Policy & abuse", _("Policy & abuse moderators")
    TAG_WRANGLER = "Tag wranglers", _("Tag wranglers")
    SUPPORT = "Support", pgettext_lazy("moderation role", "Support")
    ARCHIVIST = "Archivists", _("Archivists")


# Each role's name as a message names it ("carol now holds Support."): the group's name.
ROLE_NAMES: dict[str, StrOrPromise] = {
    Role.POLICY_ABUSE: _("Policy & abuse"),
    Role.TAG_WRANGLER: _("Tag wranglers"),
    Role.SUPPORT: pgettext_lazy("moderation role", "Support"),
    Role.ARCHIVIST: _("Archivists"),
}


# Each role's permissions ("app_label.codename").
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.POLICY_ABUSE: (
        "moderation.handle_reports",
        "moderation.hide_content",
        "moderation.delete_content",
        "moderation.edit_work_tags",
        "moderation.sanction_users",
        "moderation.review_spam",
        "moderation.view_audit_log",
    ),
    Role.TAG_WRANGLER: ("tags.wrangle",),
    Role.SUPPORT: (
        "moderation.handle_reports",
        "moderation.manage_invitations",
        "moderation.view_audit_log",
    ),
    Role.ARCHIVIST: ("moderation.import_for_others",),
}
