"""Wrangling: wranglers make free tags canonical or synonyms, give them fandoms and characters,
merge and unwrangle them. `check_tag_rules` holds every rule; every change is logged with each
touched tag's state before and after, so it can be undone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ficarchive.search.actions import record_change
from ficarchive.tags.models import (
    ChangeKind,
    Tag,
    TagType,
    WranglingChange,
    can_wrangle,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User

    AnyUser = User | AnonymousUser


# --- wrangling ---------------------------------------------------------------------------
#
# Wranglers make free tags canonical or synonyms, give them fandoms and characters, merge and
# unwrangle them. Every change is logged with each touched tag's state before and after, so it
# can be undone. Nothing about works is rewritten: filters follow the links (see
# TagQuerySet.covered_by).

TYPE_NOUNS: dict[str, str] = {
    TagType.RATING: "rating",
    TagType.WARNING: "archive warning",
    TagType.CATEGORY: "category",
    TagType.FANDOM: "fandom",
    TagType.RELATIONSHIP: "relationship",
    TagType.CHARACTER: "character",
    TagType.FREEFORM: "additional tag",
}


class WrangleAction(models.TextChoices):
    CANONICAL = "canonical", "Make canonical"
    SYNONYM = "synonym", "Make a synonym of"
    MERGE = "merge", "Merge into"
    FANDOMS = "fandoms", "Set fandoms"
    CHARACTERS = "characters", "Set relationship characters"
    UNWRANGLE = "unwrangle", "Unwrangle"


def _q(tag: Tag | str) -> str:
    return f"“{tag}”"


def _names(tags: Iterable[Tag]) -> str:
    return ", ".join(_q(tag) for tag in tags)


def _require_wrangler(user: AnyUser) -> None:
    if not can_wrangle(user):
        raise PermissionDenied("Only tag wranglers may wrangle tags.")


def _require_free(tag: Tag) -> None:
    if tag.is_fixed:
        raise ValidationError(
            f"{_q(tag)} is a {TYPE_NOUNS[tag.type]}: ratings, archive warnings and categories "
            "are fixed and cannot be wrangled."
        )


def _state(tag: Tag) -> dict[str, Any]:
    return {
        "canonical": tag.canonical,
        "synonym_of": tag.synonym_of_id,
        "parents": sorted(parent.pk for parent in tag.parents.all()),
        "characters": sorted(character.pk for character in tag.characters.all()),
    }


def _snapshot(tag_ids: Iterable[int]) -> dict[str, dict[str, Any]]:
    tags = Tag.objects.filter(pk__in=set(tag_ids)).prefetch_related("parents", "characters")
    return {str(tag.pk): _state(tag) for tag in tags}


def _record(
    user: AnyUser | None,
    kind: str,
    tag: Tag,
    involved: Iterable[int],
    description: str,
    apply: Callable[[], None],
) -> WranglingChange:
    """Apply a change to tags, check every rule on the tags it touched, and log it."""
    ids = list(dict.fromkeys([tag.pk, *involved]))
    before = _snapshot(ids)
    apply()
    check_tag_rules(Tag(pk=pk) for pk in ids)
    record_change([None])
    return WranglingChange.objects.create(
        kind=kind,
        tag=tag,
        user=user if user is not None and user.is_authenticated else None,
        description=description,
        before=before,
        after=_snapshot(ids),
    )


def _cycle_through(tag: Tag) -> list[Tag] | None:
    """A cycle of parent fandoms through TAG, as the path TAG → parent → … → TAG, if any."""
    came_from: dict[int, Tag] = {}
    queue = [tag]
    while queue:
        current = queue.pop(0)
        for parent in current.parents.filter(type=TagType.FANDOM):
            if parent.pk == tag.pk:
                path = [current]
                while path[-1].pk != tag.pk:
                    path.append(came_from[path[-1].pk])
                return [*reversed(path), tag]
            if parent.pk not in came_from:
                came_from[parent.pk] = current
                queue.append(parent)
    return None


def check_tag_rules(tags: Iterable[Tag]) -> None:
    """Raise ValidationError naming the first tag that breaks a wrangling rule, and why.

    The rules: a synonym points to a canonical tag of its own type and has no synonyms, fandoms
    or characters of its own; parents are canonical fandoms, without cycles; only relationships
    have characters, and those are canonical characters; only canonical tags have synonyms,
    sub-tags or relationships naming them; fixed tags stay canonical and unlinked.
    """
    order = list(dict.fromkeys(tag.pk for tag in tags))
    found = Tag.objects.filter(pk__in=order).select_related("synonym_of").in_bulk()
    for pk in order:  # in the order given, so the tag being wrangled answers first
        if pk in found:
            _check_one(found[pk])


def _check_one(tag: Tag) -> None:
    parents = list(tag.parents.all())
    characters = list(tag.characters.all())
    if tag.is_fixed:
        if not tag.canonical or tag.synonym_of_id or parents or characters:
            _require_free(tag)
        return
    target = tag.synonym_of
    if target is not None:
        if tag.canonical:
            raise ValidationError(f"{_q(tag)} cannot be canonical and a synonym at once.")
        if target.pk == tag.pk:
            raise ValidationError(f"{_q(tag)} cannot be a synonym of itself.")
        if target.type != tag.type:
            raise ValidationError(
                f"{_q(tag)} is a {TYPE_NOUNS[tag.type]} and {_q(target)} is a "
                f"{TYPE_NOUNS[target.type]}: a synonym must be of the same type."
            )
        if target.synonym_of_id:
            raise ValidationError(
                f"{_q(target)} is itself a synonym of {_q(target.merger)}, so {_q(tag)} cannot "
                f"be a synonym of it; make {_q(tag)} a synonym of {_q(target.merger)} instead."
            )
        if not target.canonical:
            raise ValidationError(
                f"{_q(target)} is not canonical, so {_q(tag)} cannot be a synonym of it; "
                f"make {_q(target)} canonical first."
            )
        if parents or characters:
            raise ValidationError(
                f"{_q(tag)} is a synonym of {_q(target)} and takes its fandoms and characters "
                "from it; it cannot have its own."
            )
    if not tag.canonical:
        dependants = [
            ("synonyms", list(tag.synonyms.all())),
            ("sub-tags", list(tag.children.all())),
            ("relationships", list(tag.relationships.all())),
        ]
        for label, found in dependants:
            if found:
                raise ValidationError(
                    f"{_q(tag)} has {label} ({_names(found[:5])}) and so must stay canonical; "
                    "merge it into another tag to move them."
                )
    for parent in parents:
        if parent.type != TagType.FANDOM:
            raise ValidationError(
                f"{_q(parent)} is a {TYPE_NOUNS[parent.type]}, not a fandom, so it cannot be "
                f"a parent of {_q(tag)}."
            )
        if not parent.canonical:
            raise ValidationError(
                f"{_q(parent)} is not a canonical fandom, so it cannot be a parent of "
                f"{_q(tag)}; make it canonical first."
            )
    if characters and tag.type != TagType.RELATIONSHIP:
        raise ValidationError(
            f"{_q(tag)} is a {TYPE_NOUNS[tag.type]}; only relationships have characters."
        )
    for character in characters:
        if character.type != TagType.CHARACTER:
            raise ValidationError(
                f"{_q(character)} is a {TYPE_NOUNS[character.type]}, not a character, so it "
                f"cannot be one of {_q(tag)}'s characters."
            )
        if not character.canonical:
            raise ValidationError(
                f"{_q(character)} is not a canonical character, so it cannot be one of "
                f"{_q(tag)}'s characters; make it canonical first."
            )
    if tag.type == TagType.FANDOM and parents:
        cycle = _cycle_through(tag)
        if cycle:
            path = " → ".join(str(step) for step in cycle)
            raise ValidationError(
                f"{_q(tag)} cannot have these parent fandoms: they would make a cycle, {path}."
            )


def make_canonical(user: AnyUser, tag: Tag) -> WranglingChange:
    """Make an unwrangled tag or a synonym canonical: filters use it from now on."""
    _require_wrangler(user)
    _require_free(tag)
    if tag.canonical:
        raise ValidationError(f"{_q(tag)} is already canonical.")

    def apply() -> None:
        Tag.objects.filter(pk=tag.pk).update(canonical=True, synonym_of=None)

    with transaction.atomic():
        change = _record(user, ChangeKind.CANONICAL, tag, [], f"Made {_q(tag)} canonical.", apply)
    tag.refresh_from_db()
    return change


def make_synonym(user: AnyUser, tag: Tag, canonical: Tag) -> WranglingChange:
    """Make TAG a synonym of the canonical tag CANONICAL; works tagged TAG are found under it.

    A canonical tag with synonyms, sub-tags or relationships naming it is merged instead.
    """
    _require_wrangler(user)
    _require_free(tag)
    _require_free(canonical)
    if tag.synonym_of_id == canonical.pk:
        raise ValidationError(f"{_q(tag)} is already a synonym of {_q(canonical)}.")
    if tag.canonical and (
        tag.synonyms.exists() or tag.children.exists() or tag.relationships.exists()
    ):
        raise ValidationError(
            f"{_q(tag)} is canonical and has synonyms, sub-tags or relationships naming it; "
            f"merge it into {_q(canonical)} to move them too."
        )

    def apply() -> None:
        Tag.objects.filter(pk=tag.pk).update(canonical=False, synonym_of=canonical)
        tag.parents.clear()
        tag.characters.clear()

    description = f"Made {_q(tag)} a synonym of {_q(canonical)}."
    with transaction.atomic():
        change = _record(user, ChangeKind.SYNONYM, tag, [canonical.pk], description, apply)
    tag.refresh_from_db()
    return change


def merge_tags(user: AnyUser, tag: Tag, into: Tag) -> WranglingChange:
    """Merge TAG into the canonical tag INTO: TAG becomes its synonym, and TAG's synonyms,
    sub-tags and the relationships naming it move to INTO."""
    _require_wrangler(user)
    _require_free(tag)
    _require_free(into)
    if tag.synonym_of_id == into.pk:
        raise ValidationError(f"{_q(tag)} is already a synonym of {_q(into)}.")
    synonyms = list(tag.synonyms.all())
    children = list(tag.children.all())
    relationships = list(tag.relationships.all())

    def apply() -> None:
        Tag.objects.filter(pk__in=[s.pk for s in synonyms]).update(synonym_of=into)
        for child in children:
            child.parents.remove(tag)
            if child.pk != into.pk:
                child.parents.add(into)
        for relationship in relationships:
            relationship.characters.remove(tag)
            relationship.characters.add(into)
        Tag.objects.filter(pk=tag.pk).update(canonical=False, synonym_of=into)
        tag.parents.clear()
        tag.characters.clear()

    moved = [*synonyms, *children, *relationships]
    description = f"Merged {_q(tag)} into {_q(into)}" + (
        f", moving {_names(moved[:10])}{' and more' if len(moved) > 10 else ''}." if moved else "."
    )
    involved = [into.pk, *(t.pk for t in moved)]
    with transaction.atomic():
        change = _record(user, ChangeKind.MERGE, tag, involved, description, apply)
    tag.refresh_from_db()
    return change


def set_parents(user: AnyUser, tag: Tag, parents: Sequence[Tag]) -> WranglingChange:
    """Set a tag's fandoms (a fandom's parent fandoms): canonical fandoms, without cycles."""
    _require_wrangler(user)
    _require_free(tag)
    if tag.synonym_of_id:
        raise ValidationError(
            f"{_q(tag)} is a synonym of {_q(tag.merger)}; set {_q(tag.merger)}'s fandoms instead."
        )
    if any(parent.pk == tag.pk for parent in parents):
        raise ValidationError(f"{_q(tag)} cannot be its own parent fandom.")

    def apply() -> None:
        tag.parents.set(parents)

    label = "parent fandoms" if tag.type == TagType.FANDOM else "fandoms"
    listed = _names(parents) or "none"
    description = f"Set the {label} of {_q(tag)} to {listed}."
    with transaction.atomic():
        return _record(user, ChangeKind.PARENTS, tag, [], description, apply)


def set_relationship_characters(
    user: AnyUser, tag: Tag, characters: Sequence[Tag]
) -> WranglingChange:
    """Set which (canonical) characters a relationship is between."""
    _require_wrangler(user)
    _require_free(tag)
    if tag.type != TagType.RELATIONSHIP:
        raise ValidationError(
            f"{_q(tag)} is a {TYPE_NOUNS[tag.type]}; only relationships have characters."
        )
    if tag.synonym_of_id:
        raise ValidationError(
            f"{_q(tag)} is a synonym of {_q(tag.merger)}; set {_q(tag.merger)}'s characters "
            "instead."
        )

    def apply() -> None:
        tag.characters.set(characters)

    description = f"Set the characters of {_q(tag)} to {_names(characters) or 'none'}."
    with transaction.atomic():
        return _record(user, ChangeKind.CHARACTERS, tag, [], description, apply)


def unwrangle(user: AnyUser, tag: Tag) -> WranglingChange:
    """Make a canonical tag or a synonym unwrangled again (it keeps its fandoms)."""
    _require_wrangler(user)
    _require_free(tag)
    if not tag.is_wrangled:
        raise ValidationError(f"{_q(tag)} is not wrangled.")

    def apply() -> None:
        Tag.objects.filter(pk=tag.pk).update(canonical=False, synonym_of=None)

    with transaction.atomic():
        change = _record(user, ChangeKind.UNWRANGLE, tag, [], f"Unwrangled {_q(tag)}.", apply)
    tag.refresh_from_db()
    return change


def undo_change(user: AnyUser, change: WranglingChange) -> WranglingChange:
    """Put the tags a change touched back as they were, if nothing has changed them since.

    The undo is itself a logged change (and can be undone in turn).
    """
    _require_wrangler(user)
    if change.undone_at is not None:
        raise ValidationError(f"“{change.description}” was already undone.")
    with transaction.atomic():
        current = _snapshot(int(pk) for pk in change.before)
        for pk, state in change.after.items():
            if current.get(pk) != state:
                moved = Tag.objects.filter(pk=int(pk)).first()
                name = _q(moved) if moved else "a tag it touched"
                raise ValidationError(
                    f"Cannot undo “{change.description}”: {name} has changed since; "
                    "undo the later changes first."
                )

        def apply() -> None:
            _restore(change.before)

        undo = _record(
            user,
            ChangeKind.UNDO,
            change.tag,
            [int(pk) for pk in change.before],
            f"Undid: {change.description}",
            apply,
        )
        undo.reverts = change
        undo.save(update_fields=["reverts"])
        change.undone_at = timezone.now()
        change.save(update_fields=["undone_at"])
    return undo


def _restore(states: dict[str, dict[str, Any]]) -> None:
    known = set(Tag.objects.filter(pk__in=[int(pk) for pk in states]).values_list("pk", flat=True))
    for pk, state in states.items():
        if int(pk) not in known:
            raise ValidationError(_("A tag this change touched no longer exists."))
        Tag.objects.filter(pk=int(pk)).update(
            canonical=state["canonical"], synonym_of_id=state["synonym_of"]
        )
    for pk, state in states.items():
        tag = Tag(pk=int(pk))
        tag.parents.set(state["parents"])
        tag.characters.set(state["characters"])


def find_tag(tag_type: str, name: str) -> Tag:
    """The tag of this type with this name, or a ValidationError saying there is none."""
    tag = Tag.objects.of_type(tag_type).named(name).select_related("synonym_of").first()
    if tag is None:
        raise ValidationError(f"There is no {TYPE_NOUNS[tag_type]} named {_q(name)}.")
    return tag


def _canonical_links(tag_type: str, names: Sequence[str]) -> list[Tag]:
    """Fandoms or characters named by a wrangler: a synonym's name stands for its canonical."""
    return [find_tag(tag_type, name).merger for name in names]


