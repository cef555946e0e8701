"""Template tags for standing filters: the "hide this" buttons under a work in a listing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("accounts/_hide_controls.html", takes_context=True)
def hide_controls(context: dict[str, Any], work: Any) -> dict[str, Any]:
    """The "Hide this work" and "Hide works by X" buttons under another creator's work.

    Reads the creators the blurb prefetch already holds: no query.
    """
    people = {pseud.user.pk: pseud.user for pseud in work.creators}
    return hide_controls_context(context, work.pk, list(people.values()))


def hide_controls_context(context: Any, work_id: int, people: Sequence[Any]) -> dict[str, Any]:
    """What `accounts/_hide_controls.html` needs for the work WORK_ID by PEOPLE (accounts, or
    anything with `pk`, `username` and `is_orphan_account`), as CONTEXT's reader sees it."""
    request = context.get("request")
    user = context.get("user")
    if request is None or user is None or not user.is_authenticated:
        return {"show": False}
    own = any(person.pk == user.pk for person in people)
    return {
        "show": not own,
        "work_id": work_id,
        "creators": [person for person in people if not person.is_orphan_account],
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
