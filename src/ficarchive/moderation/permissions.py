"""Who may do what in moderation: one question, `may(user, "hide_content")`.

Each moderation permission is a Django permission of this app (see `Case.Meta.permissions`),
held through a role (a group, `models.roles`) or by superadmins, who hold them all. A user who
is not active (banned) holds none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Exists
from django.utils.translation import gettext, gettext_noop

from ficarchive.accounts.standing import is_suspended

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User

Permission = Literal[
    "handle_reports",
    "hide_content",
    "delete_content",
    "edit_work_tags",
    "sanction_users",
    "review_spam",
    "view_audit_log",
    "manage_invitations",
    "give_roles",
    "import_for_others",
]

# In English; `require` says the refusal in the reader's language.
REFUSALS: dict[str, str] = {
    "handle_reports": gettext_noop("Only moderators may see the moderation queue."),
    "hide_content": gettext_noop(
        "Only policy & abuse moderators may hide or delete what others posted."
    ),
    "delete_content": gettext_noop("Only policy & abuse moderators may delete others' works."),
    "edit_work_tags": gettext_noop("Only policy & abuse moderators may edit others' works' tags."),
    "sanction_users": gettext_noop(
        "Only policy & abuse moderators may warn, suspend or ban users."
    ),
    "review_spam": gettext_noop("Only policy & abuse moderators may review the spam queue."),
    "view_audit_log": gettext_noop("Only moderators may read the audit log."),
    "manage_invitations": gettext_noop("Only support may run the invitation queue."),
    "give_roles": gettext_noop("Only superadmins may give moderation roles."),
    "import_for_others": gettext_noop("Only archivists may import works for someone else."),
}


def may(user: User | AnonymousUser, permission: Permission) -> bool:
    """Whether USER holds the moderation PERMISSION (one query per request at most: Django
    keeps a user's permissions on the user object). A banned or suspended account holds none
    while that lasts: a moderator suspended stops moderating too."""
    if not (user.is_authenticated and user.is_active) or is_suspended(user):
        return False
    if permission == "give_roles":
        return bool(user.is_superuser)
    return bool(user.has_perm(f"moderation.{permission}"))


def require(user: User | AnonymousUser, permission: Permission) -> None:
    """Raise PermissionDenied, with the reason, unless USER holds PERMISSION."""
    if not may(user, permission):
        raise PermissionDenied(gettext(REFUSALS[permission]))


def held_by(user: User, permission: Permission) -> Exists:
    """`may(user, permission)` as SQL, for a read to ask inside its own query instead of
    asking Django's permission queries first (`Work.objects.visible_to`)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    granted = {"codename": permission, "content_type__app_label": "moderation"}
    from django.utils import timezone

    holders = get_user_model().objects.filter(pk=user.pk, is_active=True)
    holders = holders.filter(
        Q(suspended_until__isnull=True) | Q(suspended_until__lte=timezone.now())
    )
    if permission != "give_roles":
        holds = Q(is_superuser=True)
        holds |= Q(**{f"groups__permissions__{key}": value for key, value in granted.items()})
        holds |= Q(**{f"user_permissions__{key}": value for key, value in granted.items()})
        return Exists(holders.filter(holds))
    return Exists(holders.filter(is_superuser=True))
