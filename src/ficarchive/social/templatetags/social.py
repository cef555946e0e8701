"""Template tags for the social parts of shared pages (work page, navigation, blurbs)."""

from __future__ import annotations

from typing import Any

from django import template

from ficarchive.social import panels
from ficarchive.social.places import Place, places_of

register = template.Library()


@register.inclusion_tag("social/_kudos.html", takes_context=True)
def kudos_box(context: dict[str, Any], work: Any) -> dict[str, Any]:
    request = context["request"]
    editable = bool(context.get("editable"))
    return {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        **panels.kudos_context(request, work, editable=editable),
    }


@register.inclusion_tag("social/_reader_actions.html", takes_context=True)
def reader_actions(context: dict[str, Any], work: Any) -> dict[str, Any]:
    request = context["request"]
    return {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        "editable": context.get("editable"),
        **panels.reader_context(request, work),
    }


@register.inclusion_tag("social/_person_actions.html", takes_context=True)
def person_actions(context: dict[str, Any], person: Any) -> dict[str, Any]:
    """Subscribe to, block and mute PERSON (or undo them), for a signed-in reader on another
    account's pages; nothing for guests or on one's own pages."""
    request = context["request"]
    return {
        "owner": person,
        "csrf_token": context.get("csrf_token"),
        "state": panels.person_state(request.user, person),
    }


@register.inclusion_tag("social/_comments.html", takes_context=True)
def comment_section(context: dict[str, Any], work: Any) -> dict[str, Any]:
    """Comments on the chapter shown (chapter by chapter) or on the whole work."""
    request = context["request"]
    chapters = context.get("chapters") or []
    by_chapter = not context.get("whole") and context.get("chapter_total", 0) > 1 and chapters
    moderator = bool(context.get("editable"))
    return {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        **panels.comments_context(
            request, work, chapter=chapters[0] if by_chapter else None, moderator=moderator
        ),
    }


@register.simple_tag(takes_context=True)
def reader_places(context: dict[str, Any], works: Any) -> dict[int, Place]:
    """`{% reader_places works as places %}`: the reader's place in each of WORKS they have
    started (three queries for the page; nothing for guests)."""
    return places_of(context.get("user"), [work.pk for work in works])


@register.inclusion_tag("social/_blurb_place.html")
def continue_reading(work: Any, places: dict[int, Place] | None) -> dict[str, Any]:
    """ "Continue reading: Chapter 5" under a blurb, from `reader_places`."""
    return {"place": (places or {}).get(work.pk)}
