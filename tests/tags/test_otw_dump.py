"""The tags file of the OTW's public data dump: `ficarchive tags load` reads it as a stream."""

from __future__ import annotations

from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from ficarchive.tags import actions
from ficarchive.tags.actions import vocabulary
from ficarchive.tags.management.commands.tags import ProgressLine
from ficarchive.tags.models import ChangeKind, Tag, TagType, WranglingChange
from ficarchive.tags.otwfile import (
    SKIP_FIXED_KNOWN,
    SKIP_MEDIA,
    SKIP_NAME,
    SKIP_REDACTED,
    relationship_members,
    skip_unknown,
)
from tests.tags.conftest import canonical, tag

HEADER = "id,type,name,canonical,cached_count,merger_id\n"
ROWS = [
    "1,Fandom,Lighthouse Keepers (TV),true,120,",
    "2,Fandom,LK,false,40,1",  # a synonym of an earlier row
    "3,Character,Ada Quill,true,30,",
    "4,Character,Bram Quill (Lighthouse Keepers),true,25,",
    "5,Relationship,Ada Quill/Bram Quill (Lighthouse Keepers),true,10,",
    "6,Relationship,Adabram,false,3,5",
    "7,Freeform,Fluff,false,50,40",  # a synonym of a later row
    "8,Freeform,Redacted,false,0,",
    "9,Character,Redacted,false,0,",
    "10,Media,TV Shows,true,1000,",
    "11,Rating,Explicit,true,1,",
    '12,Freeform,"Tea, Biscuits, and Rain",false,2,',
    "13,Character,Ёлка Снежная,true,5,",
    "14,Relationship,Ёлка Снежная & Ada Quill,true,2,",
    "15,Genre,Whimsy,true,1,",
    "16,UnsortedTag,chaotic good,false,1,",
    '17,Freeform,"The ""Quiet"" Harbour",false,1,',
    "40,Freeform,Fluffy Fluff,true,90,",
    "41,Fandom,Orphaned Synonym,false,1,999",  # its canonical tag is not in the file
    "42,Character,Keepers,false,1,1",  # its canonical tag is a fandom
]
DUMP = HEADER + "\n".join(ROWS) + "\n"


def load(text: str | bytes, source: str = "tags.csv") -> vocabulary.VocabularyReport:
    data = text.encode() if isinstance(text, str) else text
    return vocabulary.load_otw_tags(BytesIO(data), source, size=len(data))


def state(name: str, tag_type: str) -> tuple[bool, str | None]:
    found = Tag.objects.of_type(tag_type).named(name).select_related("synonym_of").get()
    return found.canonical, found.synonym_of.name if found.synonym_of else None


def everything() -> list[tuple[Any, ...]]:
    return [
        (t.type, t.name, t.canonical, t.synonym_of_id, sorted(c.name for c in t.characters.all()))
        for t in Tag.objects.order_by("pk").prefetch_related("characters")
    ]


def errors_of(text: str | bytes) -> list[str]:
    before = everything()
    with pytest.raises(ValidationError) as refused:
        load(text)
    assert everything() == before  # nothing was written
    return refused.value.messages


def test_a_dump_loads_canonical_tags_and_synonyms_pointing_either_way(db):
    report = load(DUMP)
    assert state("Lighthouse Keepers (TV)", TagType.FANDOM) == (True, None)
    assert state("LK", TagType.FANDOM) == (False, "Lighthouse Keepers (TV)")
    assert state("Adabram", TagType.RELATIONSHIP) == (
        False,
        "Ada Quill/Bram Quill (Lighthouse Keepers)",
    )
    assert state("Fluff", TagType.FREEFORM) == (False, "Fluffy Fluff")
    assert state("chaotic good", TagType.FREEFORM) == (False, None)
    assert state('The "Quiet" Harbour', TagType.FREEFORM) == (False, None)
    assert state("Ёлка Снежная", TagType.CHARACTER) == (True, None)
    assert (report.rows, report.created, report.synonyms) == (20, 14, 3)


def test_relationships_take_their_characters_from_their_names(db):
    report = load(DUMP)
    ship = Tag.objects.named("Ada Quill/Bram Quill (Lighthouse Keepers)").get()
    assert sorted(ship.characters.values_list("name", flat=True)) == [
        "Ada Quill",
        "Bram Quill (Lighthouse Keepers)",
    ]
    friends = Tag.objects.named("Ёлка Снежная & Ada Quill").get()
    assert sorted(friends.characters.values_list("name", flat=True)) == [
        "Ada Quill",
        "Ёлка Снежная",
    ]
    assert report.with_characters == 2
    assert not Tag.objects.named("Adabram").get().characters.exists()  # a synonym has none


