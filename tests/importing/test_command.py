"""`ficarchive import FILE... [--dry-run] [--json] [--as USER]`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ficarchive.tags.models import MATURE
from ficarchive.works.models import Work
from tests.importing.conftest import DATA

JSON_FIELDS = [
    "source", "format", "title", "creators", "credits", "rating", "rating_source", "warnings",
    "categories", "fandoms", "relationships", "characters", "freeforms", "language", "summary",
    "notes", "disclaimer", "complete", "expected_chapters", "published", "updated", "series",
    "chapters", "words", "inferred", "problems",
]  # fmt: skip


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.mark.django_db
def test_dry_run_json_gives_every_field_for_every_file_and_creates_nothing():
    out, err = run("--dry-run", "--json", str(DATA / "ao3-download.html"), str(DATA / "story.md"))
    ao3, markdown = lines(out)
    assert list(ao3) == JSON_FIELDS
    assert ao3["rating"] == MATURE
    assert ao3["notes"] == {"begin": ao3["notes"]["begin"], "end": ao3["notes"]["end"]}
    assert ao3["series"] == {"name": "Lamps of Ferrier Street", "part": 2}
    assert ao3["published"] == "2024-02-03"
    assert ao3["credits"] == [{"role": "beta", "name": "Lowtide"}]
    assert ao3["chapters"][0] == {
        "title": "Smoke",
        "words": 19,
        "notes": {
            "begin": "<p>Content note: a building burns.</p>",
            "end": "<p>More soon.</p>",
        },
        "text_start": (
            "The smoke reached the ledger room before the alarm did. Mira wrapped the book in"
        ),
    }
    assert len(ao3["chapters"][0]["text_start"]) == 80
    assert markdown["format"] == "markdown"
    assert "Read 2 works" in err
    assert not Work.objects.exists()


def test_unreadable_file_is_reported_and_the_batch_goes_on(tmp_path: Path, db):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out, err = run("--dry-run", "--json", str(empty), str(DATA / "one-shot.txt"))
    refused, read = lines(out)
    assert refused == {"source": "empty.txt", "error": "the file is empty."}
    assert read["title"] == "Harbour Song"
    assert "refused 1" in err


def test_import_posts_a_work_with_complete_metadata(alice):
    out, _ = run("--json", "--as", "alice", str(DATA / "ao3-download.html"))
    [record] = lines(out)
    work = Work.objects.get(pk=record["id"])
    assert not work.is_draft
    assert work.title == "Salt and Cinders"
    assert work.is_editable_by(alice)
    assert work.chapter_count == 2
    assert work.expected_chapters == 3
    assert "<em>someone</em>" in work.summary
    names = set(work.tags.values_list("name", flat=True))
    assert {"Mature", "F/F", "The Lantern Chronicles", "Wren Ashdown/Mira Vell"} <= names
    assert list(work.credits.values_list("role", "name")) == [("beta", "Lowtide")]
    assert list(work.chapters.order_by("position").values_list("title", flat=True)) == [
        "Smoke",
        "",
    ]


def test_import_keeps_a_work_without_full_metadata_as_a_draft(alice):
    out, _ = run("--json", "--as", "alice", str(DATA / "headers-and-notes.txt"))
    [record] = lines(out)
    work = Work.objects.get(pk=record["id"])
    assert work.is_draft  # the file names no archive warnings
    assert work.chapters.count() == 4
    assert "drabble" in work.begin_notes


def test_each_file_is_its_own_transaction(alice, tmp_path: Path):
    too_long = tmp_path / "long-title.txt"
    too_long.write_text("Title: " + "x" * 300 + "\n\nA story.\n", encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    out, err = run("--as", "alice", str(binary), str(DATA / "story.md"), str(too_long))
    assert "Refused binary.txt: the file is binary, not text." in err
    assert Work.objects.count() == 2
    assert "Imported 2 works" in out


def test_import_needs_a_user_unless_dry_run(db):
    with pytest.raises(CommandError, match="--as USER"):
        run(str(DATA / "story.md"))
    with pytest.raises(CommandError, match="no user 'nobody'"):
        run("--as", "nobody", str(DATA / "story.md"))
