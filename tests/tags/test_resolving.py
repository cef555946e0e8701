"""Name resolution rules: short forms, relationships in any order, ship names, candidates.

The fandoms are built here: canonical tags created directly, with fandoms and characters set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from ficarchive.tags.models import Tag, TagType
from ficarchive.tags.resolving import Name, candidates_for, resolve, suggest_for
from tests.conftest import post_work

CHARACTER, RELATIONSHIP = TagType.CHARACTER, TagType.RELATIONSHIP


def fandom(name: str, *parents: Tag) -> Tag:
    tag = Tag.objects.create(type=TagType.FANDOM, name=name, canonical=True)
    tag.parents.set(parents)
    return tag


def character(name: str, *fandoms: Tag, synonyms: tuple[str, ...] = ()) -> Tag:
    tag = Tag.objects.create(type=CHARACTER, name=name, canonical=True)
    tag.parents.set(fandoms)
    for synonym in synonyms:
        Tag.objects.create(type=CHARACTER, name=synonym, synonym_of=tag)
    return tag


def relationship(*members: Tag, platonic: bool = False) -> Tag:
    ordered = sorted(members, key=lambda tag: tag.name.lower())
    name = (" & " if platonic else "/").join(tag.name for tag in ordered)
    tag = Tag.objects.create(type=RELATIONSHIP, name=name, canonical=True)
    tag.parents.set({parent for member in members for parent in member.parents.all()})
    tag.characters.set(members)
    return tag


@dataclass
class Archive:
    """The tags of a few fandoms, as a wrangler would have set them up."""

    hp: Tag
    sherlock: Tag
    mcu: Tag
    bnha: Tag
    grimm: Tag
    ouat: Tag
    star_wars: Tag
    clone_wars: Tag
    people: dict[str, Tag]
    ships: dict[str, Tag]

    def __getitem__(self, name: str) -> Tag:
        return self.people.get(name) or self.ships[name]


@pytest.fixture
def archive(db: Any) -> Archive:
    hp = fandom("Harry Potter - J. K. Rowling")
    sherlock = fandom("Sherlock (TV)")
    mcu = fandom("Marvel Cinematic Universe")
    bnha = fandom("僕のヒーローアカデミア | Boku no Hero Academia | My Hero Academia")
    Tag.objects.create(type=TagType.FANDOM, name="BNHA", synonym_of=bnha)
    grimm = fandom("Grimm (TV)")
    ouat = fandom("Once Upon a Time (TV)")
    star_wars = fandom("Star Wars - All Media Types")
    clone_wars = fandom("Star Wars: The Clone Wars (2008) - All Media Types", star_wars)
    people = {
        name: character(name, parent, synonyms=synonyms)
        for name, parent, synonyms in [
            ("Harry Potter", hp, ()),
            ("Draco Malfoy", hp, ()),
            ("Hermione Granger", hp, ()),
            ("Ron Weasley", hp, ()),
            ("Ginny Weasley", hp, ()),
            ("James Potter", hp, ()),
            ("James Sirius Potter", hp, ()),
            ("Lily Evans Potter", hp, ()),
            ("Severus Snape", hp, ()),
            ("John Watson", sherlock, ()),
            ("Sherlock Holmes", sherlock, ()),
            ("Mycroft Holmes", sherlock, ()),
            ("Molly Hooper", sherlock, ()),
            ("Steve Rogers", mcu, ()),
            ("Tony Stark", mcu, ()),
            ("Bucky Barnes", mcu, ("James Buchanan Barnes",)),
            ("Stephen Strange", mcu, ()),
            ("Natasha Romanov", mcu, ()),
            ("Todoroki Shouto", bnha, ()),
            ("Todoroki Enji", bnha, ("Endeavor",)),
            ("Midoriya Izuku", bnha, ("Deku",)),
            ("Bakugou Katsuki", bnha, ()),
            ("Uraraka Ochako", bnha, ()),
            ("Hansel (Grimm)", grimm, ()),
            ("Hansel (Once Upon a Time)", ouat, ()),
            ("Harry Hook", ouat, ()),
            ("Obi-Wan Kenobi", star_wars, ()),
        ]
    }
    p = people
    ships = {
        "drarry": relationship(p["Draco Malfoy"], p["Harry Potter"]),
        "draco & harry": relationship(p["Draco Malfoy"], p["Harry Potter"], platonic=True),
        "romione": relationship(p["Hermione Granger"], p["Ron Weasley"]),
        "golden trio": relationship(p["Harry Potter"], p["Hermione Granger"], p["Ron Weasley"]),
        "johnlock": relationship(p["John Watson"], p["Sherlock Holmes"]),
        "stony": relationship(p["Steve Rogers"], p["Tony Stark"]),
        "stucky": relationship(p["Bucky Barnes"], p["Steve Rogers"]),
        "steve & natasha": relationship(p["Natasha Romanov"], p["Steve Rogers"], platonic=True),
        "tododeku": relationship(p["Midoriya Izuku"], p["Todoroki Shouto"]),
    }
    return Archive(hp, sherlock, mcu, bnha, grimm, ouat, star_wars, clone_wars, people, ships)


def names(suggestions: list[Any]) -> list[str]:
    return [suggestion.target.name for suggestion in suggestions]


# --- names -------------------------------------------------------------------------------


def test_a_name_compares_on_words_without_case_or_accents():
    name = Name.parse("Zoë  WASHBURNE (Firefly)")
    assert name.words == ("zoe", "washburne")
    assert name.note == "firefly"
    assert name.contains(Name.parse("zoe"))
    assert name.same_as(Name.parse("Washburne Zoe"))
    assert not name.contains(Name.parse("Zoe (Serenity)"))


# --- characters --------------------------------------------------------------------------


def test_given_name_alone_is_the_fandoms_character(archive: Archive):
    assert resolve(CHARACTER, "Shouto", [archive.bnha]) == archive["Todoroki Shouto"]


def test_family_name_alone_is_the_fandoms_character(archive: Archive):
    assert resolve(CHARACTER, "Midoriya", [archive.bnha]) == archive["Midoriya Izuku"]


def test_name_in_the_other_order_is_the_fandoms_character(archive: Archive):
    assert resolve(CHARACTER, "Shouto Todoroki", [archive.bnha]) == archive["Todoroki Shouto"]
    [only] = candidates_for("Shouto Todoroki", [archive.bnha], CHARACTER)
    assert only.reason == "“Shouto Todoroki” is “Todoroki Shouto” in another order."


def test_short_forms_ignore_case_and_accents(archive: Archive):
    assert resolve(CHARACTER, "shouto TODOROKI", [archive.bnha]) == archive["Todoroki Shouto"]
    assert resolve(CHARACTER, "Hermíone", [archive.hp]) == archive["Hermione Granger"]


def test_a_characters_synonyms_are_names_it_is_known_by(archive: Archive):
    assert resolve(CHARACTER, "Deku", [archive.bnha]) == archive["Midoriya Izuku"]
    assert resolve(CHARACTER, "Buchanan", [archive.mcu]) == archive["Bucky Barnes"]


def test_family_name_shared_by_two_characters_stays_unresolved(archive: Archive):
    assert resolve(CHARACTER, "Todoroki", [archive.bnha]) is None
    assert names(candidates_for("Todoroki", [archive.bnha], CHARACTER)) == [
        "Todoroki Enji",
        "Todoroki Shouto",
    ]


def test_given_name_shared_by_two_characters_stays_unresolved(archive: Archive):
    assert resolve(CHARACTER, "James", [archive.hp]) is None
    assert names(candidates_for("James", [archive.hp], CHARACTER)) == [
        "James Potter",
        "James Sirius Potter",
    ]


def test_a_full_name_in_another_order_beats_names_that_contain_it(archive: Archive):
    assert resolve(CHARACTER, "Potter James", [archive.hp]) == archive["James Potter"]


def test_short_forms_resolve_only_within_the_works_fandoms(archive: Archive):
    assert resolve(CHARACTER, "Shouto", [archive.hp]) is None
    assert resolve(CHARACTER, "Shouto", []) is None
    assert resolve(CHARACTER, "Harry", [archive.hp]) == archive["Harry Potter"]
    assert resolve(CHARACTER, "Harry", [archive.ouat]) == archive["Harry Hook"]
    assert resolve(CHARACTER, "Harry", [archive.hp, archive.ouat]) is None


def test_a_fandoms_synonym_stands_for_the_fandom(archive: Archive):
    bnha = Tag.objects.get(name="BNHA")
    assert resolve(CHARACTER, "Shouto", [bnha]) == archive["Todoroki Shouto"]


def test_an_unwrangled_fandom_knows_no_characters(archive: Archive):
    unwrangled = Tag.objects.create(type=TagType.FANDOM, name="Hero Aca")
    assert resolve(CHARACTER, "Shouto", [unwrangled]) is None


def test_characters_of_a_metatag_count_in_its_sub_fandoms_and_back(archive: Archive):
    assert resolve(CHARACTER, "Obi-Wan", [archive.clone_wars]) == archive["Obi-Wan Kenobi"]
    anakin = character("Anakin Skywalker", archive.clone_wars)
    assert resolve(CHARACTER, "Anakin", [archive.star_wars]) == anakin


def test_disambiguated_names_compare_on_the_name_part(archive: Archive):
    assert resolve(CHARACTER, "Hansel", [archive.grimm]) == archive["Hansel (Grimm)"]
    crossover = [archive.grimm, archive.ouat]
    assert resolve(CHARACTER, "Hansel", crossover) is None
    assert resolve(CHARACTER, "hansel (grimm)", crossover) == archive["Hansel (Grimm)"]
    assert (
        resolve(CHARACTER, "Hansel (Once Upon a Time)", crossover)
        == (archive["Hansel (Once Upon a Time)"])
    )


def test_a_canonical_name_is_itself_in_any_fandom(archive: Archive):
    assert resolve(CHARACTER, "harry potter", [archive.sherlock]) == archive["Harry Potter"]


def test_names_that_fit_nobody_stay_unresolved(archive: Archive):
    assert resolve(CHARACTER, "Luna", [archive.hp]) is None
    assert candidates_for("Luna", [archive.hp], CHARACTER) == []


# --- relationships -----------------------------------------------------------------------


def test_relationship_in_short_forms_is_the_canonical_one(archive: Archive):
    assert resolve(RELATIONSHIP, "Harry/Draco", [archive.hp]) == archive["drarry"]
    [only] = candidates_for("Harry/Draco", [archive.hp])
    assert only.reason == "Romantic: Harry Potter, Draco Malfoy."


def test_members_in_another_order_are_the_same_pairing(archive: Archive):
    assert resolve(RELATIONSHIP, "Harry Potter/Draco Malfoy", [archive.hp]) == archive["drarry"]
    assert resolve(RELATIONSHIP, "Malfoy/Potter Harry", [archive.hp]) == archive["drarry"]
    golden_trio = archive["golden trio"]
    assert resolve(RELATIONSHIP, "Ron/Hermione/Harry", [archive.hp]) == golden_trio
    assert resolve(RELATIONSHIP, "Harry/Ron/Hermione", [archive.hp]) == golden_trio


def test_ampersand_is_platonic_and_slash_romantic(archive: Archive):
    assert resolve(RELATIONSHIP, "Harry & Draco", [archive.hp]) == archive["draco & harry"]
    assert resolve(RELATIONSHIP, "Draco/Harry", [archive.hp]) == archive["drarry"]
    assert archive["draco & harry"] != archive["drarry"]


def test_a_romantic_name_never_becomes_the_platonic_relationship(archive: Archive):
    assert resolve(RELATIONSHIP, "Ron & Hermione", [archive.hp]) is None
    [proposal] = candidates_for("Ron & Hermione", [archive.hp])
    assert proposal.is_new
    assert proposal.target.name == "Hermione Granger & Ron Weasley"
    assert resolve(RELATIONSHIP, "Natasha/Steve", [archive.mcu]) is None
    assert names(candidates_for("Natasha/Steve", [archive.mcu])) == ["Natasha Romanov/Steve Rogers"]


def test_a_pairing_nobody_made_canonical_is_proposed_from_its_characters(archive: Archive):
    assert resolve(RELATIONSHIP, "Snape/Lily", [archive.hp]) is None
    [proposal] = candidates_for("Snape/Lily", [archive.hp])
    assert proposal.is_new
    assert proposal.target.name == "Lily Evans Potter/Severus Snape"
    assert proposal.target.canonical
    assert proposal.characters == (archive["Lily Evans Potter"], archive["Severus Snape"])
    assert proposal.fandom_ids == {archive.hp.pk}
    assert proposal.reason == "Romantic: Severus Snape, Lily Evans Potter; not canonical yet."


def test_an_existing_relationship_settles_an_ambiguous_member(archive: Archive):
    assert resolve(RELATIONSHIP, "Todoroki/Midoriya", [archive.bnha]) == archive["tododeku"]
    assert names(candidates_for("Todoroki & Midoriya", [archive.bnha])) == [
        "Midoriya Izuku & Todoroki Enji",
        "Midoriya Izuku & Todoroki Shouto",
    ]


def test_mixed_or_broken_relationship_names_have_no_candidates(archive: Archive):
    assert candidates_for("Harry/Draco & Ron", [archive.hp]) == []
    assert candidates_for("Harry/", [archive.hp]) == []
    assert candidates_for("Harry/Luna", [archive.hp]) == []
    assert candidates_for("Harry/Harry", [archive.hp]) == []


# --- ship names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ship", "fandom_attr", "expected"),
    [
        ("Drarry", "hp", "drarry"),
        ("drarry", "hp", "drarry"),
        ("Johnlock", "sherlock", "johnlock"),
        ("Stony", "mcu", "stony"),
        ("Stucky", "mcu", "stucky"),
        ("TodoDeku", "bnha", "tododeku"),
        ("Romione", "hp", "romione"),
    ],
)
def test_ship_name_is_the_relationship_its_parts_come_from(
    archive: Archive, ship: str, fandom_attr: str, expected: str
):
    assert resolve(RELATIONSHIP, ship, [getattr(archive, fandom_attr)]) == archive[expected]


def test_ship_name_says_where_its_parts_come_from(archive: Archive):
    [only] = candidates_for("Johnlock", [archive.sherlock])
    assert only.reason == ("Ship name: “john” from John Watson + “lock” from Sherlock Holmes.")


def test_ship_name_that_fits_two_relationships_lists_both(archive: Archive):
    p = archive.people
    ironstrange = relationship(p["Stephen Strange"], p["Tony Stark"])
    assert resolve(RELATIONSHIP, "Stony", [archive.mcu]) is None
    suggestions = candidates_for("Stony", [archive.mcu])
    assert [s.target for s in suggestions] == [ironstrange, archive["stony"]]


def test_ship_name_of_a_pair_without_a_relationship_is_proposed(archive: Archive):
    assert resolve(RELATIONSHIP, "Snily", [archive.hp]) is None
    [proposal] = candidates_for("Snily", [archive.hp])
    assert proposal.is_new
    assert proposal.target.name == "Lily Evans Potter/Severus Snape"


def test_ship_name_of_two_possible_pairs_lists_both(archive: Archive):
    archive["tododeku"].delete()
    assert resolve(RELATIONSHIP, "TodoDeku", [archive.bnha]) is None
    assert names(candidates_for("TodoDeku", [archive.bnha])) == [
        "Midoriya Izuku/Todoroki Enji",
        "Midoriya Izuku/Todoroki Shouto",
    ]


def test_ship_name_ignores_platonic_relationships(archive: Archive):
    assert resolve(RELATIONSHIP, "Stasha", [archive.mcu]) is None
    suggestions = candidates_for("Stasha", [archive.mcu])
    assert "Natasha Romanov/Steve Rogers" in names(suggestions)
    assert archive["steve & natasha"] not in [s.target for s in suggestions]


def test_ship_name_resolves_only_within_the_named_fandom(archive: Archive):
    assert resolve(RELATIONSHIP, "Drarry", [archive.sherlock]) is None


def test_ship_name_in_a_work_of_no_known_fandom_infers_the_fandom(archive: Archive):
    unwrangled = Tag.objects.create(type=TagType.FANDOM, name="sherlock bbc")
    assert resolve(RELATIONSHIP, "Johnlock", [unwrangled]) == archive["johnlock"]
    assert resolve(RELATIONSHIP, "Drarry", []) == archive["drarry"]
    assert resolve(RELATIONSHIP, "Snily", []) is None
    assert names(candidates_for("Snily", [])) == ["Lily Evans Potter/Severus Snape"]


def test_names_that_are_not_ship_names_stay_unresolved(archive: Archive):
    assert candidates_for("Wolfstar", [archive.hp]) == []
    assert candidates_for("Dr", [archive.hp]) == []
    assert candidates_for("Slow Burn", [archive.hp]) == []


# --- suggestions for wranglers -----------------------------------------------------------


def test_unwrangled_tag_gets_the_candidates_of_its_works_fandoms(archive: Archive, alice):
    post_work(alice, fandoms=[archive.bnha.name], characters=["Todoroki"])
    todoroki = Tag.objects.get(type=CHARACTER, name="Todoroki")
    assert not todoroki.is_wrangled
    assert names(suggest_for(todoroki)) == ["Todoroki Enji", "Todoroki Shouto"]


def test_unwrangled_ship_name_gets_a_proposal(archive: Archive, alice):
    post_work(alice, fandoms=[archive.hp.name], relationships=["Snily"])
    snily = Tag.objects.get(type=RELATIONSHIP, name="Snily")
    [proposal] = suggest_for(snily)
    assert proposal.is_new
    assert proposal.target.name == "Lily Evans Potter/Severus Snape"


def test_wrangled_tags_get_no_suggestions(archive: Archive):
    assert suggest_for(archive["Harry Potter"]) == []
    assert suggest_for(Tag.objects.get(name="Deku")) == []
