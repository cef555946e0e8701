"""The search filters (an index kept in memory) follow wrangling at once, whether a wrangler
changes a tag or a tags file is loaded, without rebuilding the index or rewriting works."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from ficarchive.accounts.models import User
from ficarchive.search.engine import reset_index, search
from ficarchive.search.query import SearchQuery
from ficarchive.tags import actions
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.models import Work
from tests.conftest import post_work
from tests.tags.conftest import canonical

HEADER = "type,name,canonical,synonym_of,fandoms,characters\n"


@pytest.fixture(autouse=True)
def fresh_index(db: Any) -> Iterator[None]:
    reset_index()
    yield
    reset_index()


def titles(params: str) -> list[str]:
    """What a guest finds with these search parameters, by title."""
    ids = search(SearchQuery.from_params(QueryDict(params)), AnonymousUser()).ids
    return sorted(Work.objects.filter(id__in=ids).values_list("title", flat=True))


@pytest.fixture
def fluff_works(alice: User) -> None:
    post_work(alice, "Canon", freeforms=["Fluff"])
    post_work(alice, "Typed Differently", freeforms=["fluffy stuff"])


def test_making_a_synonym_and_undoing_it_move_works_in_a_warm_index(fluff_works, wendy):
    fluff = canonical(wendy, TagType.FREEFORM, "Fluff")
    assert titles("include=Fluff") == ["Canon"]  # the index is built and has answered
    change = actions.make_synonym(wendy, Tag.objects.get(name="fluffy stuff"), fluff)
    assert titles("include=Fluff") == ["Canon", "Typed Differently"]
    assert titles("exclude=Fluff") == []
    actions.undo_change(wendy, change)
    assert titles("include=Fluff") == ["Canon"]


def test_merging_moves_works_in_a_warm_index(fluff_works, wendy):
    fluff = canonical(wendy, TagType.FREEFORM, "Fluff")
    stuff = canonical(wendy, TagType.FREEFORM, "fluffy stuff")
    assert titles("include=Fluff") == ["Canon"]
    actions.merge_tags(wendy, stuff, fluff)
    assert titles("include=Fluff") == ["Canon", "Typed Differently"]


def test_re_parenting_a_fandom_moves_its_works_in_a_warm_index(alice, wendy):
    post_work(alice, "Clones", fandoms=["Star Wars: The Clone Wars (2008)"])
    meta = canonical(wendy, TagType.FANDOM, "Star Wars - All Media Types")
    clones = canonical(wendy, TagType.FANDOM, "Star Wars: The Clone Wars (2008)")
    assert titles("include=Star Wars - All Media Types") == []
    actions.set_parents(wendy, clones, [meta])
    assert titles("include=Star Wars - All Media Types") == ["Clones"]


def test_loading_a_tags_file_moves_works_in_a_warm_index(fluff_works):
    assert titles("include=Fluff") == ["Canon"]
    file = HEADER + "freeform,Fluff,true,,,\nfreeform,fluffy stuff,false,Fluff,,\n"
    actions.load_tags(file.encode(), "tags.csv")
    assert titles("include=Fluff") == ["Canon", "Typed Differently"]
