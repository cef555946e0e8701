"""Name resolution where tags enter: a posted or edited work files under the canonical tag its
author's names stand for, while the names the author typed stay on the work."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from django.test import Client

from ficarchive.tags.actions import undo_change
from ficarchive.tags.models import Tag, TagType, WranglingChange
from ficarchive.works import actions
from ficarchive.works.models import Work
from tests.conftest import post_work
from tests.tags.test_resolving import character, fandom, relationship

CHARACTER, RELATIONSHIP = TagType.CHARACTER, TagType.RELATIONSHIP
HP = "Harry Potter - J. K. Rowling"
BNHA = "My Hero Academia"
OUAT = "Once Upon a Time (TV)"


@pytest.fixture
def tags(db: Any) -> dict[str, Tag]:
    hp, bnha, ouat = fandom(HP), fandom(BNHA), fandom(OUAT)
    Tag.objects.create(type=TagType.FANDOM, name="BNHA", synonym_of=bnha)
    found = {
        "Harry Potter": character("Harry Potter", hp),
        "Draco Malfoy": character("Draco Malfoy", hp),
        "Todoroki Shouto": character("Todoroki Shouto", bnha),
        "Todoroki Enji": character("Todoroki Enji", bnha),
        "Midoriya Izuku": character("Midoriya Izuku", bnha, synonyms=("Deku",)),
        "Harry Hook": character("Harry Hook", ouat),
    }
    found["Draco Malfoy/Harry Potter"] = relationship(found["Draco Malfoy"], found["Harry Potter"])
    return found


def tag(tag_type: str, name: str) -> Tag:
    return Tag.objects.get(type=tag_type, name=name)


def tag_names(work: Work) -> set[str]:
    return set(work.tags.values_list("name", flat=True))


def test_posted_short_form_is_kept_and_files_under_the_canonical_character(
    tags: dict[str, Tag], alice, client: Client
):
    work = post_work(alice, fandoms=[BNHA], characters=["Shouto"])
    shouto = tag(CHARACTER, "Shouto")
    assert shouto.synonym_of == tags["Todoroki Shouto"]
    assert "Shouto" in tag_names(work)
    assert list(Work.objects.tagged(tags["Todoroki Shouto"])) == [work]
    page = client.get(tags["Todoroki Shouto"].get_absolute_url()).content.decode()
    assert work.title in page
    assert ">Shouto</a>" in client.get(work.get_absolute_url()).content.decode()


def test_posted_relationship_in_short_forms_and_ship_name_file_under_the_canonical_one(
    tags: dict[str, Tag], alice
):
    canonical = tags["Draco Malfoy/Harry Potter"]
    work = post_work(alice, fandoms=[HP], relationships=["Harry/Draco", "Drarry"])
    assert tag(RELATIONSHIP, "Harry/Draco").synonym_of == canonical
    assert tag(RELATIONSHIP, "Drarry").synonym_of == canonical
    assert {"Harry/Draco", "Drarry"} <= tag_names(work)
    assert list(Work.objects.tagged(canonical)) == [work]


def test_names_resolve_within_a_fandom_typed_as_its_synonym(tags: dict[str, Tag], alice):
    work = post_work(alice, fandoms=["bnha"], characters=["Deku", "Shouto Todoroki"])
    assert list(Work.objects.tagged(tags["Todoroki Shouto"])) == [work]
    assert list(Work.objects.tagged(tags["Midoriya Izuku"])) == [work]


def test_automatic_synonym_is_logged_and_a_wrangler_can_undo_it(tags: dict[str, Tag], alice, ada):
    work = post_work(alice, fandoms=[BNHA], characters=["Shouto"])
    change = WranglingChange.objects.get(tag__name="Shouto")
    assert change.user is None
    assert change.description == (
        "Made “Shouto” a synonym of “Todoroki Shouto”: the name stands for it in "
        "“My Hero Academia”."
    )
    undo_change(ada, change)
    assert not tag(CHARACTER, "Shouto").is_wrangled
    assert list(Work.objects.tagged(tags["Todoroki Shouto"])) == []
    assert "Shouto" in tag_names(work)


def test_ambiguous_name_stays_unwrangled_as_typed(tags: dict[str, Tag], alice):
    work = post_work(alice, fandoms=[BNHA], characters=["Todoroki"])
    assert not tag(CHARACTER, "Todoroki").is_wrangled
    assert "Todoroki" in tag_names(work)
    assert list(Work.objects.tagged(tags["Todoroki Shouto"])) == []


def test_name_in_a_fandom_without_canonical_characters_stays_unwrangled(
    tags: dict[str, Tag], alice
):
    post_work(alice, fandoms=["Original Work"], characters=["Shouto"])
    assert not tag(CHARACTER, "Shouto").is_wrangled
    assert not WranglingChange.objects.exists()


def test_canonical_names_are_used_as_they_are(tags: dict[str, Tag], alice):
    work = post_work(alice, fandoms=[HP], characters=["harry potter"])
    assert "Harry Potter" in tag_names(work)
    assert Tag.objects.filter(type=CHARACTER, name__iexact="harry potter").count() == 1


def test_earlier_unwrangled_name_is_wrangled_once_it_resolves(tags: dict[str, Tag], alice):
    first = post_work(alice, "First", fandoms=[BNHA], characters=["Bakugou"])
    assert not tag(CHARACTER, "Bakugou").is_wrangled
    bakugou = character("Bakugou Katsuki", tags["Todoroki Shouto"].parents.get())
    second = post_work(alice, "Second", fandoms=[BNHA], characters=["Bakugou"])
    assert tag(CHARACTER, "Bakugou").synonym_of == bakugou
    assert set(Work.objects.tagged(bakugou)) == {first, second}


def test_name_that_means_someone_else_elsewhere_files_the_work_canonically(
    tags: dict[str, Tag], alice
):
    potter_work = post_work(alice, "Potter", fandoms=[HP], characters=["Harry"])
    assert tag(CHARACTER, "Harry").synonym_of == tags["Harry Potter"]
    hook_work = post_work(alice, "Hook", fandoms=[OUAT], characters=["Harry"])
    assert tag(CHARACTER, "Harry").synonym_of == tags["Harry Potter"]
    assert "Harry Hook" in tag_names(hook_work)
    assert list(Work.objects.tagged(tags["Harry Hook"])) == [hook_work]
    assert list(Work.objects.tagged(tags["Harry Potter"])) == [potter_work]


def test_unwrangled_name_used_in_another_fandom_is_not_made_a_synonym(tags: dict[str, Tag], alice):
    dresden = post_work(alice, "Dresden", fandoms=["The Dresden Files"], characters=["Harry"])
    potter = post_work(alice, "Potter", fandoms=[HP], characters=["Harry"])
    assert not tag(CHARACTER, "Harry").is_wrangled
    assert "Harry" in tag_names(dresden)
    assert "Harry Potter" in tag_names(potter)
    assert list(Work.objects.tagged(tags["Harry Potter"])) == [potter]


def test_editing_a_work_resolves_its_new_names(tags: dict[str, Tag], alice):
    work = post_work(alice, fandoms=["Original Work"], characters=["Midoriya", "Todoroki"])
    assert list(Work.objects.tagged(tags["Midoriya Izuku"])) == []
    details = actions.WorkDetails(
        title=work.title, warnings=[w.name for w in work.warnings], fandoms=[BNHA]
    )
    actions.update_work(alice, work, replace(details, characters=["Midoriya", "Todoroki"]))
    assert list(Work.objects.tagged(tags["Midoriya Izuku"])) == [work]
    assert not tag(CHARACTER, "Todoroki").is_wrangled
