"""Tag suggestions for the search form's include and exclude fields, as the posting form's tag
fields get them (`tags.resolving.autocomplete`, drawn by the same fragment and picked by the same
script), over every type a reader types there."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ficarchive.tags.actions import split_tag_names
from ficarchive.tags.models import MAX_TAG_LENGTH, Tag
from ficarchive.tags.resolving import AUTOCOMPLETE_LIMIT, AUTOCOMPLETE_TYPES, autocomplete

FIELDS = ("include", "exclude")


class BadTyping(ValueError):
    """What was sent cannot be suggested for; the message says why."""


def suggested_tags(field: str, typed: str, included: str) -> list[Tag]:
    """Wrangled fandoms, characters, relationships and freeforms whose names hold the words of
    the last name typed in FIELD (the text after its last comma), canonical tags first. The
    included names scope characters and relationships to the fandoms among them, as the posting
    form's fandoms do."""
    if field not in FIELDS:
        raise BadTyping(_("Say which field is typed in: include or exclude."))
    name = typed.rsplit(",", 1)[-1].strip()
    if len(name) > MAX_TAG_LENGTH:
        raise BadTyping(_("A tag name has at most %(most)s characters.") % {"most": MAX_TAG_LENGTH})
    fandoms = split_tag_names(included)
    found = [tag for kind in AUTOCOMPLETE_TYPES for tag in autocomplete(kind, name, fandoms)]
    starts = name.lower()

    def order(tag: Tag) -> tuple[bool, bool, str]:
        return (not tag.canonical, not tag.name.lower().startswith(starts), tag.name.lower())

    return sorted(found, key=order)[:AUTOCOMPLETE_LIMIT]
