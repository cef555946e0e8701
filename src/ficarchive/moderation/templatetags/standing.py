"""An account's standing in templates, at no query (it lives on the user row).

`{% standing_banner %}` (in base.html): the banner a suspended user, or one with warnings to
acknowledge, sees on every page. `{{ subject|is_suspended }}`: whether a suspension is in force.
"""

from __future__ import annotations

from typing import Any

from django import template

from ficarchive.accounts import standing
from ficarchive.moderation import audit

register = template.Library()


@register.filter
def is_suspended(user: Any) -> bool:
    return standing.is_suspended(user)


@register.inclusion_tag("moderation/_standing_banner.html", takes_context=True)
def standing_banner(context: template.Context) -> dict[str, Any]:
    request: Any = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "suspension": standing.suspension_message(user) if standing.is_suspended(user) else "",
        "warnings": user.unacknowledged_warnings,
    }


@register.filter
def verb_label(verb: str) -> str:
    """An audit verb as the log reads it ("spam_ban_user" -> "spam-banned")."""
    return audit.label(verb)
