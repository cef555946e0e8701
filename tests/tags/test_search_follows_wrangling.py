"""The search filters (an index kept in memory) follow wrangling at once, whether a wrangler
changes a tag or a tags file is loaded, without rebuilding the index or rewriting works."""

from __future__ import annotations

import pytest

from ficarchive.accounts.models import User
from ficarchive.tags import actions
from ficarchive.tags.models import Tag, TagType
from tests.conftest import found_titles, post_work
from tests.tags.conftest import canonical

HEADER = "type,name,canonical,synonym_of,fandoms,characters\n"


@pytest.fixture
def fluff_works(alice: User) -> None:
    post_work(alice, "Canon", freeforms=["Fluff"])
    post_work(alice, "Typed Differently", freeforms=["fluffy stuff"])


def test_making_a_synonym_and_undoing_it_move_works_in_a_warm_index(fluff_works, wendy):
    fluff = canonical(wendy, TagType.FREEFORM, "Fluff")
    assert found_titles("include=Fluff") == ["Canon"]  # the index is built and has answered
    change = actions.make_synonym(wendy, Tag.objects.get(name="fluffy stuff"), fluff)
    assert found_titles("include=Fluff") == ["Canon", "Typed Differently"]
    assert found_titles("exclude=Fluff") == []
    actions.undo_change(wendy, change)
    assert found_titles("include=Fluff") == ["Canon"]


def test_merging_moves_works_in_a_warm_index(fluff_works, wendy):
    fluff = canonical(wendy, TagType.FREEFORM, "Fluff")
    stuff = canonical(wendy, TagType.FREEFORM, "fluffy stuff")
    assert found_titles("include=Fluff") == ["Canon"]
    actions.merge_tags(wendy, stuff, fluff)
    assert found_titles("include=Fluff") == ["Canon", "Typed Differently"]


def test_re_parenting_a_fandom_moves_its_works_in_a_warm_index(alice, wendy):
    post_work(alice, "Clones", fandoms=["Star Wars: The Clone Wars (2008)"])
    meta = canonical(wendy, TagType.FANDOM, "Star Wars - All Media Types")
    clones = canonical(wendy, TagType.FANDOM, "Star Wars: The Clone Wars (2008)")
    assert found_titles("include=Star Wars - All Media Types") == []
    actions.set_parents(wendy, clones, [meta])
    assert found_titles("include=Star Wars - All Media Types") == ["Clones"]


def test_loading_a_tags_file_moves_works_in_a_warm_index(fluff_works):
    assert found_titles("include=Fluff") == ["Canon"]
    file = HEADER + "freeform,Fluff,true,,,\nfreeform,fluffy stuff,false,Fluff,,\n"
    actions.load_tags(file.encode(), "tags.csv")
    assert found_titles("include=Fluff") == ["Canon", "Typed Differently"]
