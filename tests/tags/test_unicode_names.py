"""Tag names are unique per type without regard to case for every letter, not only ASCII ones:
"Ёлка Émile" and "ёлка émile" are one tag on SQLite as on PostgreSQL, and every way a tag is
looked up by name finds it by either case. Case is Python's str.lower (PostgreSQL's lower()):
"Straße" and "STRASSE" stay two tags, as "Emile" and "Émile" do."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from ficarchive import db
from ficarchive.accounts.models import User
from ficarchive.tags.actions import find_or_create_tags
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.models import Work
from tests.conftest import found_titles, logged_in, post_work
from tests.tags.test_autocomplete import suggested
from tests.tags.test_resolving import character, fandom
from tests.works.test_posting import form_data

FANDOM, FREEFORM = TagType.FANDOM, TagType.FREEFORM
ELKA = "Ёлка Émile"

only_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's own LOWER and its indexes"
)


def one_tag(tag_type: str, *names: str) -> Tag:
    """The tags each name gives where tags enter, which must all be one."""
    found = {tag.pk for name in names for tag in find_or_create_tags(tag_type, [name])}
    assert len(found) == 1, names
    return Tag.objects.get(pk=found.pop())


@pytest.mark.parametrize(
    ("tag_type", "first", "second"),
    [
        (FANDOM, ELKA, "ёлка émile"),
        (FANDOM, ELKA, "ЁЛКА ÉMILE"),
        (FREEFORM, "ÉMILE", "émile"),
        (FREEFORM, "Ωμέγα", "ωμέγα"),
        (FREEFORM, "STRASSE", "strasse"),
    ],
)
def test_names_differing_only_in_case_are_one_tag(db: Any, tag_type: str, first: str, second: str):
    tag = one_tag(tag_type, first, second)
    assert tag.name == first  # the first spelling stays
    assert Tag.objects.filter(type=tag_type).named(second).get() == tag
    assert Tag.objects.filter(type=tag_type).named(f"  {second.upper()} ").get() == tag


def test_the_database_refuses_a_second_tag_differing_only_in_case(db: Any):
    Tag.objects.create(type=FANDOM, name=ELKA)
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(type=FANDOM, name="ёлка ÉMILE")
    Tag.objects.create(type=FREEFORM, name="ёлка émile")  # another type may share the name
    assert Tag.objects.named("ЁЛКА ÉMILE").count() == 2


@pytest.mark.parametrize(
    ("first", "second", "first_again"),
    [("Straße", "STRASSE", "STRAßE"), ("Émile", "Emile", "ÉMILE")],
)
def test_names_differing_in_more_than_case_stay_two_tags(
    db: Any, first: str, second: str, first_again: str
):
    (one,) = find_or_create_tags(FREEFORM, [first])
    (other,) = find_or_create_tags(FREEFORM, [second])
    assert one != other
    assert list(Tag.objects.named(first_again)) == [one]
    assert list(Tag.objects.named(second.lower())) == [other]


def test_a_lookup_by_name_is_served_by_the_unique_index(db: Any):
    sql, params = Tag.objects.of_type(FANDOM).named(ELKA).values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        else:  # a table this small is cheaper to read whole: ask what the index would do
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "tag_name_unique_per_type" in plan
    assert "SCAN tags_tag" not in plan and "Seq Scan" not in plan


def test_the_posting_form_files_a_work_under_the_tag_of_either_case(alice: User):
    elka = Tag.objects.create(type=FANDOM, name=ELKA, canonical=True)
    data = form_data(
        alice.default_pseud, title="Snow", fandoms="ёлка émile", freeforms="ÉMILE, émile"
    )
    response = logged_in(alice).post(reverse("works:new"), data)
    assert response.status_code == 302
    work = Work.objects.get(title="Snow")
    assert set(work.tags.filter(type=FANDOM)) == {elka}
    assert list(work.tags.filter(type=FREEFORM).values_list("name", flat=True)) == ["ÉMILE"]
    assert Tag.objects.filter(type=FANDOM).count() == 1


def test_a_search_includes_and_excludes_the_tag_by_either_case(alice: User):
    post_work(alice, "Snow", fandoms=[ELKA])
    post_work(alice, "Rain", fandoms=["Original Work"])
    assert found_titles("include=ёлка émile") == ["Snow"]
    assert found_titles("include=ЁЛКА ÉMILE") == ["Snow"]
    assert found_titles("exclude=ёлка émile") == ["Rain"]


def test_autocomplete_finds_names_by_any_letters_case(db: Any, client: Client):
    elka = fandom(ELKA)
    character("Zoé Émilienne", elka)
    character("Émile Ajar", elka)
    character("Émile Zola")  # of no fandom: not offered within one that is wrangled
    url = "/tags/autocomplete"
    found = client.get(url, {"type": "character", "q": "émi", "fandom": "ёлка émile"})
    assert suggested(found) == ["Émile Ajar", "Zoé Émilienne"]  # names starting so come first
    assert suggested(client.get(url, {"type": "character", "q": "ÉMILE Á"})) == []
    assert suggested(client.get(url, {"type": "fandom", "q": "ёлк"})) == [ELKA]
    assert suggested(client.get(url, {"type": "fandom", "q": "ЁЛКА ÉMI"})) == [ELKA]


# --- a database made before names folded every letter ----------------------------------------

NEW = ("tags", "0007_names_fold_every_letter")
OLD = ("tags", "0006_wranglers_group")


def migrate(target: tuple[str, str]) -> None:
    MigrationExecutor(connection).migrate([target])


def latest() -> tuple[str, str]:
    """The tags app's last migration (later ones add columns the OLD schema lacks)."""
    [leaf] = MigrationExecutor(connection).loader.graph.leaf_nodes("tags")
    return leaf


