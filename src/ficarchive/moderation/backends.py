"""The authentication backend: Django's, reading with the user whether they hold any permission.

Every page asks what the reader may do (the navigation's moderation links, hidden works for
moderators). Django answers `has_perm` with two queries the first time per request, even for
the many readers who hold no role. This backend loads the session's user with one EXISTS per
permission table in the same query, and for a user holding neither a group nor a permission
of their own records that they hold none: ordinary readers' pages make no permission query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from ficarchive.accounts.models import User


class RolesBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User.objects.annotate(
                in_any_group=Exists(User.groups.through.objects.filter(user_id=OuterRef("pk"))),
                with_own_permission=Exists(
                    User.user_permissions.through.objects.filter(user_id=OuterRef("pk"))
                ),
            ).get(pk=user_id)
        except User.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        holds_any = user.in_any_group or user.with_own_permission  # type: ignore[attr-defined]
        if not (holds_any or user.is_superuser):
            # What ModelBackend would have read: nothing.
            user._user_perm_cache = set()  # type: ignore[attr-defined]
            user._group_perm_cache = set()  # type: ignore[attr-defined]
            user._perm_cache = set()  # type: ignore[attr-defined]
        return user