def test_rows_the_archive_cannot_hold_are_left_out_and_counted(db):
    report = load(DUMP)
    assert report.skipped[SKIP_REDACTED] == 2
    assert report.skipped[SKIP_MEDIA] == 1
    assert report.skipped[skip_unknown("Genre")] == 1
    assert report.skipped[SKIP_NAME] == 1
    assert report.skipped[SKIP_FIXED_KNOWN] == 1
    assert not Tag.objects.named("Redacted").exists()
    assert not Tag.objects.named("TV Shows").exists()
    assert not Tag.objects.named("Whimsy").exists()
    assert Tag.objects.named("Explicit").count() == 1
    summary = "\n".join(report.summary("tags.csv"))
    assert "Left out: 2 rows named “Redacted”" in summary
    assert "Left out: 1 rows of the unknown type “Genre”" in summary


def test_a_synonym_without_its_canonical_tag_stays_unwrangled(db):
    report = load(DUMP)
    assert state("Orphaned Synonym", TagType.FANDOM) == (False, None)
    assert state("Keepers", TagType.CHARACTER) == (False, None)  # its merger is a fandom
    assert report.unresolved == 2


def test_loading_the_same_dump_again_changes_nothing(db):
    load(DUMP)
    first = everything()
    changes = WranglingChange.objects.count()
    again = load(DUMP)
    assert everything() == first
    assert WranglingChange.objects.count() == changes
    assert (again.created, again.made_canonical, again.synonyms) == (0, 0, 0)


def test_a_name_whose_lower_case_differs_between_databases_loads_again(db):
    """PostgreSQL lowers a capital sigma at the end of a word to a small sigma; Python, to a
    final sigma."""
    text = HEADER + "1,Character,ΟΔΥΣΣΕΑΣ,true,1,\n2,Character,Odysseus,false,1,1\n"
    load(text)
    again = load(text)
    assert (again.created, again.kept) == (0, 2)
    assert state("Odysseus", TagType.CHARACTER) == (False, "ΟΔΥΣΣΕΑΣ")


def test_synonyms_link_across_batches(db, monkeypatch):
    monkeypatch.setattr(vocabulary, "BATCH", 2)
    monkeypatch.setattr(vocabulary, "CHUNK", 1)
    load(DUMP)
    assert state("Fluff", TagType.FREEFORM) == (False, "Fluffy Fluff")
    assert state("LK", TagType.FANDOM) == (False, "Lighthouse Keepers (TV)")


def test_the_archive_keeps_its_wrangling_and_logs_what_the_dump_changes(wendy):
    fluff = canonical(wendy, TagType.FREEFORM, "Fluff")
    lk = tag(TagType.FANDOM, "lk")  # unwrangled, typed by an author
    keepers = tag(TagType.FANDOM, "Lighthouse Keepers (TV)")
    load(DUMP)
    fluff.refresh_from_db()
    assert fluff.canonical and fluff.synonym_of_id is None
    assert state("lk", TagType.FANDOM) == (False, "Lighthouse Keepers (TV)")
    logged = WranglingChange.objects.filter(kind=ChangeKind.LOAD)
    assert sorted(change.tag.name for change in logged) == ["Lighthouse Keepers (TV)", "lk"]
    change = logged.get(tag=lk)
    assert change.description == "Loaded “lk” (synonym) from tags.csv, line 3."
    actions.undo_change(wendy, change)
    assert state("lk", TagType.FANDOM) == (False, None)
    keepers.refresh_from_db()
    assert keepers.canonical


def test_a_synonym_of_a_tag_the_archive_holds_as_a_synonym_joins_its_canonical_tag(wendy):
    softness = canonical(wendy, TagType.FREEFORM, "Softness")
    actions.make_synonym(wendy, tag(TagType.FREEFORM, "Fluffy Fluff"), softness)
    load(DUMP)
    assert state("Fluffy Fluff", TagType.FREEFORM) == (False, "Softness")
    assert state("Fluff", TagType.FREEFORM) == (False, "Softness")


def test_a_copy_saved_by_a_data_frame_library_loads(db):
    """A leading unnamed column of row numbers, True/False, and ids written as 1.0."""
    text = (
        ",id,type,name,canonical,cached_count,merger_id\n"
        "7,101,Fandom,Tidewater Saga,True,12,\n"
        "3,102,Fandom,TWS,False,4,101.0\n"
    )
    load(text)
    assert state("TWS", TagType.FANDOM) == (False, "Tidewater Saga")


