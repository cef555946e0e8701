"""Template helpers for gift exchanges: a prompt as one line, and a work's recipients."""

from __future__ import annotations

from typing import Any

from django import template

from ficarchive.collections.exchange_models import Gift, prompt_summary

register = template.Library()


@register.filter
def prompt_line(prompt: dict[str, Any] | None) -> str:
    """A request's or offer's tags as one line."""
    return prompt_summary(prompt or {})


@register.simple_tag
def gift_recipients(work: Any) -> list[Any]:
    """The accounts a work is given to (but those who refused it), by name."""
    found = Gift.objects.filter(work_id=work.pk, refused=False).select_related("recipient")
    return sorted((g.recipient for g in found), key=lambda user: user.username.casefold())
