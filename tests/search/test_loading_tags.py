"""`ficarchive works load` resolves character and relationship names within each line's fandoms,
as the posting form does: "Harry", "Harry/Draco" and "Drarry" become synonyms of the fandom's
canonical tags, ambiguous names and names of another fandom stay as typed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from ficarchive.accounts.models import User
from ficarchive.search.index_keeper import search
from ficarchive.search.loading import load_works
from ficarchive.search.query import SearchQuery
from ficarchive.tags import actions, resolving
from ficarchive.tags.models import ChangeKind, Tag, TagType, WranglingChange
from ficarchive.works.models import Work
from tests.conftest import make_user, post_work
from tests.search.test_loading import GOOD
from tests.tags.conftest import canonical
from tests.tags.test_resolving import archive  # noqa: F401 (a fixture)

HP = "Harry Potter - J. K. Rowling"
SHERLOCK = "Sherlock (TV)"
PAIRING = "Draco Malfoy/Harry Potter"
CHARACTER, RELATIONSHIP, FANDOM = TagType.CHARACTER, TagType.RELATIONSHIP, TagType.FANDOM


@pytest.fixture
def wendy(db: Any) -> User:
    user = make_user("wendy")
    user.groups.add(Group.objects.get(name="Tag wranglers"))
    return User.objects.get(pk=user.pk)


@dataclass
class Canon:
    hp: Tag
    sherlock: Tag
    harry: Tag
    draco: Tag
    pairing: Tag


@pytest.fixture
def canon(wendy: User) -> Canon:
    """Two wrangled fandoms, made by a wrangler through the wrangling actions."""
    hp = canonical(wendy, FANDOM, HP)
    sherlock = canonical(wendy, FANDOM, SHERLOCK)
    people = {
        name: canonical(wendy, CHARACTER, name, fandoms=[hp])
        for name in ("Harry Potter", "Draco Malfoy", "Ron Weasley", "James Potter", "Ginny Weasley")
    }
    for name in ("John Watson", "Sherlock Holmes"):
        people[name] = canonical(wendy, CHARACTER, name, fandoms=[sherlock])
    pairs = [("Draco Malfoy", "Harry Potter", hp), ("Ginny Weasley", "Harry Potter", hp)]
    pairs.append(("Harry Potter", "Ron Weasley", hp))
    pairs.append(("John Watson", "Sherlock Holmes", sherlock))
    made = [
        canonical(wendy, RELATIONSHIP, f"{a}/{b}", fandoms=[f], characters=[people[a], people[b]])
        for a, b, f in pairs
    ]
    return Canon(hp, sherlock, people["Harry Potter"], people["Draco Malfoy"], made[0])


def line(title: str, fandoms: list[str], relationships=(), characters=(), **more: Any) -> str:
    work = {
        **GOOD,
        "title": title,
        "creators": ["alice"],
        "fandoms": fandoms,
        "relationships": list(relationships),
        "characters": list(characters),
        **more,
    }
    return json.dumps(work)


def found_under(name: str) -> list[str]:
    """What a guest finds including the tag NAME, by title."""
    ids = search(SearchQuery(include=(name,)), AnonymousUser()).ids
    return sorted(Work.objects.filter(id__in=ids).values_list("title", flat=True))


def tag(tag_type: str, name: str) -> Tag:
    return Tag.objects.select_related("synonym_of").get(type=tag_type, name=name)


def carried(title: str) -> set[str]:
    work = Work.objects.get(title=title)
    return set(work.tags.filter(type__in=[CHARACTER, RELATIONSHIP]).values_list("name", flat=True))


def test_short_forms_and_ship_names_become_synonyms_of_the_canonical_tags(canon, alice):
    lines = [line("Eighth Year", [HP], ["Harry/Draco", "Drarry"], ["Harry"])]
    report = load_works(lines)
    assert (report.loaded, report.bad) == (1, [])
    assert carried("Eighth Year") == {"Harry/Draco", "Drarry", "Harry"}
    assert tag(RELATIONSHIP, "Harry/Draco").synonym_of == canon.pairing
    assert tag(RELATIONSHIP, "Drarry").synonym_of == canon.pairing
    assert tag(CHARACTER, "Harry").synonym_of == canon.harry
    assert found_under(PAIRING) == ["Eighth Year"]
    assert found_under("Harry Potter") == ["Eighth Year"]
    made = WranglingChange.objects.filter(kind=ChangeKind.SYNONYM, user=None)
    assert set(made.values_list("description", flat=True)) == {
        f"Made “Harry/Draco” a synonym of “{PAIRING}”: the name stands for it in “{HP}”.",
        f"Made “Drarry” a synonym of “{PAIRING}”: the name stands for it in “{HP}”.",
        f"Made “Harry” a synonym of “Harry Potter”: the name stands for it in “{HP}”.",
    }


def test_a_synonym_the_loader_made_can_be_undone_by_a_wrangler(canon, alice, wendy):
    load_works([line("Eighth Year", [HP], ["Drarry"])])
    change = WranglingChange.objects.get(kind=ChangeKind.SYNONYM, tag__name="Drarry")
    actions.undo_change(wendy, change)
    assert tag(RELATIONSHIP, "Drarry").is_wrangled is False
    assert found_under(PAIRING) == []


def test_an_ambiguous_name_stays_unwrangled(canon, alice):
    """ "Potter" is Harry or James; "Weasley/Harry" is Harry with Ron or with Ginny."""
    load_works([line("Potters", [HP], ["Weasley/Harry"], ["Potter"])])
    assert carried("Potters") == {"Weasley/Harry", "Potter"}
    assert tag(CHARACTER, "Potter").is_wrangled is False
    assert tag(RELATIONSHIP, "Weasley/Harry").is_wrangled is False
    assert found_under("Harry Potter") == []
    assert found_under(PAIRING) == []
    assert not WranglingChange.objects.filter(user=None).exists()


def test_a_name_in_a_line_of_another_fandom_is_not_resolved_there(canon, alice):
    load_works([line("Baker Street", [SHERLOCK], ["Harry/Draco", "Drarry"], ["Harry"])])
    assert carried("Baker Street") == {"Harry/Draco", "Drarry", "Harry"}
    for tag_type, name in [(RELATIONSHIP, "Harry/Draco"), (RELATIONSHIP, "Drarry")]:
        assert tag(tag_type, name).is_wrangled is False
    assert tag(CHARACTER, "Harry").is_wrangled is False
    assert found_under(PAIRING) == []
    assert found_under("Harry Potter") == []


@pytest.mark.parametrize("batch", [1, 100])
def test_a_name_another_fandom_uses_gives_the_canonical_tag_itself(canon, alice, batch):
    """An earlier line (in this batch or one before) used "Drarry" and "Harry" in Sherlock:
    they cannot become synonyms of Harry Potter's tags, so the Harry Potter work takes the
    canonical tags themselves, as the posting form does."""
    lines = [
        line("Baker Street", [SHERLOCK], ["Drarry"], ["Harry"]),
        line("Eighth Year", [HP], ["Drarry"], ["Harry"]),
    ]
    load_works(lines, batch=batch)
    assert carried("Baker Street") == {"Drarry", "Harry"}
    assert carried("Eighth Year") == {PAIRING, "Harry Potter"}
    assert tag(RELATIONSHIP, "Drarry").is_wrangled is False
    assert tag(CHARACTER, "Harry").is_wrangled is False
    assert found_under(PAIRING) == ["Eighth Year"]


def test_a_canonical_name_is_itself_and_later_lines_use_the_synonyms_made(canon, alice):
    lines = [
        line("First", [HP], ["Drarry"]),
        line("Second", [HP], [PAIRING, "drarry"]),
        line("Third", [SHERLOCK], ["Drarry"]),  # a synonym already: it stays one
    ]
    load_works(lines)
    assert carried("Second") == {PAIRING, "Drarry"}
    assert carried("Third") == {"Drarry"}
    assert tag(RELATIONSHIP, "Drarry").synonym_of == canon.pairing
    assert WranglingChange.objects.filter(user=None).count() == 1
    assert found_under(PAIRING) == ["First", "Second", "Third"]


class Rollback(Exception):
    pass


def outcome(titles: list[str], since: int) -> dict[str, Any]:
    """What the works carry, the state of every character and relationship, and the logged
    changes since SINCE."""
    states = Tag.objects.filter(type__in=[CHARACTER, RELATIONSHIP]).select_related("synonym_of")
    return {
        "works": [carried(title) for title in titles],
        "tags": sorted(
            (t.type, t.name, t.canonical, t.synonym_of.name if t.synonym_of else "") for t in states
        ),
        "changes": sorted(
            WranglingChange.objects.filter(pk__gt=since).values_list("kind", "description")
        ),
    }


def test_the_loader_files_names_as_the_posting_form_does(canon, alice):
    works = [
        ("Eighth Year", [HP], ["Harry/Draco", "Drarry", "Hermione & Harry"], ["Harry", "Potter"]),
        ("Baker Street", [SHERLOCK], ["Johnlock", "Drarry"], ["Harry", "Ron"]),
        ("Burrow", [HP], ["Hinny"], ["Ron", "Draco"]),
        ("An AU", ["Some AU"], ["Hinny", "Johnlock"], ["Draco"]),
        ("Crossover", [HP, SHERLOCK], ["Sherlock/Harry", "Harry/Draco"], ["John"]),
    ]
    titles = [title for title, *_ in works]
    since = WranglingChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        with transaction.atomic():
            for title, fandoms, relationships, characters in works:
                post_work(
                    alice, title, fandoms=fandoms, relationships=relationships,
                    characters=characters,
                )  # fmt: skip
            by_form = outcome(titles, since)
            raise Rollback
    except Rollback:
        pass
    assert not Work.objects.exists()
    load_works([line(*work) for work in works], batch=2)
    assert outcome(titles, since) == by_form
    assert len(by_form["changes"]) >= 4  # "Harry/Draco", "Drarry", "Harry", "Johnlock"…
    assert "Ron Weasley" in by_form["works"][2]  # "Ron" was used in Sherlock first


def test_bad_lines_leave_all_data_as_it_was(canon, alice, tmp_path: Path):
    def everything() -> dict[str, Any]:
        return {
            "tags": sorted(
                Tag.objects.values_list("pk", "type", "name", "canonical", "synonym_of")
            ),
            "changes": sorted(WranglingChange.objects.values_list("pk", "description")),
            "works": Work.objects.count(),
            "users": sorted(User.objects.values_list("username", flat=True)),
        }

    before = everything()
    lines = [
        line("Eighth Year", [HP], ["Drarry"], ["Harry"], words=-1, creators=["new_creator"]),
        line("Nul\x00", [HP], ["Harry/Draco"], ["Draco"]),
        line("Late", [HP], ["Harry/Draco"], ["Ginny"], published="someday"),
        line("Lone", [HP], ["Harry/Draco\udc80"], ["Draco"]),
    ]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="4 bad lines"):
        call_command("works", "load", str(path), "--quiet", stdout=StringIO(), stderr=err)
    assert "line 1: words must be a whole number." in err.getvalue()
    assert "line 2: title cannot be used: it holds a NUL character" in err.getvalue()
    assert "line 3: published must be an ISO date." in err.getvalue()
    assert "line 4: relationships[0] cannot be used: it holds a lone surrogate" in err.getvalue()
    assert everything() == before


def test_a_bad_line_among_good_ones_writes_nothing_of_its_own(canon, alice):
    lines = [
        line("Eighth Year", [HP], ["Drarry"]),
        line("Bad", [HP], ["Harry/Draco"], ["Draco"], kudos=-5),
        line("Burrow", [HP], ["Harry/Ginny"]),
    ]
    report = load_works(lines)
    assert (report.loaded, report.bad) == (2, [(2, "kudos must be a whole number.")])
    assert not Tag.objects.filter(name__in=["Harry/Draco", "Draco"]).exists()
    assert sorted(Work.objects.values_list("title", flat=True)) == ["Burrow", "Eighth Year"]
    assert tag(RELATIONSHIP, "Drarry").synonym_of == canon.pairing
    assert tag(RELATIONSHIP, "Harry/Ginny").synonym_of == tag(
        RELATIONSHIP, "Ginny Weasley/Harry Potter"
    )


def test_lines_outside_wrangled_fandoms_cost_no_query_per_line(canon):
    """The benchmark's corpus names no wrangled fandom: a batch of it makes as many queries
    for 400 lines as for 100, although canonical characters exist elsewhere."""
    from bench.corpus import works

    corpus = list(works(400))
    load_works(json.dumps(w) for w in corpus)  # its accounts and tags exist from here on

    def queries(count: int) -> int:
        lines = [json.dumps({**w, "title": f"Again {w['title']}"}) for w in corpus[:count]]
        with CaptureQueriesContext(connection) as captured:
            load_works(lines, batch=count)
        return len(captured)

    assert queries(400) == queries(100)


def test_the_loaders_casts_for_many_fandom_sets_are_the_posting_forms(request):
    """`casts_of` fetches the casts of a batch's fandom sets at once; each is what `cast_of`
    gives the posting form: metatags, sub-fandoms, fandom synonyms and crossovers included."""
    fandoms_of = request.getfixturevalue("archive")  # from tests/tags/test_resolving.py
    extra = Tag.objects.create(
        type=RELATIONSHIP, name="Hermione Granger/Draco Malfoy", canonical=True
    )
    extra.parents.set([fandoms_of.hp])  # characters read from its name
    Tag.objects.create(type=CHARACTER, name="Cody", canonical=True).parents.set(
        [fandoms_of.clone_wars]
    )
    bnha_synonym = Tag.objects.get(type=FANDOM, name="BNHA")
    unwrangled = Tag.objects.create(type=FANDOM, name="Some AU")
    sets = [
        [fandoms_of.hp],
        [fandoms_of.sherlock, fandoms_of.hp],
        [bnha_synonym],
        [fandoms_of.star_wars],
        [fandoms_of.clone_wars, fandoms_of.grimm],
        [fandoms_of.ouat, unwrangled],
        [unwrangled],
        [],
    ]
    scopes = [resolving.fandom_scope(fandoms) for fandoms in sets]
    batch = resolving.casts_of(scopes)

    def shape(cast: resolving.Cast) -> Any:
        return (
            cast.fandom_ids,
            [(c.tag.pk, c.names, c.fandom_ids) for c in cast.characters],
            [(r.tag.pk, r.platonic, r.character_ids) for r in cast.relationships],
        )

    for fandoms, scope in zip(sets, scopes, strict=True):
        assert shape(batch[scope]) == shape(resolving.cast_of(fandoms)), fandoms
        each = [resolving.fandom_scope([fandom]) for fandom in fandoms]
        assert frozenset().union(*each) == scope  # the loader unites each fandom's scope
    assert any(extra.pk == r.tag.pk for r in batch[scopes[0]].relationships)
