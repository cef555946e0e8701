"""Names resolve the same way wherever tags enter: the posting form, the importer and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.importing.actions import import_work
from ficarchive.importing.parsed import ParsedChapter, ParsedWork
from ficarchive.tags.models import GENERAL, NO_WARNINGS, Tag, TagType
from ficarchive.works.models import Work
from tests.api.conftest import API, bearer, token_for
from tests.tags.test_resolving import character, fandom, relationship
from tests.works.test_posting import NEW, form_data

HP = "Harry Potter - J. K. Rowling"


@pytest.fixture
def pairing(db: Any) -> Tag:
    hp = fandom(HP)
    harry, draco = character("Harry Potter", hp), character("Draco Malfoy", hp)
    return relationship(draco, harry)


def filed_under_canonical(work: Work, pairing: Tag) -> None:
    """The work keeps the names typed and is found under the canonical tags they stand for."""
    typed = set(work.tags.values_list("name", flat=True))
    assert {"Harry/Draco", "Drarry", "Harry"} <= typed
    for name in ("Harry/Draco", "Drarry"):
        assert Tag.objects.get(type=TagType.RELATIONSHIP, name=name).synonym_of == pairing
    harry = Tag.objects.get(type=TagType.CHARACTER, name="Harry Potter")
    assert Tag.objects.get(type=TagType.CHARACTER, name="Harry").synonym_of == harry
    assert list(Work.objects.tagged(pairing)) == [work]
    assert list(Work.objects.tagged(harry)) == [work]


def test_the_posting_form_resolves_short_forms_and_ship_names(pairing: Tag, alice: User):
    client = Client()
    client.force_login(alice)
    data = form_data(
        alice.default_pseud,
        fandoms=HP,
        relationships="Harry/Draco, Drarry",
        characters="Harry",
    )
    response = client.post(NEW, data)
    assert response.status_code == 302
    filed_under_canonical(Work.objects.get(), pairing)


def test_the_importer_resolves_short_forms_and_ship_names(pairing: Tag, alice: User):
    parsed = ParsedWork(
        source="drarry.html",
        format="html",
        title="Eighth Year",
        rating=GENERAL,
        warnings=[NO_WARNINGS],
        fandoms=[HP],
        relationships=["Harry/Draco", "Drarry"],
        characters=["Harry"],
        chapters=[ParsedChapter(body="<p>The common room was cold.</p>")],
    )
    filed_under_canonical(import_work(alice, parsed), pairing)


def test_the_api_resolves_short_forms_and_ship_names(pairing: Tag, alice: User):
    new_work = {
        "title": "Eighth Year",
        "rating": GENERAL,
        "warnings": [NO_WARNINGS],
        "fandoms": [HP],
        "relationships": ["Harry/Draco", "Drarry"],
        "characters": ["Harry"],
        "chapter": {"body": "<p>The common room was cold.</p>"},
    }
    response = bearer(token_for(alice)).post(
        f"{API}/works", new_work, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    filed_under_canonical(Work.objects.get(pk=response.json()["id"]), pairing)
