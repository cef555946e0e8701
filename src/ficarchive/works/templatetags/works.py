"""`{% byline work %}` and `{% blurb_body work %}`: a work's byline and blurb, drawn in Python
(`ficarchive.works.blurb_html`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from ficarchive.works import blurb_html
from ficarchive.works.models import Work

register = template.Library()


@register.simple_tag
def byline(work: Work) -> SafeString:
    return blurb_html.byline(work)


@register.simple_tag(takes_context=True)
def blurb_body(context: dict[str, Any], work: Work) -> SafeString:
    return blurb_html.blurb_body(work, context.get("user"))