def wrangle_tags(
    user: AnyUser, tags: Sequence[Tag], action: str, names: Sequence[str] = ()
) -> list[WranglingChange]:
    """One wrangling action on several tags at once, all or nothing, one logged change each.

    NAMES name the target canonical tag (synonym, merge; of each tag's own type), the fandoms
    or the characters.
    """
    _require_wrangler(user)
    if not tags:
        raise ValidationError(_("Choose at least one tag."))
    if action in (WrangleAction.SYNONYM, WrangleAction.MERGE) and len(names) != 1:
        raise ValidationError(_("Name the one canonical tag to make these synonyms of."))
    if action in (WrangleAction.FANDOMS, WrangleAction.CHARACTERS) and not names:
        raise ValidationError(_("Name at least one tag."))
    changes = []
    with transaction.atomic():
        for tag in tags:
            if action == WrangleAction.CANONICAL:
                changes.append(make_canonical(user, tag))
            elif action == WrangleAction.SYNONYM:
                changes.append(make_synonym(user, tag, find_tag(tag.type, names[0])))
            elif action == WrangleAction.MERGE:
                changes.append(merge_tags(user, tag, find_tag(tag.type, names[0])))
            elif action == WrangleAction.FANDOMS:
                changes.append(set_parents(user, tag, _canonical_links(TagType.FANDOM, names)))
            elif action == WrangleAction.CHARACTERS:
                characters = _canonical_links(TagType.CHARACTER, names)
                changes.append(set_relationship_characters(user, tag, characters))
            elif action == WrangleAction.UNWRANGLE:
                changes.append(unwrangle(user, tag))
            else:
                raise ValidationError(f"{action!r} is not a wrangling action.")
    return changes
