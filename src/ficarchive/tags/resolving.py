"""Name resolution: which canonical tag a name typed by an author stands for, within fandoms.

- Characters: "Shouto" (a given or family name alone) or "Shouto Todoroki" (the other order) is
  "Todoroki Shouto" when exactly one character of the fandoms fits. "Hansel (Grimm)" compares on
  "Hansel"; case and accents do not count; a character's synonyms are known names too.
- Relationships: "/" is romantic, "&" platonic, never mixed up. Members may come in any order
  and be written by the character rule: "Harry/Draco" is "Draco Malfoy/Harry Potter".
- Ship names: "Drarry" is "Dr" (Draco) + "arry" (Harry): two parts of at least two letters, each
  the start or end of a name of one of the pair's characters.

An existing canonical relationship wins over a pairing nobody has made canonical yet; when none
exists but the members resolve, the canonical name built from the characters is proposed.

The matching functions are pure over a `Cast`, the canonical characters and relationships of some
fandoms, which `cast_of` fetches once. `resolve`, `candidates_for` and `suggest_for` fetch it.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Case, Exists, Q, QuerySet, When
from django.db.models.functions import Coalesce, Lower

from ficarchive.tags.models import Tag, TagType, name_holds, name_starts_with, same_name

RESOLVED_TYPES = (TagType.CHARACTER, TagType.RELATIONSHIP)
MIN_SHIP_PART = 2
MAX_CANDIDATES = 20
MAX_FANDOM_DEPTH = 12
_BULK = 5000  # ids per IN (...) list

_WORD = re.compile(r"[^\W_]+")
_NOTE = re.compile(r"^(?P<name>.*?)\s*\((?P<note>[^()]*)\)$")


def fold(text: str) -> str:
    """Lower case without accents, so that "Shōto" and "shoto" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@dataclass(frozen=True)
class Name:
    """A character's name as words, with its parenthetical disambiguator apart."""

    text: str
    words: tuple[str, ...]
    note: str = ""

    @classmethod
    def parse(cls, text: str) -> Name:
        text = text.strip()
        match = _NOTE.match(text)
        name, note = (match["name"], match["note"]) if match else (text, "")
        return cls(text, tuple(_WORD.findall(fold(name))), " ".join(_WORD.findall(fold(note))))

    def notes_agree(self, other: Name) -> bool:
        """Whether both disambiguators are the same, or one name has none."""
        return not self.note or not other.note or self.note == other.note

    def same_as(self, typed: Name) -> bool:
        """The same words, in any order."""
        return self.notes_agree(typed) and sorted(self.words) == sorted(typed.words)

    def contains(self, typed: Name) -> bool:
        """Every typed word is one of this name's words ("Shouto" in "Todoroki Shouto")."""
        remaining = list(self.words)
        for word in typed.words:
            if word not in remaining:
                return False
            remaining.remove(word)
        return self.notes_agree(typed)


@dataclass(frozen=True)
class KnownCharacter:
    """A canonical character with every name it is known by: its own first, then synonyms."""

    tag: Tag
    names: tuple[Name, ...]
    fandom_ids: frozenset[int] = frozenset()

    @cached_property
    def words(self) -> tuple[str, ...]:
        """The words of all its names that can give a ship name a part, in order."""
        found = {w for name in self.names for w in name.words if len(w) >= MIN_SHIP_PART}
        return tuple(sorted(found))

    def fits(self, typed: Name, *, exactly: bool) -> bool:
        if exactly:
            return any(name.same_as(typed) for name in self.names)
        return any(name.contains(typed) for name in self.names)

    def supplies(self, part: str) -> str | None:
        """The name word that PART starts or ends, if any."""
        for word in self.words:
            if word.startswith(part) or word.endswith(part):
                return word
        return None


@dataclass(frozen=True)
class KnownRelationship:
    tag: Tag
    platonic: bool
    character_ids: frozenset[int]


@dataclass
class Cast:
    """The canonical characters and relationships of some fandoms (and their metatags and
    sub-fandoms). `people` also holds the members of those relationships from other fandoms."""

    fandom_ids: frozenset[int] = frozenset()
    characters: list[KnownCharacter] = field(default_factory=list)
    relationships: list[KnownRelationship] = field(default_factory=list)
    people: dict[int, KnownCharacter] = field(default_factory=dict)
    inferred: bool = False

    def relationship_of(self, character_ids: frozenset[int], platonic: bool) -> Tag | None:
        for relationship in self.relationships:
            if relationship.platonic == platonic and relationship.character_ids == character_ids:
                return relationship.tag
        return None