def old_tag() -> Any:
    """The Tag model as the OLD schema has it: today's model names columns that it lacks."""
    return MigrationExecutor(connection).loader.project_state([OLD]).apps.get_model("tags", "Tag")


def lower(text: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT lower(%s)", [text])
        return str(cursor.fetchone()[0])


def integrity() -> str:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        return " ".join(str(row[0]) for row in cursor.fetchall())


ASCII_CAPITALS = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def ascii_lower(value: Any) -> Any:
    """SQLite's own LOWER: it folds only the ASCII letters."""
    return value.translate(ASCII_CAPITALS) if isinstance(value, str) else value


@pytest.fixture
def old_database(transactional_db: Any) -> Iterator[None]:
    """The database before the migration, written by a LOWER that folds only ASCII."""
    migrate(OLD)
    connection.connection.create_function("lower", 1, ascii_lower, deterministic=True)
    assert lower(ELKA) == "Ёлка Émile"
    yield
    db.use_unicode_lower(None, connection)
    old_tag().objects.filter(name__startswith="ёлка").delete()
    migrate(latest())


@pytest.mark.usefixtures("old_database")
@only_sqlite
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_rebuilds_indexes_written_by_the_old_lower():
    old = old_tag().objects.create(type=FANDOM, name=ELKA)
    db.use_unicode_lower(None, connection)
    assert lower(ELKA) == "ёлка émile"
    assert "missing from index tag_name_unique_per_type" in integrity()
    migrate(NEW)
    assert integrity() == "ok"
    migrate(latest())
    assert [t.pk for t in Tag.objects.of_type(FANDOM).named("ёлка ÉMILE")] == [old.pk]
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(type=FANDOM, name="ёлка émile")


@pytest.mark.usefixtures("old_database")
@only_sqlite
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_stops_and_names_tags_that_now_clash():
    old_tag().objects.create(type=FANDOM, name=ELKA)
    old_tag().objects.create(type=FANDOM, name="ёлка émile")  # the old LOWER let both in
    old_tag().objects.create(type=FREEFORM, name="ёлка émile")  # another type: no clash
    db.use_unicode_lower(None, connection)
    with pytest.raises(CommandError) as refused:
        migrate(NEW)
    assert "These tags clash: fandom: 'Ёлка Émile', 'ёлка émile'. Rename" in str(refused.value)
    assert NEW not in MigrationExecutor(connection).loader.applied_migrations
