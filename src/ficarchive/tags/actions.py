"""Writes to tags. Free tags are found or created by name, case-insensitively, per type."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError

from ficarchive.tags.models import FIXED_TAGS, FIXED_TYPES, Tag, clean_tag_name, validate_tag_name


def split_tag_names(text: str) -> list[str]:
    """Names from a comma-separated form field, cleaned, without repeats (case-insensitive)."""
    seen: dict[str, str] = {}
    for part in text.split(","):
        name = clean_tag_name(part)
        if name and name.lower() not in seen:
            seen[name.lower()] = name
    return list(seen.values())


def find_or_create_tags(tag_type: str, names: Iterable[str]) -> list[Tag]:
    """The tags of this type with these names, creating free tags that do not exist yet.

    Fixed types (rating, warning, category) only accept their known names.
    """
    tags = []
    for raw in names:
        name = clean_tag_name(raw)
        validate_tag_name(name)
        if tag_type in FIXED_TYPES:
            existing = Tag.objects.of_type(tag_type).named(name).first()
            if existing is None:
                allowed = ", ".join(FIXED_TAGS[tag_type])
                raise ValidationError(f"{name!r} is not a {tag_type}; choose one of: {allowed}.")
            tags.append(existing)
            continue
        tag, _ = Tag.objects.get_or_create(
            type=tag_type, name__iexact=name, defaults={"type": tag_type, "name": name}
        )
        tags.append(tag)
    return tags