@dataclass(frozen=True)
class Suggestion:
    """What a typed name could stand for, and why.

    A `target` without a primary key is a proposed canonical relationship that does not exist
    yet: its `characters` and `fandom_ids` say how to make it.
    """

    target: Tag
    reason: str
    characters: tuple[Tag, ...] = ()
    fandom_ids: frozenset[int] = frozenset()

    @property
    def is_new(self) -> bool:
        return self.target.pk is None


# --- queries -----------------------------------------------------------------------------


def fandom_scope(fandoms: Iterable[Tag]) -> frozenset[int]:
    """The wrangled fandoms among FANDOMS (a synonym counts as its canonical fandom), with their
    metatags and sub-fandoms at any depth. Unwrangled fandoms add nothing."""
    start = {
        fandom.synonym_of_id or fandom.pk
        for fandom in fandoms
        if fandom.type == TagType.FANDOM and (fandom.canonical or fandom.synonym_of_id)
    }
    links = Tag.parents.through.objects
    found = set(start)
    for column, other in (("from_tag_id", "to_tag_id"), ("to_tag_id", "from_tag_id")):
        frontier = set(start)
        for _ in range(MAX_FANDOM_DEPTH):
            if not frontier:
                break
            rows = links.filter(**{f"{column}__in": frontier, "from_tag__type": TagType.FANDOM})
            frontier = set(rows.values_list(other, flat=True)) - found
            found |= frontier
    return frozenset(found)


def _known(characters: QuerySet[Tag]) -> dict[int, KnownCharacter]:
    """These characters with their synonyms' names and their fandoms, in three queries."""
    by_id = {tag.pk: tag for tag in characters}
    ids = characters.values("pk")
    synonyms: dict[int, list[Name]] = {pk: [] for pk in by_id}
    rows = Tag.objects.filter(synonym_of__in=ids).values_list("synonym_of_id", "name")
    for canonical_id, name in rows:
        synonyms[canonical_id].append(Name.parse(name))
    fandoms: dict[int, set[int]] = {pk: set() for pk in by_id}
    links = Tag.parents.through.objects.filter(from_tag__in=ids, to_tag__type=TagType.FANDOM)
    for character_id, fandom_id in links.values_list("from_tag_id", "to_tag_id"):
        fandoms[character_id].add(fandom_id)
    return {
        pk: KnownCharacter(tag, (Name.parse(tag.name), *synonyms[pk]), frozenset(fandoms[pk]))
        for pk, tag in by_id.items()
    }


def _cast(
    characters: QuerySet[Tag],
    relationships: QuerySet[Tag],
    fandom_ids: frozenset[int] = frozenset(),
    inferred: bool = False,
) -> Cast:
    """The cast of these characters and relationships, in a few queries whatever their number."""
    people = _known(characters)
    relationships = relationships.distinct()
    rows = list(relationships)
    members: dict[int, set[int]] = {tag.pk: set() for tag in rows}
    links = Tag.characters.through.objects.filter(from_tag__in=relationships.values("pk"))
    for relationship_id, character_id in links.values_list("from_tag_id", "to_tag_id"):
        members[relationship_id].add(character_id)
    elsewhere = {pk for ids in members.values() for pk in ids} - set(people)
    if elsewhere:
        people.update(_known(Tag.objects.filter(pk__in=elsewhere)))
    in_scope = [people[tag.pk] for tag in characters]  # already fetched, in name order
    cast = Cast(fandom_ids, in_scope, people=people, inferred=inferred)
    cast.relationships = [_relationship(cast, tag, members[tag.pk]) for tag in rows]
    return cast


def _relationship(cast: Cast, tag: Tag, character_ids: set[int]) -> KnownRelationship:
    """A canonical relationship; one whose characters are not set is read from its name."""
    ids = frozenset(character_ids)
    pairing = parse_relationship(tag.name)
    if not ids and pairing:
        typed = [Name.parse(member) for member in pairing.members]
        exact = [[c for c in cast.characters if c.fits(t, exactly=True)] for t in typed]
        if all(len(options) == 1 for options in exact):
            ids = frozenset(options[0].tag.pk for options in exact)
    return KnownRelationship(tag, platonic=bool(pairing and pairing.platonic), character_ids=ids)