def test_a_bad_line_is_named_and_nothing_is_loaded(db):
    text = DUMP + "x7,Freeform,Odd,false,1,\n43,Freeform,Odd,maybe,1,\n44,Freeform,Odd\n"
    assert errors_of(text) == [
        "tags.csv line 22: id must be a whole number up to 4,294,967,295, not “x7”.",
        "tags.csv line 23: canonical must be true or false, not “maybe”.",
        "tags.csv line 24: expected 6 fields as in the header, found 3.",
    ]


def test_hostile_files_are_refused_by_line(db):
    assert errors_of(HEADER.replace(",merger_id", "")) == [
        "tags.csv line 1: the header lacks the column merger_id; a tags file of the OTW's "
        "data dump starts with id,type,name,canonical,cached_count,merger_id."
    ]
    assert errors_of(HEADER + "1,Fandom,A,true,1,\n" + "2,Fandom," + "x" * 70000 + "\n") == [
        "tags.csv line 3: the line is longer than 65,536 bytes; this is not a tags file."
    ]
    assert errors_of(HEADER.encode() + b"1,Fandom,A\x00\x01,true,1,\n") == [
        "tags.csv line 2: a NUL byte; this is a binary file, not CSV text."
    ]
    assert errors_of(HEADER.encode() + b"1,Fandom,Caf\xe9,true,1,\n") == [
        "tags.csv line 2: this is not UTF-8 text (byte 0xe9); save the file as UTF-8."
    ]


def test_the_command_tells_the_formats_apart_and_reports(tmp_path: Path, db):
    dump = tmp_path / "tags-dump.csv"
    dump.write_text(DUMP, encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("tags", "load", str(dump), stdout=out, stderr=err)
    assert "Loaded tags-dump.csv: 20 rows; 14 tags created" in out.getvalue()
    assert "Reading rows: 20 (100%)" in err.getvalue()  # plain lines: not a terminal
    ours = tmp_path / "ours.csv"
    ours.write_text("type,name,canonical,synonym_of,fandoms,characters\nfreeform,Angst,true,,,\n")
    call_command("tags", "load", str(ours), stdout=out)
    assert "Loaded ours.csv: 1 tags created" in out.getvalue()


def test_the_command_refuses_a_binary_file_and_a_header_of_neither_format(tmp_path: Path, db):
    picture = tmp_path / "cover.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("tags", "load", str(picture), stdout=StringIO(), stderr=err)
    assert "cover.png line 3: a NUL byte; this is a binary file, not CSV text." in err.getvalue()
    other = tmp_path / "other.csv"
    other.write_text("title,author\nA,B\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("tags", "load", str(other), stdout=StringIO(), stderr=err)
    assert "other.csv line 1: the header lacks the columns type" in err.getvalue()


def test_a_huge_line_of_our_format_is_named(tmp_path: Path, db):
    huge = tmp_path / "huge.csv"
    line = "freeform," + "x" * 200_000 + ",true,,,\n"
    huge.write_text("type,name,canonical,synonym_of,fandoms,characters\n" + line)
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("tags", "load", str(huge), stdout=StringIO(), stderr=err)
    assert "huge.csv line 2: field larger than field limit" in err.getvalue()
    assert not Tag.objects.of_type(TagType.FREEFORM).exists()


def test_the_command_names_the_bad_line_of_a_dump(tmp_path: Path, db):
    dump = tmp_path / "bad.csv"
    dump.write_text(HEADER + "1,Fandom,A,true,1,\n2,Fandom,B,sometimes,1,\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match=r"bad\.csv: 1 problem; nothing was loaded"):
        call_command("tags", "load", str(dump), "--quiet", stdout=StringIO(), stderr=err)
    assert "bad.csv line 3: canonical must be true or false" in err.getvalue()
    assert not Tag.objects.named("A").exists()


def test_the_progress_line_redraws_itself_on_a_terminal():
    out = StringIO()
    draw = ProgressLine(out, tty=True)
    draw("rows", 500, 0.5)
    draw("rows", 1000, 1.0)
    draw("synonyms", 10, 1.0)
    draw.close()
    assert out.getvalue().count("\r") == 3
    assert "Reading rows [###############---------------]  50%  500" in out.getvalue()
    assert out.getvalue().endswith("\n")


@pytest.mark.parametrize(
    ("name", "members"),
    [
        ("Ada Quill/Bram Quill", ["Ada Quill", "Bram Quill"]),
        ("Ada & Bram", ["Ada", "Bram"]),
        ("Loki (Marvel)/Thor (Marvel) & Reader", ["Loki (Marvel)", "Thor (Marvel)", "Reader"]),
        ("Sam (Supernatural/Pinterest)/Dean", ["Sam (Supernatural/Pinterest)", "Dean"]),
        ("Ada Quill", []),
        ("Ada/", []),
    ],
)
def test_relationship_members_come_from_the_name(name: str, members: list[str]):
    assert relationship_members(name) == members
