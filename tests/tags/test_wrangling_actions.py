"""The wrangling actions: every rule, every refusal, the change log and undo."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from ficarchive.tags import actions
from ficarchive.tags.models import ChangeKind, Tag, TagType, WranglingChange, can_wrangle
from tests.conftest import make_user
from tests.tags.conftest import canonical, fresh, tag

FANDOM, CHARACTER, RELATIONSHIP, FREEFORM = (
    TagType.FANDOM,
    TagType.CHARACTER,
    TagType.RELATIONSHIP,
    TagType.FREEFORM,
)


# --- who may wrangle ---------------------------------------------------------------------


def test_wranglers_admins_and_superusers_may_wrangle_and_nobody_else(wendy, ada, carol):
    boss = make_user("boss")
    boss.is_superuser = True
    boss.save()
    assert can_wrangle(wendy)
    assert can_wrangle(ada)
    assert can_wrangle(boss)
    assert not can_wrangle(carol)
    assert not can_wrangle(AnonymousUser())


@pytest.mark.parametrize("who", ["carol", "guest"])
def test_readers_and_guests_cannot_wrangle(who, carol, wendy):
    user = carol if who == "carol" else AnonymousUser()
    fluff = tag(FREEFORM, "Fluff")
    cozy = canonical(wendy, FREEFORM, "Cozy")
    for attempt in (
        lambda: actions.make_canonical(user, fluff),
        lambda: actions.make_synonym(user, fluff, cozy),
        lambda: actions.merge_tags(user, fluff, cozy),
        lambda: actions.set_parents(user, fluff, []),
        lambda: actions.unwrangle(user, cozy),
        lambda: actions.wrangle_tags(user, [fluff], "canonical"),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert not fresh(fluff).is_wrangled
    assert not WranglingChange.objects.exclude(user=wendy).exists()


# --- names -------------------------------------------------------------------------------


def test_ratings_warnings_and_categories_are_ao3_s_fixed_sets(db):
    def names(tag_type: str) -> set[str]:
        return set(Tag.objects.of_type(tag_type).canonical().values_list("name", flat=True))

    assert names(TagType.RATING) == {
        "Not Rated",
        "General Audiences",
        "Teen And Up Audiences",
        "Mature",
        "Explicit",
    }
    assert names(TagType.WARNING) == {
        "Creator Chose Not To Use Archive Warnings",
        "No Archive Warnings Apply",
        "Graphic Depictions Of Violence",
        "Major Character Death",
        "Rape/Non-Con",
        "Underage Sex",
    }
    assert names(TagType.CATEGORY) == {"F/F", "F/M", "Gen", "M/M", "Multi", "Other"}
    fixed = [TagType.RATING, TagType.WARNING, TagType.CATEGORY]
    assert Tag.objects.filter(type__in=fixed).count() == 5 + 6 + 6  # nothing else, all canonical
    assert actions.find_or_create_tags(TagType.CATEGORY, ["m/m"]) == [
        Tag.objects.get(type=TagType.CATEGORY, name="M/M")
    ]
    for tag_type in fixed:
        with pytest.raises(ValidationError, match="choose one of"):
            actions.find_or_create_tags(tag_type, ["Kinda Spicy"])
    assert not Tag.objects.filter(name="Kinda Spicy").exists()


def test_tag_names_are_unique_per_type_without_regard_to_case(db):
    fluff = tag(FREEFORM, "Fluff")
    assert actions.find_or_create_tags(FREEFORM, ["FLUFF"]) == [fluff]
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(type=FREEFORM, name="fluff")
    assert Tag.objects.create(type=FANDOM, name="fluff").name == "fluff"


def test_a_tag_with_a_comma_is_refused(db):
    with pytest.raises(ValidationError, match="cannot contain a comma"):
        actions.find_or_create_tags(FREEFORM, ["Hurt, Comfort"])
    with pytest.raises(ValidationError, match="cannot contain a comma"):
        Tag(type=FREEFORM, name="Hurt, Comfort").full_clean()
    assert not Tag.objects.filter(name__contains=",").exists()


# --- canonical and synonyms --------------------------------------------------------------


def test_making_a_tag_canonical_is_logged_with_who_and_what(wendy):
    fluff = tag(FREEFORM, "Fluff")
    change = actions.make_canonical(wendy, fluff)
    assert fresh(fluff).canonical
    assert change.user == wendy
    assert change.kind == ChangeKind.CANONICAL
    assert change.description == "Made “Fluff” canonical."
    assert change.before[str(fluff.pk)]["canonical"] is False
    assert change.after[str(fluff.pk)]["canonical"] is True


def test_a_canonical_tag_cannot_be_made_canonical_again(wendy):
    fluff = canonical(wendy, FREEFORM, "Fluff")
    with pytest.raises(ValidationError, match="“Fluff” is already canonical"):
        actions.make_canonical(wendy, fluff)


@pytest.mark.parametrize("tag_type", [TagType.RATING, TagType.WARNING, TagType.CATEGORY])
def test_fixed_tags_cannot_be_wrangled(tag_type, wendy):
    fixed = Tag.objects.of_type(tag_type).first()
    assert fixed is not None
    other = Tag.objects.of_type(tag_type).exclude(pk=fixed.pk).first()
    assert other is not None
    for attempt in (
        lambda: actions.unwrangle(wendy, fixed),
        lambda: actions.make_synonym(wendy, fixed, other),
        lambda: actions.merge_tags(wendy, fixed, other),
        lambda: actions.set_parents(wendy, fixed, []),
    ):
        with pytest.raises(ValidationError, match="fixed and cannot be wrangled"):
            attempt()
    assert fresh(fixed).canonical
    assert fresh(fixed).synonym_of is None


def test_a_synonym_points_to_a_canonical_tag(wendy):
    fluff = canonical(wendy, FREEFORM, "Fluff")
    floof = tag(FREEFORM, "Floof")
    change = actions.make_synonym(wendy, floof, fluff)
    assert fresh(floof).synonym_of == fluff
    assert not floof.canonical
    assert change.description == "Made “Floof” a synonym of “Fluff”."


def test_a_synonym_of_a_synonym_is_refused(wendy):
    fluff = canonical(wendy, FREEFORM, "Fluff")
    floof = tag(FREEFORM, "Floof")
    actions.make_synonym(wendy, floof, fluff)
    fluffy = tag(FREEFORM, "Fluffy")
    with pytest.raises(ValidationError) as refused:
        actions.make_synonym(wendy, fluffy, floof)
    assert "“Floof” is itself a synonym of “Fluff”" in str(refused.value)
    assert fresh(fluffy).synonym_of is None


def test_a_synonym_of_an_unwrangled_tag_is_refused(wendy):
    floof, fluffy = tag(FREEFORM, "Floof"), tag(FREEFORM, "Fluffy")
    with pytest.raises(ValidationError, match="“Floof” is not canonical"):
        actions.make_synonym(wendy, fluffy, floof)
    assert fresh(fluffy).synonym_of is None


def test_a_synonym_must_be_of_the_same_type(wendy):
    sherlock = canonical(wendy, CHARACTER, "Sherlock Holmes")
    holmes = tag(FANDOM, "Holmes")
    with pytest.raises(ValidationError, match="a synonym must be of the same type"):
        actions.make_synonym(wendy, holmes, sherlock)


def test_a_tag_cannot_be_its_own_synonym(wendy):
    fluff = canonical(wendy, FREEFORM, "Fluff")
    with pytest.raises(ValidationError, match="cannot be a synonym of itself"):
        actions.make_synonym(wendy, fluff, fluff)
    assert fresh(fluff).canonical


def test_a_canonical_tag_with_synonyms_cannot_become_a_synonym_unless_merged(wendy):
    fluff = canonical(wendy, FREEFORM, "Fluff")
    floof = tag(FREEFORM, "Floof")
    actions.make_synonym(wendy, floof, fluff)
    cozy = canonical(wendy, FREEFORM, "Cozy")
    with pytest.raises(ValidationError, match="merge it into “Cozy”"):
        actions.make_synonym(wendy, fluff, cozy)
    assert fresh(fluff).canonical
    assert fresh(floof).synonym_of == fluff


def test_a_synonym_takes_its_fandoms_from_its_canonical_tag(wendy):
    hp = canonical(wendy, FANDOM, "Harry Potter")
    harry = canonical(wendy, CHARACTER, "Harry Potter", fandoms=[hp])
    potter = tag(CHARACTER, "Potter")
    actions.set_parents(wendy, potter, [hp])
    actions.make_synonym(wendy, potter, harry)
    assert list(fresh(potter).parents.all()) == []
    with pytest.raises(ValidationError, match="set “Harry Potter”'s fandoms instead"):
        actions.set_parents(wendy, potter, [hp])


# --- merging -----------------------------------------------------------------------------


def test_merging_moves_synonyms_sub_tags_and_relationships(wendy):
    hp = canonical(wendy, FANDOM, "Harry Potter")
    potter = canonical(wendy, FANDOM, "Potterverse")
    harry = canonical(wendy, CHARACTER, "Harry", fandoms=[potter])
    draco = canonical(wendy, CHARACTER, "Draco Malfoy", fandoms=[potter])
    hpotter = canonical(wendy, CHARACTER, "Harry Potter", fandoms=[hp])
    the_boy = tag(CHARACTER, "The Boy Who Lived")
    actions.make_synonym(wendy, the_boy, harry)
    ship = canonical(wendy, RELATIONSHIP, "Draco/Harry", characters=[draco, harry])

    change = actions.merge_tags(wendy, harry, hpotter)

    assert fresh(harry).synonym_of == hpotter
    assert fresh(the_boy).synonym_of == hpotter
    assert set(fresh(ship).characters.all()) == {draco, hpotter}
    assert change.kind == ChangeKind.MERGE
    assert "Merged “Harry” into “Harry Potter”, moving" in change.description

    actions.merge_tags(wendy, potter, hp)
    assert set(fresh(draco).parents.all()) == {hp}
    assert fresh(potter).synonym_of == hp


def test_merging_a_fandom_into_its_own_sub_fandom_keeps_the_tree_free_of_cycles(wendy):
    top = canonical(wendy, FANDOM, "Top")
    middle = canonical(wendy, FANDOM, "Middle", fandoms=[top])
    bottom = canonical(wendy, FANDOM, "Bottom", fandoms=[middle])
    with pytest.raises(ValidationError, match="cycle"):
        actions.merge_tags(wendy, top, bottom)
    assert fresh(top).canonical
    assert list(fresh(middle).parents.all()) == [top]


# --- parents and characters --------------------------------------------------------------


def test_characters_and_relationships_have_fandom_parents(wendy):
    sherlock_fandom = canonical(wendy, FANDOM, "Sherlock Holmes - Arthur Conan Doyle")
    john = canonical(wendy, CHARACTER, "John Watson")
    change = actions.set_parents(wendy, john, [sherlock_fandom])
    assert list(fresh(john).parents.all()) == [sherlock_fandom]
    assert change.description == (
        "Set the fandoms of “John Watson” to “Sherlock Holmes - Arthur Conan Doyle”."
    )


def test_a_parent_must_be_a_canonical_fandom(wendy):
    john = canonical(wendy, CHARACTER, "John Watson")
    sherlock = canonical(wendy, CHARACTER, "Sherlock Holmes")
    loose = tag(FANDOM, "sherlock holmes stories")
    with pytest.raises(ValidationError, match="“Sherlock Holmes” is a character, not a fandom"):
        actions.set_parents(wendy, john, [sherlock])
    with pytest.raises(ValidationError, match="“sherlock holmes stories” is not a canonical"):
        actions.set_parents(wendy, john, [loose])
    assert not fresh(john).parents.exists()


def test_a_cycle_of_parent_fandoms_is_refused_and_named(wendy):
    a = canonical(wendy, FANDOM, "A")
    b = canonical(wendy, FANDOM, "B", fandoms=[a])
    c = canonical(wendy, FANDOM, "C", fandoms=[b])
    with pytest.raises(ValidationError) as refused:
        actions.set_parents(wendy, a, [c])
    assert "would make a cycle, A → C → B → A" in str(refused.value)
    assert not fresh(a).parents.exists()
    with pytest.raises(ValidationError, match="cannot be its own parent fandom"):
        actions.set_parents(wendy, a, [a])


def test_relationship_characters_must_be_canonical_characters(wendy):
    fandom = canonical(wendy, FANDOM, "Sherlock Holmes")
    john = canonical(wendy, CHARACTER, "John Watson")
    sherlock = canonical(wendy, CHARACTER, "Sherlock Holmes")
    ship = canonical(wendy, RELATIONSHIP, "Sherlock Holmes/John Watson")
    actions.set_relationship_characters(wendy, ship, [sherlock, john])
    assert set(fresh(ship).characters.all()) == {sherlock, john}
    with pytest.raises(ValidationError, match="“Sherlock Holmes” is a fandom, not a character"):
        actions.set_relationship_characters(wendy, ship, [fandom])
    with pytest.raises(ValidationError, match="“Watson” is not a canonical character"):
        actions.set_relationship_characters(wendy, ship, [tag(CHARACTER, "Watson")])
    with pytest.raises(ValidationError, match="only relationships have characters"):
        actions.set_relationship_characters(wendy, john, [sherlock])
    assert set(fresh(ship).characters.all()) == {sherlock, john}


# --- unwrangling -------------------------------------------------------------------------


def test_unwrangling_a_synonym_makes_it_stand_alone(wendy):
    fluff = canonical(wendy, FREEFORM, "Fluff")
    floof = tag(FREEFORM, "Floof")
    actions.make_synonym(wendy, floof, fluff)
    actions.unwrangle(wendy, floof)
    assert not fresh(floof).is_wrangled


def test_a_canonical_tag_with_synonyms_cannot_be_unwrangled(wendy):
    fluff = canonical(wendy, FREEFORM, "Fluff")
    actions.make_synonym(wendy, tag(FREEFORM, "Floof"), fluff)
    with pytest.raises(ValidationError, match="“Fluff” has synonyms"):
        actions.unwrangle(wendy, fluff)
    assert fresh(fluff).canonical


def test_an_unwrangled_tag_cannot_be_unwrangled(wendy):
    with pytest.raises(ValidationError, match="“Floof” is not wrangled"):
        actions.unwrangle(wendy, tag(FREEFORM, "Floof"))


# --- many at once ------------------------------------------------------------------------


def test_wrangling_several_tags_is_all_or_nothing(wendy):
    fluff = canonical(wendy, FREEFORM, "Fluff")
    floof, fluffy = tag(FREEFORM, "Floof"), tag(FREEFORM, "Fluffy")
    ship = tag(RELATIONSHIP, "Fluff/Floof")
    with pytest.raises(ValidationError, match="There is no relationship named “Fluff”"):
        actions.wrangle_tags(wendy, [floof, fluffy, ship], "synonym", ["Fluff"])
    assert not fresh(floof).is_wrangled
    assert not fresh(fluffy).is_wrangled
    changes = actions.wrangle_tags(wendy, [floof, fluffy], "synonym", ["fluff"])
    assert len(changes) == 2
    assert fresh(floof).synonym_of == fluff


def test_fandom_and_character_names_given_as_synonyms_stand_for_their_canonical_tag(wendy):
    acd = canonical(wendy, FANDOM, "Sherlock Holmes - Arthur Conan Doyle")
    doyle = tag(FANDOM, "Doyle")
    actions.make_synonym(wendy, doyle, acd)
    clocks = tag(FREEFORM, "Clocks")
    actions.wrangle_tags(wendy, [clocks], "fandoms", ["Doyle"])
    assert list(fresh(clocks).parents.all()) == [acd]


# --- undo --------------------------------------------------------------------------------


def test_undo_restores_the_previous_state(wendy):
    fluff = canonical(wendy, FREEFORM, "Fluff")
    floof = tag(FREEFORM, "Floof")
    change = actions.make_synonym(wendy, floof, fluff)
    undo = actions.undo_change(wendy, change)
    assert not fresh(floof).is_wrangled
    assert fresh(change).undone_at is not None
    assert undo.kind == ChangeKind.UNDO
    assert undo.reverts == change
    assert undo.description == "Undid: Made “Floof” a synonym of “Fluff”."


def test_undoing_a_merge_puts_everything_back(wendy):
    harry = canonical(wendy, CHARACTER, "Harry")
    hpotter = canonical(wendy, CHARACTER, "Harry Potter")
    draco = canonical(wendy, CHARACTER, "Draco Malfoy")
    boy = tag(CHARACTER, "The Boy Who Lived")
    actions.make_synonym(wendy, boy, harry)
    ship = canonical(wendy, RELATIONSHIP, "Draco/Harry", characters=[draco, harry])
    merge = actions.merge_tags(wendy, harry, hpotter)
    actions.undo_change(wendy, merge)
    assert fresh(harry).canonical
    assert fresh(boy).synonym_of == harry
    assert set(fresh(ship).characters.all()) == {draco, harry}


def test_undo_of_a_cycle_free_parent_change_restores_the_old_parents(wendy):
    a = canonical(wendy, FANDOM, "A")
    b = canonical(wendy, FANDOM, "B")
    child = canonical(wendy, CHARACTER, "Child", fandoms=[a])
    change = actions.set_parents(wendy, child, [b])
    actions.undo_change(wendy, change)
    assert list(fresh(child).parents.all()) == [a]


def test_a_change_cannot_be_undone_after_a_later_change_to_the_same_tag(wendy):
    fluff = canonical(wendy, FREEFORM, "Fluff")
    floof = tag(FREEFORM, "Floof")
    first = actions.make_synonym(wendy, floof, fluff)
    actions.unwrangle(wendy, floof)
    actions.make_canonical(wendy, floof)
    with pytest.raises(ValidationError, match="“Floof” has changed since"):
        actions.undo_change(wendy, first)
    assert fresh(floof).canonical


def test_a_change_cannot_be_undone_twice(wendy):
    change = actions.make_canonical(wendy, tag(FREEFORM, "Fluff"))
    actions.undo_change(wendy, change)
    with pytest.raises(ValidationError, match="was already undone"):
        actions.undo_change(wendy, fresh(change))


def test_undo_refuses_to_break_a_rule_that_later_changes_rely_on(wendy):
    fluff = tag(FREEFORM, "Fluff")
    made = actions.make_canonical(wendy, fluff)
    actions.make_synonym(wendy, tag(FREEFORM, "Floof"), fluff)
    with pytest.raises(ValidationError, match="“Fluff” has synonyms"):
        actions.undo_change(wendy, made)
    assert fresh(fluff).canonical


def test_an_undo_can_itself_be_undone(wendy):
    fluff = tag(FREEFORM, "Fluff")
    undo = actions.undo_change(wendy, actions.make_canonical(wendy, fluff))
    assert not fresh(fluff).canonical
    actions.undo_change(wendy, undo)
    assert fresh(fluff).canonical


def test_readers_cannot_undo(wendy, carol):
    change = actions.make_canonical(wendy, tag(FREEFORM, "Fluff"))
    with pytest.raises(PermissionDenied):
        actions.undo_change(carol, change)
    assert fresh(change).undone_at is None