def cast_of(fandoms: Iterable[Tag]) -> Cast:
    """The canonical characters and relationships of FANDOMS, fetched once."""
    scope = fandom_scope(fandoms)
    if not scope:
        return Cast()
    canonical = Tag.objects.filter(canonical=True)
    characters = canonical.filter(type=TagType.CHARACTER, parents__in=scope).distinct()
    relationships = canonical.filter(type=TagType.RELATIONSHIP).filter(
        Q(parents__in=scope) | Q(characters__in=characters)
    )
    return _cast(characters, relationships, fandom_ids=scope)


def _known_by_ids(ids: list[int]) -> dict[int, KnownCharacter]:
    """`_known` for these characters, by lists of ids (faster than by subquery), in name order
    within each list."""
    people: dict[int, KnownCharacter] = {}
    for start in range(0, len(ids), _BULK):
        people.update(_known(Tag.objects.filter(pk__in=ids[start : start + _BULK])))
    return people


def casts_of(scopes: Iterable[frozenset[int]]) -> dict[frozenset[int], Cast]:
    """`cast_of` for many fandom scopes at once (each as `fandom_scope` gives it), in a few
    queries whatever their number: for bulk loaders, which meet many sets of fandoms."""
    wanted = set(scopes)
    every = frozenset().union(*wanted)
    casts = {scope: Cast() for scope in wanted if not scope}
    if not every:
        return casts
    canonical = Tag.objects.filter(canonical=True)
    characters = canonical.filter(type=TagType.CHARACTER, parents__in=every).distinct()
    relationships = canonical.filter(type=TagType.RELATIONSHIP).filter(
        Q(parents__in=every) | Q(characters__in=characters)
    )
    people = _known_by_ids(list(characters.values_list("pk", flat=True)))  # in name order
    ordered = list(people.values())
    rows = list(relationships.distinct())
    members: dict[int, set[int]] = {tag.pk: set() for tag in rows}
    parents: dict[int, set[int]] = {tag.pk: set() for tag in rows}
    ids = [tag.pk for tag in rows]
    for table, found in ((Tag.characters.through, members), (Tag.parents.through, parents)):
        for start in range(0, len(ids), _BULK):
            links = table.objects.filter(from_tag_id__in=ids[start : start + _BULK])
            for relationship_id, other_id in links.values_list("from_tag_id", "to_tag_id"):
                found[relationship_id].add(other_id)
    elsewhere = {pk for pks in members.values() for pk in pks} - set(people)
    people.update(_known_by_ids(sorted(elsewhere)))
    cast_by_fandom: dict[int, list[int]] = {}  # fandom -> indexes in ORDERED
    for index, character in enumerate(ordered):
        for fandom_id in character.fandom_ids:
            cast_by_fandom.setdefault(fandom_id, []).append(index)
    rows_by_link: dict[int, list[int]] = {}  # fandom or member -> indexes in ROWS
    for index, tag in enumerate(rows):
        for linked in parents[tag.pk] | members[tag.pk]:
            rows_by_link.setdefault(linked, []).append(index)
    for scope in wanted - casts.keys():
        picked = {index for fandom_id in scope for index in cast_by_fandom.get(fandom_id, ())}
        in_scope = [ordered[index] for index in sorted(picked)]
        linking = scope | {character.tag.pk for character in in_scope}
        named = {index for linked in linking for index in rows_by_link.get(linked, ())}
        cast = Cast(scope, in_scope, people=people)
        cast.relationships = [
            _relationship(cast, rows[index], members[rows[index].pk]) for index in sorted(named)
        ]
        casts[scope] = cast
    return casts


def ship_name_cast(name: str) -> Cast:
    """For a ship name in a work of no known fandom: every canonical character whose names hold
    the name's first or last two letters, and their relationships. The fandom is then inferred
    from the one relationship or pair that fits."""
    word = fold(name)
    head, tail = word[:MIN_SHIP_PART], word[-MIN_SHIP_PART:]
    might = Q()
    for part in (head, tail):
        might |= Q(name_holds(part)) | Q(name_holds(part, "synonyms__name"))
    characters = Tag.objects.filter(type=TagType.CHARACTER, canonical=True).filter(might)
    characters = characters.distinct()
    relationships = Tag.objects.filter(
        type=TagType.RELATIONSHIP, canonical=True, characters__in=characters
    )
    return _cast(characters, relationships, inferred=True)


