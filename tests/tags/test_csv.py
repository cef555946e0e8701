"""Tags files: `ficarchive tags load FILE.csv` and `ficarchive tags dump FILE.csv`."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from ficarchive.tags import actions
from ficarchive.tags.csvfile import dump_tags
from ficarchive.tags.models import ChangeKind, Tag, TagType, WranglingChange
from tests.tags.conftest import canonical, tag

HEADER = "type,name,canonical,synonym_of,fandoms,characters\n"
FULL_HEADER = "type,name,canonical,synonym_of,fandoms,characters,media\n"
GOOD = (
    HEADER
    + "fandom,Sherlock Holmes & Related Fandoms,true,,,\n"
    + "fandom,Sherlock Holmes - Arthur Conan Doyle,true,,Sherlock Holmes & Related Fandoms,\n"
    + "fandom,ACD Holmes,false,Sherlock Holmes - Arthur Conan Doyle,,\n"
    + "character,Sherlock Holmes,true,,Sherlock Holmes - Arthur Conan Doyle,\n"
    + "character,John Watson,true,,Sherlock Holmes - Arthur Conan Doyle,\n"
    + "relationship,Sherlock Holmes/John Watson,true,,Sherlock Holmes - Arthur Conan Doyle,"
    + "Sherlock Holmes|John Watson\n"
    + "relationship,Johnlock,false,Sherlock Holmes/John Watson,,\n"
    + "freeform,Case Fic,true,,,\n"
    + "freeform,Clocks,false,,,\n"
    + "rating,General Audiences,true,,,\n"
)


def load(text: str | bytes, source: str = "tags.csv") -> actions.LoadReport:
    return actions.load_tags(text.encode() if isinstance(text, str) else text, source)


def errors_of(text: str | bytes) -> list[str]:
    before = (Tag.objects.count(), WranglingChange.objects.count())
    with pytest.raises(ValidationError) as refused:
        load(text)
    assert (Tag.objects.count(), WranglingChange.objects.count()) == before, "nothing written"
    return refused.value.messages


def test_loading_creates_the_tags_and_their_links(db):
    report = load(GOOD)
    assert (report.created, report.changed, report.unchanged) == (9, 0, 1)
    acd = Tag.objects.get(type=TagType.FANDOM, name="Sherlock Holmes - Arthur Conan Doyle")
    assert acd.canonical
    assert [p.name for p in acd.parents.all()] == ["Sherlock Holmes & Related Fandoms"]
    assert Tag.objects.get(name="ACD Holmes").synonym_of == acd
    ship = Tag.objects.get(name="Sherlock Holmes/John Watson")
    assert {c.name for c in ship.characters.all()} == {"Sherlock Holmes", "John Watson"}
    assert Tag.objects.get(name="Johnlock").synonym_of == ship
    clocks = Tag.objects.get(name="Clocks")
    assert not clocks.is_wrangled


def test_loading_logs_each_change_for_undo(db, wendy):
    load(GOOD)
    change = WranglingChange.objects.get(tag__name="Johnlock")
    assert change.kind == ChangeKind.LOAD
    assert change.user is None
    assert change.description == (
        "Loaded “Johnlock” (a synonym of “Sherlock Holmes/John Watson”) from tags.csv, line 8."
    )
    actions.undo_change(wendy, change)
    assert Tag.objects.get(name="Johnlock").synonym_of is None


def test_loading_twice_changes_nothing_the_second_time(db):
    load(GOOD)
    changes = WranglingChange.objects.count()
    report = load(GOOD)
    assert (report.created, report.changed, report.unchanged) == (0, 0, 10)
    assert WranglingChange.objects.count() == changes


def test_loading_wrangles_tags_the_archive_already_has(db, alice):
    from tests.conftest import post_work

    post_work(alice, "Ticking", freeforms=["Clocks"])
    clocks = Tag.objects.get(name="Clocks")
    report = load(HEADER + "freeform,Clocks,true,,,\n")
    assert (report.created, report.changed) == (0, 1)
    clocks.refresh_from_db()
    assert clocks.canonical


def test_a_dumped_archive_loads_back_the_same(db, wendy):
    load(GOOD)
    hp = canonical(wendy, TagType.FANDOM, "Harry Potter")
    actions.make_synonym(wendy, tag(TagType.FANDOM, "HP"), hp)
    canonical(wendy, TagType.FREEFORM, "Fluff", fandoms=[hp])
    dumped = dump_tags()
    assert dumped.startswith(FULL_HEADER)
    assert "fandom,HP,false,Harry Potter,,,\n" in dumped
    assert (
        "relationship,Sherlock Holmes/John Watson,true,,Sherlock Holmes - Arthur Conan Doyle,"
        "John Watson|Sherlock Holmes,\n" in dumped
    )
    assert "rating,Explicit,true,,,,\n" in dumped

    assert load(dumped).changed == 0
    free = Tag.objects.free()
    for each in free:
        each.parents.clear()
        each.characters.clear()
    free.update(synonym_of=None)
    WranglingChange.objects.all().delete()
    free.delete()
    load(dumped)
    assert dump_tags() == dumped


def test_every_bad_row_is_reported_by_line_and_nothing_is_loaded(db):
    text = (
        HEADER
        + "fandom,Good Fandom,true,,,\n"  # 2
        + "fanfom,Typo,true,,,\n"  # 3
        + 'freeform,"Hurt, Comfort",true,,,\n'  # 4
        + "freeform,Floof,false,Nowhere,,\n"  # 5
        + "freeform,Loose,false,,,\n"  # 6
        + "freeform,Floofy,false,Loose,,\n"  # 7
        + "freeform,Fluff,true,,,\n"  # 8
        + "freeform,Floof2,false,Fluff,,\n"  # 9
        + "freeform,Floof3,false,Floof2,,\n"  # 10
        + "freeform,Short,true\n"  # 11
        + "fandom,Cycle A,true,,Cycle B,\n"  # 12
        + "fandom,Cycle B,true,,Cycle A,\n"  # 13
        + "freeform,Maybe,perhaps,,,\n"  # 14
        + "rating,Kinda Spicy,true,,,\n"  # 15
        + "character,Watson,true,,Not A Fandom,\n"  # 16
        + "freeform,fluff,true,,,\n"  # 17
    )
    errors = errors_of(text)
    assert errors == [
        "tags.csv line 3: unknown type “fanfom”; use one of fandom, character, relationship, "
        "freeform, rating, warning, category.",
        "tags.csv line 4: Tag 'Hurt, Comfort' cannot contain a comma; commas separate tags.",
        "tags.csv line 11: expected 6 fields (type,name,canonical,synonym_of,fandoms,characters)"
        ", found 3.",
        "tags.csv line 14: canonical must be true or false, not “perhaps”.",
    ]
    # Rows that read well are then held against each other and the archive.
    readable = "\n".join(
        line for number, line in enumerate(text.splitlines(), 1) if number not in (3, 4, 11, 14)
    )
    errors = errors_of(readable)
    assert errors == [
        "tags.csv line 3: synonym_of “Nowhere” is not a freeform tag in this file or the archive.",
        "tags.csv line 5: synonym_of “Loose” is not canonical; mark it canonical first.",
        "tags.csv line 8: synonym_of “Floof2” is itself a synonym of “Fluff”; make “Floof3” a "
        "synonym of “Fluff” instead.",
        "tags.csv line 9: the parent fandoms make a cycle: Cycle A → Cycle B → Cycle A.",
        "tags.csv line 11: “Kinda Spicy” is not a rating; the rating tags are fixed: Not Rated, "
        "General Audiences, Teen And Up Audiences, Mature, Explicit.",
        "tags.csv line 12: fandom “Not A Fandom” is not in this file or the archive.",
        "tags.csv line 13: “fluff” is already on line 6.",
    ]


def test_a_cycle_through_the_archive_is_refused(db, wendy):
    top = canonical(wendy, TagType.FANDOM, "Top")
    canonical(wendy, TagType.FANDOM, "Bottom", fandoms=[top])
    errors = errors_of(HEADER + "fandom,Top,true,,Bottom,\n")
    assert errors == ["tags.csv line 2: the parent fandoms make a cycle: Top → Bottom → Top."]


def test_a_file_cannot_strand_the_archive_s_synonyms(db, wendy):
    fluff = canonical(wendy, TagType.FREEFORM, "Fluff")
    actions.make_synonym(wendy, tag(TagType.FREEFORM, "Floof"), fluff)
    errors = errors_of(HEADER + "freeform,Fluff,false,,,\n")
    assert errors == [
        "tags.csv line 2: “Fluff” would stop being canonical, but the archive's synonyms "
        "“Floof” depend on it."
    ]
    report = load(HEADER + "freeform,Fluff,false,,,\nfreeform,Floof,true,,,\n")
    assert report.changed == 2


def test_a_synonym_row_may_repeat_its_canonical_tags_fandoms_as_ao3_shows_them(db):
    text = (
        GOOD
        + "relationship,Holmes/Watson,false,Sherlock Holmes/John Watson,"
        + "acd holmes,John Watson|Sherlock Holmes\n"
    )
    load(text)
    synonym = Tag.objects.get(name="Holmes/Watson")
    assert synonym.merger.name == "Sherlock Holmes/John Watson"
    assert not synonym.parents.exists() and not synonym.characters.exists()


def test_a_synonym_row_whose_fandoms_differ_from_its_canonical_tags_is_named(db):
    load(GOOD)
    text = HEADER + "character,Holmes,false,Sherlock Holmes,Sherlock Holmes & Related Fandoms,\n"
    assert errors_of(text) == [
        "tags.csv line 2: “Holmes” is a synonym of “Sherlock Holmes” and takes its fandoms "
        "from it: this row lists “Sherlock Holmes & Related Fandoms”, but “Sherlock Holmes” has "
        "“Sherlock Holmes - Arthur Conan Doyle”; list the same fandoms or leave them out."
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "freeform,Cozy,true,Fluff,,",
            "“Cozy” cannot be canonical and a synonym of “Fluff” at once.",
        ),
        (
            "freeform,Floof,false,Fluff,Fandom,",
            "“Floof” is a synonym of “Fluff” and takes its fandoms from it: this row lists "
            "“Fandom”, but “Fluff” has none; list the same fandoms or leave them out.",
        ),
        (
            "character,Pell,true,,,Fluff",
            "“Pell” is a character; only relationships have characters.",
        ),
        ("relationship,A/B,true,,,Fluff", "character “Fluff” is not in this file or the archive."),
        ("fandom,Fandom2,true,,Fandom2,", "“Fandom2” cannot be its own parent fandom."),
        ("freeform,Fluff2,false,Fluff2,,", "“Fluff2” cannot be a synonym of itself."),
        ("warning,No Archive Warnings Apply,false,,,", "is a fixed warning tag"),
    ],
)
def test_each_rule_is_checked_per_row(row, message, db):
    text = HEADER + "freeform,Fluff,true,,,\nfandom,Fandom,true,,,\n" + row + "\n"
    errors = errors_of(text)
    assert len(errors) == 1
    assert errors[0].startswith("tags.csv line 4: ")
    assert message in errors[0]


def test_a_wrong_header_is_named(db):
    assert errors_of("kind,name,canonical,synonym_of,fandoms,characters\nfandom,X,true,,,\n") == [
        "tags.csv line 1: the header lacks the column type; it must be "
        "type,name,canonical,synonym_of,fandoms,characters."
    ]
    assert errors_of("type,name\nfandom,X\n") == [
        "tags.csv line 1: the header lacks the columns canonical, synonym_of, fandoms, "
        "characters; it must be type,name,canonical,synonym_of,fandoms,characters."
    ]
    assert errors_of("name,type,canonical,synonym_of,fandoms,characters\n") == [
        "tags.csv line 1: the header must be type,name,canonical,synonym_of,fandoms,characters, "
        "not name,type,canonical,synonym_of,fandoms,characters."
    ]


def test_a_file_that_is_not_utf8_is_named_with_its_line(db):
    data = (HEADER + "fandom,Caf\xe9,true,,,\n").encode("latin-1")
    assert errors_of(data) == [
        "tags.csv line 2: this is not UTF-8 text (byte 0xe9); save the file as UTF-8."
    ]


def test_an_empty_file_is_refused(db):
    assert errors_of(b"") == [
        "tags.csv is empty; a tags file starts with the header line "
        "type,name,canonical,synonym_of,fandoms,characters."
    ]
    assert errors_of(b"  \n\n") == errors_of(b"")


def test_a_binary_file_is_refused(db):
    assert errors_of(HEADER.encode() + b"fandom,A\x00B,true,,,\n") == [
        "tags.csv line 2: a NUL byte; this is a binary file, not CSV text."
    ]


def test_a_byte_order_mark_and_blank_lines_are_fine(db):
    report = load(("\ufeff" + HEADER + "\nfreeform,Fluff,true,,,\n\n").encode())
    assert report.created == 1


# --- the command -------------------------------------------------------------------------


def test_the_tags_command_loads_a_file(tmp_path: Path, db):
    path = tmp_path / "starter.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = StringIO()
    call_command("tags", "load", str(path), stdout=out)
    assert out.getvalue().strip() == "Loaded starter.csv: 9 tags created, 0 changed, 1 unchanged."
    assert Tag.objects.filter(name="Johnlock").exists()


def test_the_tags_command_lists_every_bad_row_and_loads_nothing(tmp_path: Path, db):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "fanfom,X,true,,,\nfreeform,Y,maybe,,,\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match=r"bad\.csv: 2 problems; nothing was loaded\."):
        call_command("tags", "load", str(path), stdout=StringIO(), stderr=err)
    assert "bad.csv line 2: unknown type “fanfom”" in err.getvalue()
    assert "bad.csv line 3: canonical must be true or false" in err.getvalue()
    assert not Tag.objects.filter(name__in=["X", "Y"]).exists()


def test_the_tags_command_names_a_missing_file(tmp_path: Path, db):
    with pytest.raises(CommandError, match=r"Cannot read .*missing\.csv"):
        call_command("tags", "load", str(tmp_path / "missing.csv"))


def test_the_tags_command_dumps_to_a_file_or_the_screen(tmp_path: Path, db):
    load(GOOD)
    path = tmp_path / "out.csv"
    out = StringIO()
    call_command("tags", "dump", str(path), stdout=out)
    assert path.read_text(encoding="utf-8") == dump_tags()
    assert out.getvalue().startswith("Wrote ")
    screen = StringIO()
    call_command("tags", "dump", "-", stdout=screen)
    assert screen.getvalue() == dump_tags()


def test_the_tags_command_needs_a_subcommand(db):
    with pytest.raises(CommandError):
        call_command("tags")


def test_the_ficarchive_command_loads_and_dumps_tags(tmp_path: Path):
    from tests.test_cli import run_cli

    source = tmp_path / "in.csv"
    source.write_text(GOOD, encoding="utf-8")
    loaded = run_cli(tmp_path / "data", "tags", "load", str(source), FICARCHIVE_DEMO="0")
    assert loaded.returncode == 0, loaded.stderr
    assert "Loaded in.csv: 9 tags created" in loaded.stdout
    dumped = run_cli(tmp_path / "data", "tags", "dump", "-")
    assert dumped.returncode == 0, dumped.stderr
    assert "relationship,Johnlock,false,Sherlock Holmes/John Watson,,,\n" in dumped.stdout
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfe")
    refused = run_cli(tmp_path / "data", "tags", "load", str(bad))
    assert refused.returncode != 0
    assert "bad.csv line 1: this is not UTF-8 text (byte 0xff)" in refused.stderr
