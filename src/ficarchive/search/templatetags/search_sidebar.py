"""`{% filters_sidebar %}`: the search sidebar (`search.sidebar_html`) for the page's `sidebar`
and `found`."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from ficarchive.search.sidebar_html import filters_sidebar as draw

register = template.Library()


@register.simple_tag(takes_context=True)
def filters_sidebar(context: Any, open_panel: bool = False) -> SafeString:
    return draw(context["sidebar"], context.get("found"), open_panel=open_panel)
