"""Where tags enter: names typed on a form are found or created, and resolved within the work's
fandoms (tags/resolving.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from ficarchive.tags import resolving
from ficarchive.tags.actions.wrangling import _q, _record
from ficarchive.tags.models import (
    FIXED_TAGS,
    FIXED_TYPES,
    ChangeKind,
    Tag,
    clean_tag_name,
    validate_tag_name,
)


def split_tag_names(text: str) -> list[str]:
    """Names from a comma-separated form field, cleaned, without repeats (case-insensitive)."""
    seen: dict[str, str] = {}
    for part in text.split(","):
        name = clean_tag_name(part)
        if name and name.lower() not in seen:
            seen[name.lower()] = name
    return list(seen.values())


def find_or_create_tags(
    tag_type: str, names: Iterable[str], fandoms: Sequence[Tag] = ()
) -> list[Tag]:
    """The tags of this type with these names, creating free tags that do not exist yet.

    Fixed types (rating, warning, category) only accept their known names. Characters and
    relationships are resolved within FANDOMS (tags/resolving.py): a name that stands for exactly
    one canonical tag keeps the author's spelling and becomes that tag's synonym, a logged change
    a wrangler can undo. When the name cannot become its synonym (works of another fandom use it
    for someone else), the work gets the canonical tag itself. Anything else stays as typed.
    """
    tags = []
    cast: resolving.Cast | None = None
    for raw in names:
        name = clean_tag_name(raw)
        validate_tag_name(name)
        existing = Tag.objects.of_type(tag_type).named(name).first()
        if tag_type in FIXED_TYPES:
            if existing is None:
                allowed = ", ".join(FIXED_TAGS[tag_type])
                raise ValidationError(f"{name!r} is not a {tag_type}; choose one of: {allowed}.")
            tags.append(existing)
            continue
        target = None
        if tag_type in resolving.RESOLVED_TYPES and not (existing and existing.canonical):
            cast = resolving.cast_of(fandoms) if cast is None else cast
            target = resolving.resolve_in(cast, tag_type, name)
        if existing is None:
            existing, _ = Tag.objects.get_or_create(
                type=tag_type, name__iexact=name, defaults={"type": tag_type, "name": name}
            )
        if target is None or target.pk in (existing.pk, existing.synonym_of_id):
            tags.append(existing)
            continue
        if (
            existing.synonym_of_id is None
            and resolving.used_only_within(existing, target)
            and make_resolved_synonym(existing, target, fandoms)
        ):
            tags.append(existing)
            continue
        tags.append(target)
    return tags


def make_resolved_synonym(tag: Tag, target: Tag, fandoms: Sequence[Tag]) -> bool:
    """Make the unwrangled TAG a synonym of TARGET, the canonical tag its name stands for in
    FANDOMS, as `find_or_create_tags` does: a logged change a wrangler can undo. For bulk
    loaders that resolve names themselves. False, and nothing changed, when TAG has links of
    its own that a synonym cannot have (the work then takes TARGET itself)."""
    within = ", ".join(_q(fandom) for fandom in fandoms) or "its fandom"
    description = f"Made {_q(tag)} a synonym of {_q(target)}: the name stands for it in {within}."

    def apply() -> None:
        Tag.objects.filter(pk=tag.pk).update(synonym_of=target)

    try:
        with transaction.atomic():
            _record(None, ChangeKind.SYNONYM, tag, [target.pk], description, apply)
    except ValidationError:
        return False
    tag.synonym_of = target
    return True
