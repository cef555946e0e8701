"""Filtering by a tag follows wrangling at once: synonyms, sub-fandoms at any depth, undo."""

from __future__ import annotations

from django.test import Client

from ficarchive.tags import actions
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.models import Work
from tests.conftest import post_work
from tests.tags.conftest import canonical, tag

FANDOM, CHARACTER, RELATIONSHIP, FREEFORM = (
    TagType.FANDOM,
    TagType.CHARACTER,
    TagType.RELATIONSHIP,
    TagType.FREEFORM,
)


def titles(tagged: Tag) -> set[str]:
    return set(Work.objects.tagged(tagged).values_list("title", flat=True))


def test_a_canonical_tag_finds_works_tagged_with_its_synonyms_at_once(alice, wendy, client: Client):
    post_work(alice, "Enemies", fandoms=["Harry Potter"], relationships=["Drarry"])
    post_work(alice, "Canon", fandoms=["Harry Potter"], relationships=["Draco Malfoy/Harry Potter"])
    ship = canonical(wendy, RELATIONSHIP, "Draco Malfoy/Harry Potter")
    assert titles(ship) == {"Canon"}
    drarry = Tag.objects.get(name="Drarry")
    actions.make_synonym(wendy, drarry, ship)
    assert titles(ship) == {"Canon", "Enemies"}
    page = client.get(ship.get_absolute_url()).content.decode()
    assert "Enemies" in page
    assert "Canon" in page


def test_a_synonym_finds_the_works_of_its_canonical_tag(alice, wendy):
    post_work(alice, "Floofy", freeforms=["Floof"])
    post_work(alice, "Fluffy", freeforms=["Fluff"])
    fluff = canonical(wendy, FREEFORM, "Fluff")
    floof = Tag.objects.get(name="Floof")
    assert titles(floof) == {"Floofy"}
    actions.make_synonym(wendy, floof, fluff)
    assert titles(floof) == {"Floofy", "Fluffy"}


def test_undoing_a_synonym_takes_its_works_away_again(alice, wendy):
    post_work(alice, "Floofy", freeforms=["Floof"])
    fluff = canonical(wendy, FREEFORM, "Fluff")
    change = actions.make_synonym(wendy, Tag.objects.get(name="Floof"), fluff)
    assert titles(fluff) == {"Floofy"}
    actions.undo_change(wendy, change)
    assert titles(fluff) == set()


def test_a_metatag_finds_works_of_its_sub_fandoms_at_any_depth_and_their_synonyms(
    alice, wendy, client: Client
):
    post_work(alice, "Film", fandoms=["Star Wars (Movies)"])
    post_work(alice, "Cartoon", fandoms=["Star Wars: The Clone Wars (2008)"])
    post_work(alice, "Short", fandoms=["TCW"])
    post_work(alice, "Elsewhere", fandoms=["Dune"])
    everything = canonical(wendy, FANDOM, "Star Wars - All Media Types")
    movies = canonical(wendy, FANDOM, "Star Wars (Movies)", fandoms=[everything])
    clone_wars = canonical(wendy, FANDOM, "Star Wars: The Clone Wars (2008)", fandoms=[movies])
    actions.make_synonym(wendy, Tag.objects.get(name="TCW"), clone_wars)

    assert titles(everything) == {"Film", "Cartoon", "Short"}
    assert titles(movies) == {"Film", "Cartoon", "Short"}
    assert titles(clone_wars) == {"Cartoon", "Short"}
    page = client.get(everything.get_absolute_url()).content.decode()
    assert "Cartoon" in page
    assert "Elsewhere" not in page


def test_re_parenting_a_fandom_moves_its_works_at_once(alice, wendy):
    post_work(alice, "Cartoon", fandoms=["Clone Wars"])
    old, new = canonical(wendy, FANDOM, "Old Meta"), canonical(wendy, FANDOM, "New Meta")
    clone_wars = canonical(wendy, FANDOM, "Clone Wars", fandoms=[old])
    assert titles(old) == {"Cartoon"}
    actions.set_parents(wendy, clone_wars, [new])
    assert titles(old) == set()
    assert titles(new) == {"Cartoon"}


def test_only_fandoms_fan_out_to_their_children(alice, wendy):
    post_work(alice, "Only Watson", fandoms=["Elsewhere"], characters=["John Watson"])
    fandom = canonical(wendy, FANDOM, "Sherlock Holmes - Arthur Conan Doyle")
    canonical(wendy, CHARACTER, "John Watson", fandoms=[fandom])
    assert titles(fandom) == set()


def test_an_unwrangled_tag_finds_only_its_own_works(alice, db):
    post_work(alice, "Floofy", freeforms=["Floof"])
    post_work(alice, "Fluffy", freeforms=["Fluff"])
    assert titles(tag(FREEFORM, "Floof")) == {"Floofy"}
