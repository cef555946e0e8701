"""`{% site_switches as switches %}`: the site switches in force, for a template to read."""

from __future__ import annotations

from django import template

from ficarchive.moderation import switches as site

register = template.Library()


@register.simple_tag
def site_switches() -> site.Switches:
    return site.current()
