"""`ficarchive works load FILE.jsonl`: works, creators and tags in bulk; bad lines by number."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.search.index_keeper import get_index, search
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


def test_huge_and_boolean_numbers_are_bad_lines_and_nothing_is_written(tmp_path: Path) -> None:
    lines = [
        json.dumps({**GOOD, "kudos": 2**70}),
        json.dumps({**GOOD, "words": True}),
        json.dumps({**GOOD, "expected_chapters": 10**12}),
    ]
    err = StringIO()
    with pytest.raises(CommandError, match="3 bad lines"):
        call_command(
            "works", "load", str(write(tmp_path, lines)), "--quiet", stdout=StringIO(), stderr=err
        )
    assert "line 1: kudos must be at most 2,147,483,647." in err.getvalue()
    assert "line 2: words must be a whole number." in err.getvalue()
    assert "line 3: expected_chapters must be a positive number or null." in err.getvalue()
    assert not Work.objects.exists()
    assert not User.objects.filter(username="loader_one").exists()


def test_loaded_works_keep_their_dates_language_and_completion(tmp_path: Path) -> None:
    done = {**GOOD, "title": "Done", "language": "de", "chapters": 3, "expected_chapters": 3}
    path = write(tmp_path, [json.dumps(GOOD), json.dumps(done)])
    call_command("works", "load", str(path), "--quiet", stdout=StringIO())
    work = Work.objects.get(title="Done")
    assert (work.language, work.chapters_display, work.is_draft) == ("de", "3/3", False)
    assert work.published_at is not None and work.updated_at is not None
    assert (work.published_at.isoformat(), work.updated_at.isoformat()) == (
        "2020-05-01T00:00:00+00:00",
        "2021-06-01T00:00:00+00:00",
    )
    assert sorted(work.tags.values_list("name", flat=True)) == sorted(
        ["A", "A/B", "B", "Bulk Fandom", "Explicit", "Fluff", "M/M", "No Archive Warnings Apply"]
    )


def test_a_second_load_reuses_accounts_and_tags_and_batches_commit_apart(tmp_path: Path) -> None:
    lines = [json.dumps({**GOOD, "title": f"Work {n}"}) for n in range(5)]
    call_command("works", "load", str(write(tmp_path, lines)), "--batch", "2", "--quiet",
                 stdout=StringIO())  # fmt: skip
    call_command("works", "load", str(write(tmp_path, lines[:1])), "--quiet", stdout=StringIO())
    assert Work.objects.count() == 6
    assert User.objects.filter(username__in=["loader_one", "loader_two"]).count() == 2
    assert Tag.objects.filter(name__iexact="bulk fandom").count() == 1
    assert len({w.pk for w in Work.objects.all()}) == 6


def test_every_loaded_work_is_in_the_change_log(tmp_path: Path) -> None:
    from ficarchive.search.models import SearchChange

    lines = [json.dumps({**GOOD, "title": f"Work {n}"}) for n in range(3)]
    call_command("works", "load", str(write(tmp_path, lines)), "--quiet", stdout=StringIO())
    logged = set(SearchChange.objects.values_list("work_id", flat=True))
    assert set(Work.objects.values_list("pk", flat=True)) <= logged


def test_the_progress_bar_shows_the_share_of_lines_read(tmp_path: Path) -> None:
    from ficarchive.search.loading import count_lines, progress_bar

    path = write(tmp_path, [json.dumps(GOOD)] * 4)
    assert count_lines(path) == 4
    out = StringIO()
    draw = progress_bar(4, out)
    draw(2)
    draw(4)
    assert " 50%  2/4 lines" in out.getvalue()
    assert "[" + "#" * 30 + "] 100%  4/4 lines" in out.getvalue()


def test_the_benchmark_corpus_loads_whole_and_measures_its_shape() -> None:
    from bench.corpus import CorpusStats, works
    from ficarchive.search.loading import load_works

    stats = CorpusStats()
    report = load_works((json.dumps(w) for w in works(300, stats=stats)), batch=100)
    assert (report.loaded, report.bad) == (300, [])
    shape = stats.summary()
    assert shape["works"] == 300 and 8 <= shape["tags_per_work"]["p50"] <= 20
    assert Work.objects.count() == 300
    assert search(SearchQuery(include=("Fandom 0",)), AnonymousUser()).total > 0


def test_languages_load_by_code_or_by_name_as_ao3_writes_them(tmp_path: Path) -> None:
    names = ["English", "中文-普通话 國語", "Español", "Français", "Русский", "日本語", "pt-BR"]
    lines = [json.dumps({**GOOD, "title": name, "language": name}) for name in names]
    call_command("works", "load", str(write(tmp_path, lines)), "--quiet", stdout=StringIO())
    loaded = dict(Work.objects.values_list("title", "language"))
    assert [loaded[name] for name in names] == ["en", "zh", "es", "fr", "ru", "ja", "pt-BR"]


def test_an_unknown_language_is_named(tmp_path: Path) -> None:
    err = StringIO()
    with pytest.raises(CommandError, match="1 bad lines"):
        call_command(
            "works",
            "load",
            str(write(tmp_path, [json.dumps({**GOOD, "language": "Klingon"})])),
            "--quiet",
            stdout=StringIO(),
            stderr=err,
        )
    assert "line 1: language 'Klingon' is not known" in err.getvalue()


def test_chapter_texts_load_as_posted_chapters_with_their_words(
    tmp_path: Path, client: Client
) -> None:
    from ficarchive.text.wordcount import count_words

    line = {**GOOD, "chapters": 3, "words": 7}
    del line["text"]
    line["chapter_texts"] = ["One two.", "Three four <script>alert(1)</script>", "Six.\n\nSeven."]
    call_command("works", "load", str(write(tmp_path, [json.dumps(line)])), "--quiet")
    work = Work.objects.get(title="Loaded Storm")
    chapters = list(work.chapters.order_by("position"))
    assert [c.position for c in chapters] == [1, 2, 3]
    assert [c.word_count for c in chapters] == [2, count_words(chapters[1].body), 2]
    assert chapters[1].body == "<p>Three four &lt;script&gt;alert(1)&lt;/script&gt;</p>"
    assert chapters[2].body == "<p>Six.</p><p>Seven.</p>"
    assert (work.word_count, work.chapters_display) == (7, "3/?")
    page = client.get(f"/works/{work.pk}?view_adult=true&view_full_work=true").content.decode()
    assert "Three four &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Seven." in page


@pytest.mark.parametrize(
    ("texts", "reason"),
    [
        ("One text", "chapter_texts must be a non-empty list of texts."),
        ([], "chapter_texts must be a non-empty list of texts."),
        (["One", 2], "chapter_texts must be a non-empty list of texts."),
        (["One", "Two", "Three"], "chapters is 2 but chapter_texts holds 3."),
        (["."] * 1001, "chapter_texts may hold at most 1,000 chapters."),
    ],
)
def test_bad_chapter_texts_are_named_and_nothing_is_written(
    tmp_path: Path, texts: Any, reason: str
) -> None:
    path = write(tmp_path, [json.dumps({**GOOD, "chapter_texts": texts})])
    err = StringIO()
    with pytest.raises(CommandError, match="1 bad lines"):
        call_command("works", "load", str(path), "--quiet", stdout=StringIO(), stderr=err)
    assert f"line 1: {reason}" in err.getvalue()
    assert not Work.objects.exists()


def test_the_benchmark_corpus_s_text_sample_has_the_sizes_it_claims() -> None:
    from bench.corpus import text_sample_ids, works
    from ficarchive.search.loading import load_works
    from ficarchive.text.wordcount import count_words

    report = load_works((json.dumps(w) for w in works(4000)), batch=1000)
    assert report.loaded == 4000
    sample = text_sample_ids(4000)  # the ids in a fresh archive: the first is 1
    assert sample[:3] == [1, 5, 9] and len(sample) == 1000
    first = Work.objects.order_by("pk").values_list("pk", flat=True)[0]
    loaded = [first - 1 + number for number in sample]  # PostgreSQL's ids may start later
    checked = list(Work.objects.filter(pk__in=loaded[::100]))
    assert len(checked) == 10
    for work in checked:
        chapters = list(work.chapters.order_by("position"))
        assert len(chapters) == work.chapter_count
        assert sum(count_words(c.body) for c in chapters) == work.word_count
    outside = Work.objects.get(pk=first + 1)  # outside the sample: counts only
    assert outside.chapters.get().body == ""