# --- characters --------------------------------------------------------------------------


def fitting_characters(cast: Cast, typed: Name) -> list[KnownCharacter]:
    """The cast's characters TYPED names exactly (in any order); when none, those whose names
    hold all its words."""
    if not typed.words:
        return []
    exact = [c for c in cast.characters if c.fits(typed, exactly=True)]
    return exact or [c for c in cast.characters if c.fits(typed, exactly=False)]


def _character_reason(typed: Name, character: KnownCharacter) -> str:
    canonical = character.tag.name
    for index, name in enumerate(character.names):
        if name.words == typed.words and name.notes_agree(typed):
            if index == 0:
                return f"“{typed.text}” is {canonical}."
            return f"“{typed.text}” is a known name of {canonical}."
        if name.same_as(typed):
            return f"“{typed.text}” is “{name.text}” in another order."
    return f"“{typed.text}” is part of the name {canonical}."


def character_candidates(cast: Cast, name: str) -> list[Suggestion]:
    """The cast's characters NAME could be (see `fitting_characters`), with the reason."""
    typed = Name.parse(name)
    return [Suggestion(c.tag, _character_reason(typed, c)) for c in fitting_characters(cast, typed)]


# --- relationships -----------------------------------------------------------------------


@dataclass(frozen=True)
class Pairing:
    members: tuple[str, ...]
    platonic: bool


def parse_relationship(name: str) -> Pairing | None:
    """Members of "A/B" (romantic) or "A & B" (platonic); None for anything else or a mix."""
    romantic, platonic = "/" in name, "&" in name
    if romantic == platonic:
        return None
    members = tuple(member.strip() for member in name.split("&" if platonic else "/"))
    if len(members) < 2 or not all(members):
        return None
    return Pairing(members, platonic)


def proposed_relationship(
    members: Sequence[KnownCharacter], platonic: bool, reason: str
) -> Suggestion:
    """A canonical relationship that does not exist yet, named from its characters in order,
    in the fandoms its characters share (or all of theirs when they share none)."""
    ordered = sorted((member.tag for member in members), key=lambda tag: fold(tag.name))
    name = (" & " if platonic else "/").join(tag.name for tag in ordered)
    target = Tag(type=TagType.RELATIONSHIP, name=name, canonical=True)
    shared = frozenset.intersection(*(member.fandom_ids for member in members))
    fandom_ids = shared or frozenset().union(*(member.fandom_ids for member in members))
    return Suggestion(target, reason, characters=tuple(ordered), fandom_ids=fandom_ids)


def _pairing_suggestions(
    cast: Cast, combos: Iterable[tuple[KnownCharacter, ...]], platonic: bool, why: str
) -> list[Suggestion]:
    """Existing canonical relationships of these combinations of characters; when there are
    none, the relationships they would make."""
    existing: dict[int, Suggestion] = {}
    proposed: dict[str, Suggestion] = {}
    for combo in itertools.islice(combos, MAX_CANDIDATES * 5):
        ids = frozenset(character.tag.pk for character in combo)
        if len(ids) != len(combo):
            continue
        tag = cast.relationship_of(ids, platonic)
        names = ", ".join(character.tag.name for character in combo)
        if tag is not None:
            existing.setdefault(tag.pk, Suggestion(tag, f"{why} {names}."))
        else:
            reason = f"{why} {names}; not canonical yet."
            suggestion = proposed_relationship(combo, platonic, reason)
            proposed.setdefault(suggestion.target.name.lower(), suggestion)
    found = list(existing.values()) or list(proposed.values())
    return sorted(found, key=lambda s: fold(s.target.name))[:MAX_CANDIDATES]


def relationship_candidates(cast: Cast, name: str) -> list[Suggestion]:
    """What "A/B" or "A & B" could be: members by the character rule, in any order."""
    pairing = parse_relationship(name)
    if pairing is None:
        return []
    options = [fitting_characters(cast, Name.parse(member)) for member in pairing.members]
    if not all(options):
        return []
    kind = "Platonic" if pairing.platonic else "Romantic"
    return _pairing_suggestions(cast, itertools.product(*options), pairing.platonic, f"{kind}:")


# --- ship names --------------------------------------------------------------------------


def is_ship_name(name: str) -> bool:
    word = name.strip()
    return len(word) >= 2 * MIN_SHIP_PART and word.isalpha()


