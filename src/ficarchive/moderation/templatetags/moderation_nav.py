"""`{% moderation_links %}`: the navigation's links for moderators, wranglers and superadmins.

An ordinary reader holds no permission, which the session's user already says (see
`moderation.backends`): for them this asks no query. A moderator's page asks one COUNT of the
open cases (indexed by state), and a spam reviewer's one COUNT of held spam checks (indexed by
state), always current."""

from __future__ import annotations

from typing import Any

from django import template

from ficarchive.moderation.models import Case, SpamCheck
from ficarchive.moderation.models.cases import OPEN_STATES
from ficarchive.moderation.permissions import may
from ficarchive.tags.models import can_wrangle

register = template.Library()


@register.inclusion_tag("moderation/_nav.html", takes_context=True)
def moderation_links(context: template.Context) -> dict[str, Any]:
    user = context["user"]
    moderates = may(user, "handle_reports")
    reviews_spam = may(user, "review_spam")
    return {
        "moderates": moderates,
        "open_cases": open_case_count() if moderates else None,
        "reviews_spam": reviews_spam,
        "held_spam": SpamCheck.objects.held().count() if reviews_spam else None,
        "wrangles": can_wrangle(user),
        "audits": may(user, "view_audit_log"),
        "invites": may(user, "manage_invitations"),
        "superadmin": may(user, "give_roles"),
        # Django's own rule for entering its admin: an active staff account.
        "django_admin": bool(user.is_authenticated and user.is_active and user.is_staff),
    }


def open_case_count() -> int:
    """Cases open or assigned: what the moderation queue still has to answer."""
    return Case.objects.filter(state__in=OPEN_STATES).count()
