"""Template tags for standing filters: the "hide this" buttons under a work in a listing.

Drawn in plain Python (`hide_controls_html`), as the blurbs are (`works.blurb_html`): a listing
draws them under each of its twenty works for every signed-in reader, and the template took
half of a member's listing page.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def hide_controls(context: Any, work: Any) -> SafeString:
    """The "Hide this work" and "Hide works by X" buttons under another creator's work.

    Reads the creators the blurb prefetch already holds: no query.
    """
    people = {pseud.user.pk: pseud.user for pseud in work.creators}
    return hide_controls_html(context, work.pk, list(people.values()))


def hide_controls_html(context: Any, work_id: int, people: Sequence[Any]) -> SafeString:
    """The buttons for the work WORK_ID by PEOPLE (accounts, or anything with `pk`, `username`
    and `is_orphan_account`), as CONTEXT's reader (`request`, `user`, `csrf_token`) sees them:
    nothing for a guest or under the reader's own work."""
    request = context.get("request")
    user = context.get("user")
    if request is None or user is None or not user.is_authenticated:
        return mark_safe("")
    if any(person.pk == user.pk for person in people):
        return mark_safe("")
    e = html.escape
    token = context.get("csrf_token")
    hidden = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{e(str(token))}">' if token else ""
    ) + f'<input type="hidden" name="next" value="{e(request.get_full_path())}">'
    hide = e(reverse("accounts:hide_work", args=[work_id]))
    items = [
        f'<li><form method="post" class="inline" action="{hide}" hx-post="{hide}" '
        f'hx-target="#work_{work_id}" hx-swap="outerHTML">{hidden}'
        f'<button type="submit" class="link">{e(_("Hide this work"))}</button></form></li>'
    ]
    for person in people:
        if person.is_orphan_account:
            continue
        name = {"name": e(person.username)}
        mutes = _("Mutes %(name)s: their works and comments are hidden from you.") % name
        button = _("Hide works by %(name)s") % name
        items.append(
            f'<li><form method="post" class="inline" '
            f'action="{e(reverse("accounts:hide_creator", args=[person.username]))}" '
            f'title="{mutes}">{hidden}<button type="submit" class="link">{button}</button>'
            "</form></li>"
        )
    label = e(_("Hide from your listings"))
    return mark_safe(
        f'<ul class="actions hide-controls" aria-label="{label}">\n  '
        + "\n  ".join(items)
        + "\n</ul>"
    )
