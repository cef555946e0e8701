"""Suggestions: what an unwrangled character or relationship could stand for, and accepting one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ficarchive.tags import resolving
from ficarchive.tags.actions.wrangling import (
    _q,
    _require_wrangler,
    make_canonical,
    make_synonym,
    set_parents,
    set_relationship_characters,
)
from ficarchive.tags.models import Tag, TagType, WranglingChange

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User

    AnyUser = User | AnonymousUser


def suggestions_for(tags: Sequence[Tag], fandom: Tag | None) -> dict[int, list[Any]]:
    """What each unwrangled character or relationship could stand for (tags/resolving.py),
    within FANDOM's cast when one is given."""
    tags = [tag for tag in tags if tag.type in (TagType.CHARACTER, TagType.RELATIONSHIP)]
    if not tags:
        return {}
    within = getattr(resolving, "suggest_within", None)
    if fandom is not None and within is not None:
        found: dict[int, list[Any]] = within(tags, [fandom])
        return found
    return {tag.pk: resolving.suggest_for(tag) for tag in tags}


def accept_suggestion(
    user: AnyUser, tag: Tag, name: str, fandom: Tag | None = None
) -> list[WranglingChange]:
    """Make TAG a synonym of the canonical tag NAME that is suggested for it. A suggestion may
    propose a canonical relationship that does not exist yet: it is made first, with the
    characters and fandoms the suggestion gives."""
    _require_wrangler(user)
    suggestions = suggestions_for([tag], fandom).get(tag.pk, [])
    chosen = next((s for s in suggestions if s.target.name.lower() == name.lower()), None)
    if chosen is None:
        raise ValidationError(f"{_q(name)} is not suggested for {_q(tag)} any more.")
    changes: list[WranglingChange] = []
    with transaction.atomic():
        target = chosen.target
        if target.pk is None:
            target = _make_proposed(user, chosen, changes)
        if target.pk != tag.pk:
            changes.append(make_synonym(user, tag, target))
    return changes


def _make_proposed(user: AnyUser, suggestion: Any, changes: list[WranglingChange]) -> Tag:
    proposed = suggestion.target
    target = Tag.objects.of_type(proposed.type).named(proposed.name).first()
    if target is None:
        target = Tag.objects.create(type=proposed.type, name=proposed.name)
    if not target.canonical:
        changes.append(make_canonical(user, target))
    characters = list(getattr(suggestion, "characters", ()))
    if characters and target.type == TagType.RELATIONSHIP and not target.characters.exists():
        changes.append(set_relationship_characters(user, target, characters))
    fandoms = Tag.objects.filter(pk__in=getattr(suggestion, "fandom_ids", ()), canonical=True)
    if fandoms and not target.parents.exists():
        changes.append(set_parents(user, target, list(fandoms)))
    return target
