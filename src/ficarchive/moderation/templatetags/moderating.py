"""`{% may_moderate "hide_content" as can_hide %}`: whether the reader holds a moderation
permission, for the moderator links on work pages, comments and case pages.

Django keeps a user's permissions on the user object, so asking once per comment costs no query
after the first (and none at all for readers who hold no role)."""

from __future__ import annotations

from typing import Any

from django import template

from ficarchive.moderation.permissions import Permission, may

register = template.Library()


@register.simple_tag(takes_context=True)
def may_moderate(context: template.Context, permission: Permission) -> bool:
    request: Any = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return user is not None and may(user, permission)