def ship_split(word: str, first: KnownCharacter, second: KnownCharacter) -> str | None:
    """How WORD is made of a part of FIRST's names then a part of SECOND's, if it is."""
    for cut in range(MIN_SHIP_PART, len(word) - MIN_SHIP_PART + 1):
        head, tail = word[:cut], word[cut:]
        head_from, tail_from = first.supplies(head), second.supplies(tail)
        if head_from and tail_from:
            return f"“{head}” from {first.tag.name} + “{tail}” from {second.tag.name}"
    return None


def _ship_fits(word: str, pair: tuple[KnownCharacter, KnownCharacter]) -> str | None:
    return ship_split(word, *pair) or ship_split(word, pair[1], pair[0])


def ship_name_candidates(cast: Cast, name: str) -> list[Suggestion]:
    """The romantic pairs NAME could be a portmanteau of: canonical relationships of two
    characters first; when none fits, pairs of the cast's characters (within one fandom when
    the fandom is inferred)."""
    if not is_ship_name(name):
        return []
    word = fold(name)
    found = []
    for relationship in cast.relationships:
        pair = [cast.people.get(pk) for pk in sorted(relationship.character_ids)]
        if relationship.platonic or len(pair) != 2 or pair[0] is None or pair[1] is None:
            continue
        how = _ship_fits(word, (pair[0], pair[1]))
        if how:
            found.append(Suggestion(relationship.tag, f"Ship name: {how}."))
    if found:
        return sorted(found, key=lambda s: fold(s.target.name))[:MAX_CANDIDATES]
    heads = [c for c in cast.characters if _supplies_any(c, word, head=True)]
    tails = [c for c in cast.characters if _supplies_any(c, word, head=False)]
    proposals: dict[str, Suggestion] = {}
    for first, second in itertools.product(heads, tails):
        if first.tag.pk == second.tag.pk:
            continue
        if cast.inferred and not first.fandom_ids & second.fandom_ids:
            continue
        how = ship_split(word, first, second)
        if how:
            reason = f"Ship name: {how}; not canonical yet."
            suggestion = proposed_relationship((first, second), False, reason)
            proposals.setdefault(suggestion.target.name.lower(), suggestion)
    return sorted(proposals.values(), key=lambda s: fold(s.target.name))[:MAX_CANDIDATES]


def _supplies_any(character: KnownCharacter, word: str, *, head: bool) -> bool:
    cuts = range(MIN_SHIP_PART, len(word) - MIN_SHIP_PART + 1)
    parts = (word[:cut] if head else word[cut:] for cut in cuts)
    return any(character.supplies(part) for part in parts)


# --- the entry points --------------------------------------------------------------------


def candidates_in(cast: Cast, tag_type: str, name: str) -> list[Suggestion]:
    """What NAME, a tag of TAG_TYPE, could stand for among the CAST (see the module's rules)."""
    if tag_type == TagType.CHARACTER:
        return character_candidates(cast, name)
    if tag_type != TagType.RELATIONSHIP:
        return []
    if parse_relationship(name):
        return relationship_candidates(cast, name)
    if not is_ship_name(name):
        return []
    if not cast.fandom_ids:
        cast = ship_name_cast(name)
    return ship_name_candidates(cast, name)


def certain(suggestions: Sequence[Suggestion]) -> Tag | None:
    """The one existing canonical tag that fits, or None when none or several do."""
    if len(suggestions) == 1 and not suggestions[0].is_new:
        return suggestions[0].target
    return None


def resolve_in(cast: Cast, tag_type: str, name: str) -> Tag | None:
    return certain(candidates_in(cast, tag_type, name))


def candidates_for(
    name: str, fandoms: Sequence[Tag], tag_type: str = TagType.RELATIONSHIP
) -> list[Suggestion]:
    """What NAME could stand for in FANDOMS: a canonical tag of that name is itself; otherwise
    the candidates by the rules above, several when ambiguous, none when nothing fits."""
    same = Tag.objects.of_type(tag_type).named(name).filter(canonical=True).first()
    if same is not None:
        return [Suggestion(same, f"“{same.name}” is canonical.")]
    return candidates_in(cast_of(fandoms), tag_type, name)


def resolve(tag_type: str, name: str, fandoms: Sequence[Tag]) -> Tag | None:
    """The canonical tag NAME stands for in FANDOMS, when exactly one fits."""
    return certain(candidates_for(name, fandoms, tag_type))


