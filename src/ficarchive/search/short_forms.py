"""Short forms in a search's include and exclude fields, read as the posting form reads them.

A name no tag has ("Sherlock/John", "John Watson/Sherlock", "Johnlock", "Sherlock") is looked up
as a character or relationship by the rules of `tags.resolving`: within the fandoms the search
includes, or, when it includes none, archive-wide (among the fandoms whose characters hold the
name's words). Exactly one existing canonical tag that fits is searched in its place; several
leave the name matching nothing until the reader chooses one; none leave it unknown. Names some
tag has are left to the engine, which knows their synonyms and sub-fandoms.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import reduce
from operator import and_, or_

from django.db.models import Q
from django.db.models.functions import Lower

from ficarchive.search.index_keeper import known_tag_names
from ficarchive.search.query import SearchQuery, tokens
from ficarchive.tags.models import MAX_TAG_LENGTH, Tag, TagType, name_holds, same_name
from ficarchive.tags.resolving import Cast, candidates_in, cast_of, fold, parse_relationship

MAX_RESOLVED = 10  # names resolved per search; any more are searched as typed
MAX_WIDE_CHARACTERS = 200  # characters read to find the fandoms of an archive-wide lookup
FIELDS = ("include", "exclude")


@dataclass(frozen=True)
class ShortForm:
    """A name in FIELD that no tag has, and the canonical tags it could stand for."""

    field: str  # "include" or "exclude"
    typed: str
    tags: tuple[Tag, ...]

    @property
    def resolved(self) -> Tag | None:
        """The one tag searched in its place, or None when several or none fit."""
        return self.tags[0] if len(self.tags) == 1 else None


def resolve_short_forms(query: SearchQuery) -> tuple[SearchQuery, list[ShortForm]]:
    """QUERY with each short form that fits one canonical tag replaced by that tag's name, and
    what became of every name no tag has."""
    typed = [(field, name) for field in FIELDS for name in getattr(query, field)]
    if not typed:
        return query, []
    names = {name.lower() for _, name in typed}
    if known_tag_names(names) == names:  # every name is a tag's, as the last searches found
        return query, []
    named = reduce(or_, (Q(same_name(name)) for name in names))
    existing = list(Tag.objects.filter(named, type__in=TagType.values))  # through the index
    known = {tag.name.lower() for tag in existing}
    unknown = [(field, name) for field, name in typed if name.lower() not in known]
    if not unknown:
        return query, []
    fandoms = [tag for tag in existing if tag.type == TagType.FANDOM]
    included = {name.lower() for name in query.include}
    scope = cast_of([tag for tag in fandoms if tag.name.lower() in included])
    forms = [
        ShortForm(field, name, _fitting(name, scope) if len(name) <= MAX_TAG_LENGTH else ())
        for field, name in unknown[:MAX_RESOLVED]
    ]
    return _searched_as(query, forms), forms


def _searched_as(query: SearchQuery, forms: list[ShortForm]) -> SearchQuery:
    replaced = {(f.field, f.typed.lower()): f.resolved.name for f in forms if f.resolved}
    if not replaced:
        return query

    def names_in(field: str) -> tuple[str, ...]:
        names: list[str] = []
        for name in getattr(query, field):
            name = replaced.get((field, name.lower()), name)
            if name.lower() not in {n.lower() for n in names}:
                names.append(name)
        return tuple(names)

    return replace(query, include=names_in("include"), exclude=names_in("exclude"))


def _fitting(name: str, scope: Cast) -> tuple[Tag, ...]:
    """The existing canonical characters and relationships NAME could be in SCOPE's fandoms
    (archive-wide when SCOPE has none), by name."""
    cast = scope if scope.fandom_ids else _archive_cast(name)
    pairing = parse_relationship(name)
    types = (TagType.RELATIONSHIP,) if pairing else (TagType.CHARACTER, TagType.RELATIONSHIP)
    found: dict[int, Tag] = {}
    for tag_type in types:
        for suggestion in candidates_in(cast, tag_type, name):
            if not suggestion.is_new:
                found.setdefault(suggestion.target.pk, suggestion.target)
    return tuple(sorted(found.values(), key=lambda tag: fold(tag.name)))


def _archive_cast(name: str) -> Cast:
    """The cast of the fandoms where every member of NAME (one for a character, two or more for
    a relationship) could be a canonical character: whose name, or a synonym's, holds each of
    the member's words. Empty when none could (a ship name is then looked up on its own)."""
    pairing = parse_relationship(name)
    members = pairing.members if pairing else (name,)
    scope: set[int] | None = None
    for member in members:
        words = tokens(member)
        if not words:
            return Cast()
        holds = [Q(name_holds(word)) | Q(name_holds(word, "synonyms__name")) for word in words]
        characters = Tag.objects.filter(reduce(and_, holds), type=TagType.CHARACTER, canonical=True)
        ids = characters.order_by(Lower("name")).values_list("pk", flat=True).distinct()
        links = Tag.parents.through.objects.filter(
            from_tag__in=list(ids[:MAX_WIDE_CHARACTERS]), to_tag__type=TagType.FANDOM
        )
        fandom_ids = set(links.values_list("to_tag_id", flat=True))
        scope = fandom_ids if scope is None else scope & fandom_ids
    if not scope:
        return Cast()
    return cast_of(Tag.objects.filter(pk__in=scope))
