"""`ficarchive works load FILE.jsonl`: works, creators and tags in bulk; bad lines by number."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command

from ficarchive.accounts.models import User
from ficarchive.search.engine import get_index, search
from ficarchive.search.query import SearchQuery
from ficarchive.tags.models import Tag
from ficarchive.works.models import Work

GOOD: dict[str, Any] = {
    "title": "Loaded Storm",
    "creators": ["loader_one", "loader_two"],
    "rating": "Explicit",
    "warnings": ["No Archive Warnings Apply"],
    "categories": ["M/M"],
    "fandoms": ["Bulk Fandom"],
    "relationships": ["A/B"],
    "characters": ["A", "B"],
    "freeforms": ["Fluff"],
    "language": "en",
    "words": 1234,
    "chapters": 2,
    "expected_chapters": None,
    "complete": False,
    "published": "2020-05-01",
    "updated": "2021-06-01",
    "kudos": 7,
    "comments": 1,
    "bookmarks": 2,
    "hits": 90,
    "summary": "A summary.",
    "text": "First paragraph.\n\nSecond.",
}


def write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "works.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_loading_makes_works_creators_tags_and_counts(tmp_path: Path) -> None:
    path = write(tmp_path, [json.dumps(GOOD), json.dumps({**GOOD, "title": "Second"})])
    out = StringIO()
    call_command("works", "load", str(path), "--quiet", stdout=out)
    assert "Loaded 2 works" in out.getvalue()
    work = Work.objects.get(title="Loaded Storm")
    assert [p.name for p in work.creators] == ["loader_one", "loader_two"]
    assert (work.word_count, work.chapters_display, work.stats.kudos) == (1234, "2/?", 7)
    assert User.objects.filter(username="loader_one").count() == 1
    assert Tag.objects.get(name="Bulk Fandom").is_wrangled is False
    assert work.chapters.get().body == "<p>First paragraph.</p><p>Second.</p>"


def test_loaded_works_are_found_by_a_running_index(tmp_path: Path) -> None:
    get_index()
    call_command(
        "works", "load", str(write(tmp_path, [json.dumps(GOOD)])), "--quiet", stdout=StringIO()
    )
    result = search(SearchQuery(include=("Bulk Fandom",)), AnonymousUser())
    assert result.total == 1


def test_bad_lines_are_reported_by_number_and_good_ones_load(tmp_path: Path) -> None:
    lines = [
        json.dumps(GOOD),
        "{not json",
        json.dumps({**GOOD, "rating": "Very Explicit"}),
        json.dumps({**GOOD, "words": -3}),
        json.dumps({**GOOD, "published": "yesterday"}),
    ]
    err = StringIO()
    with pytest.raises(CommandError, match="4 bad lines"):
        call_command(
            "works", "load", str(write(tmp_path, lines)), "--quiet", stdout=StringIO(), stderr=err
        )
    assert "line 2: not JSON" in err.getvalue()
    assert "line 3: 'Very Explicit' is not a rating." in err.getvalue()
    assert "line 4: words must be a whole number." in err.getvalue()
    assert "line 5: published must be an ISO date." in err.getvalue()
    assert Work.objects.count() == 1


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("works", "load", str(tmp_path / "none.jsonl"))
