"""Roles: Django groups with permissions, given on the roles page by superadmins.

The groups and their permissions are made (and kept to this list) after every migrate."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    """Each role is the Django group of this name."""

    POLICY_ABUSE = "Policy & abuse", "Policy & abuse moderators"
    TAG_WRANGLER = "Tag wranglers", "Tag wranglers"
    SUPPORT = "Support", "Support"
    ARCHIVIST = "Archivists", "Archivists"


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
