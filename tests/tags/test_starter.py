"""The starter tags for the demo's fandoms, loaded before the demo works are posted."""

from __future__ import annotations

from django.test import Client

from ficarchive.demo.loader import load_demo
from ficarchive.tags.actions import STARTER_DIR, load_starter_tags
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.models import Work


def test_the_starter_tags_load_cleanly_and_only_once(db):
    assert sorted(path.name for path in STARTER_DIR.glob("*.csv")) == ["demo-fandoms.csv"]
    first = load_starter_tags()
    assert first.created > 50
    again = load_starter_tags()
    assert (again.created, again.changed) == (0, 0)
    acd = Tag.objects.get(type=TagType.FANDOM, name="Sherlock Holmes - Arthur Conan Doyle")
    assert [parent.name for parent in acd.parents.all()] == ["Sherlock Holmes & Related Fandoms"]
    ship = Tag.objects.get(type=TagType.RELATIONSHIP, name="Sherlock Holmes/John Watson")
    assert {c.name for c in ship.characters.all()} == {"John Watson", "Sherlock Holmes"}


def test_the_demo_works_are_found_under_the_starter_metatags(db, client: Client):
    load_demo()
    meta = Tag.objects.get(type=TagType.FANDOM, name="Sherlock Holmes & Related Fandoms")
    assert Work.objects.tagged(meta).filter(title="A Matter of Seven Clocks").exists()
    austen = Tag.objects.get(type=TagType.FANDOM, name="Jane Austen - Works")
    assert Work.objects.tagged(austen).count() >= 2
    page = client.get("/tags/Sherlock Holmes & Related Fandoms/works?type=fandom")
    assert "A Matter of Seven Clocks" in page.content.decode()


def test_the_demo_leaves_tags_for_a_wrangler_to_wrangle(db):
    load_demo()
    assert Tag.objects.unwrangled().filter(name="Clocks").exists()
    assert Tag.objects.get(type=TagType.FREEFORM, name="Slow Burn").canonical