def fandoms_using(tag: Tag) -> list[Tag]:
    """The fandoms of the works that carry TAG."""
    return list(Tag.objects.filter(type=TagType.FANDOM, works__tags=tag).distinct())


def suggest_for(tag: Tag) -> list[Suggestion]:
    """For an unwrangled character or relationship: what it could be a synonym of, within the
    fandoms of the works that use it. Several suggestions mean it is ambiguous."""
    if tag.is_wrangled or tag.type not in RESOLVED_TYPES:
        return []
    return candidates_in(cast_of(fandoms_using(tag)), tag.type, tag.name)


def suggest_within(tags: Iterable[Tag], fandoms: Sequence[Tag]) -> dict[int, list[Suggestion]]:
    """`suggest_for` for many tags of one fandom's wrangling page, fetching the cast once."""
    cast = cast_of(fandoms)
    return {
        tag.pk: candidates_in(cast, tag.type, tag.name)
        for tag in tags
        if not tag.is_wrangled and tag.type in RESOLVED_TYPES
    }


def used_only_within(tag: Tag, target: Tag) -> bool:
    """Whether every work that carries TAG is in a fandom of TARGET (or a metatag or sub-fandom
    of one), so that making TAG a synonym of TARGET cannot misfile another fandom's work."""
    scope = fandom_scope(target.parents.filter(type=TagType.FANDOM))
    if not scope:
        return not tag.works.exists()
    fandoms = Tag.objects.filter(Q(pk__in=scope) | Q(synonym_of__in=scope))
    in_scope = Tag.works.through.objects.filter(tag__in=fandoms).values("work_id")
    return not tag.works.exclude(pk__in=in_scope).exists()


# --- autocomplete ------------------------------------------------------------------------

AUTOCOMPLETE_TYPES = (TagType.FANDOM, TagType.CHARACTER, TagType.RELATIONSHIP, TagType.FREEFORM)
AUTOCOMPLETE_LIMIT = 10
_MAX_TYPED_WORDS = 8
_MAX_FANDOM_NAMES = 20


def autocomplete(
    tag_type: str, typed: str, fandom_names: Sequence[str] = (), limit: int = AUTOCOMPLETE_LIMIT
) -> list[Tag]:
    """Wrangled tags of TAG_TYPE whose names hold every word typed ("Shouto Todoroki" finds
    "Todoroki Shouto"), canonical tags first, then those starting with the text. Characters and
    relationships come from the named fandoms (with their metatags and sub-fandoms one level
    off) when any of them is wrangled. Unwrangled tags are never offered: their names may come
    from works the author cannot see. One query."""
    words = _WORD.findall(typed)[:_MAX_TYPED_WORDS]
    if not words:
        return []
    tags = Tag.objects.filter(type=tag_type).filter(Q(canonical=True) | Q(synonym_of__isnull=False))
    for word in words:
        tags = tags.filter(name_holds(word))
    named = Q()
    for name in fandom_names[:_MAX_FANDOM_NAMES]:
        named |= Q(same_name(name))
    if tag_type in RESOLVED_TYPES and named:
        known = Tag.objects.filter(named, type=TagType.FANDOM).exclude(
            canonical=False, synonym_of__isnull=True
        )
        cast_ids = _cast_ids_in(known)
        tags = tags.filter(Q(pk__in=cast_ids) | Q(synonym_of__in=cast_ids) | ~Exists(known))
    starts = Case(When(name_starts_with(typed.strip()), then=0), default=1)
    ordered = tags.select_related("synonym_of").order_by("-canonical", starts, Lower("name"))
    return list(ordered[:limit])


def _cast_ids_in(fandoms: QuerySet[Tag]) -> QuerySet[Any]:
    """A subquery: the tags whose parents are these fandoms (synonyms counting as their
    canonical fandom), their parent fandoms or their sub-fandoms."""
    ids = fandoms.annotate(top=Coalesce("synonym_of_id", "id")).values("top")
    links = Tag.parents.through.objects
    up = links.filter(from_tag__in=ids).values("to_tag")
    down = links.filter(to_tag__in=ids, from_tag__type=TagType.FANDOM).values("from_tag")
    scope = Q(to_tag__in=ids) | Q(to_tag__in=up) | Q(to_tag__in=down)
    return links.filter(scope).values("from_tag")
