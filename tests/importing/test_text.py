"""Plain text: headers, ratings, notes, chapter headings, scene breaks, typography, encodings."""

from __future__ import annotations

import pytest

from ficarchive.importing.readers import read
from ficarchive.tags.models import EXPLICIT, GENERAL, MATURE, TEEN
from tests.importing.conftest import data_file


@pytest.fixture
def lamplighter():
    return read("headers-and-notes.txt", data_file("headers-and-notes.txt"))


def test_header_lines_give_title_creator_and_tags(lamplighter):
    assert lamplighter.format == "text"
    assert lamplighter.title == "The Lamplighter's Apprentice"
    assert lamplighter.creators == ["Quill Harper"]
    assert lamplighter.fandoms == ["The Lantern Chronicles"]
    assert lamplighter.characters == ["Wren Ashdown", "Old Tobias"]
    assert lamplighter.relationships == ["Wren Ashdown/Mira Vell"]
    assert lamplighter.freeforms == ["Angst", "Hurt/Comfort"]
    assert "every lamp in the city hides a name" in lamplighter.summary


def test_rated_m_for_a_reason_is_a_stated_mature_rating(lamplighter):
    assert lamplighter.rating == MATURE
    assert lamplighter.rating_source == "stated"


def test_disclaimer_is_kept_apart_from_the_story(lamplighter):
    assert lamplighter.disclaimer.startswith("I do not own The Lantern Chronicles")
    assert all("do not own" not in c.body for c in lamplighter.chapters)


def test_authors_notes_become_work_notes_and_leave_the_story(lamplighter):
    assert "started as a drabble" in lamplighter.begin_notes
    assert "A/N" not in lamplighter.begin_notes
    assert "Please review" in lamplighter.end_notes
    bodies = " ".join(c.body for c in lamplighter.chapters)
    assert "drabble" not in bodies
    assert "Please review" not in bodies


def test_beta_named_in_a_note_is_credited(lamplighter):
    assert [(c.role, c.name) for c in lamplighter.credits] == [("beta", "Sparrowhawk")]


def test_every_kind_of_chapter_heading_starts_a_chapter(lamplighter):
    titles = [c.title for c in lamplighter.chapters]
    assert titles == ["The Oil Merchant", "", "Landfall", "Epilogue"]
    assert lamplighter.chapters[1].body.startswith("<p>The second lamp")
    assert lamplighter.words == sum(c.words for c in lamplighter.chapters) > 100


def test_scene_breaks_stay_scene_breaks(lamplighter):
    first, second, third, _ = (c.body for c in lamplighter.chapters)
    assert '<p align="center">~~~</p>' in first
    assert '<p align="center">oOo</p>' in second
    assert '<p align="center">-x-</p>' in third


def test_typography_is_kept(lamplighter):
    body = lamplighter.chapters[0].body
    assert "\u201cYou\u2019re late,\u201d" in body
    assert "twice — once" in body
    assert "missing…" in body


def test_sign_off_names_a_co_creator_and_leaves_the_text():
    work = read("one-shot.txt", data_file("one-shot.txt"))
    assert work.title == "Harbour Song"
    assert work.creators == ["Teodor Lind", "Ilse"]
    assert work.rating == GENERAL
    assert "A gentle one-shot." in work.begin_notes
    assert "Teodor &amp;" not in work.chapters[0].body


def test_runs_of_blank_lines_are_a_scene_break_and_nbsp_runs_become_spaces():
    work = read("one-shot.txt", data_file("one-shot.txt"))
    body = work.chapters[0].body
    assert '<p align="center">* * *</p>' in body
    assert "sang the old songs" in body


@pytest.mark.parametrize(
    ("line", "rating"),
    [
        ("Rated K", GENERAL),
        ("Rated: K+", GENERAL),
        ("Rating: T", TEEN),
        ("Rated M", MATURE),
        ("Rated MA for language and violence", EXPLICIT),
        ("Rating: Explicit", EXPLICIT),
        ("Rating: Teen And Up Audiences", TEEN),
        ("Rating: General Audiences", GENERAL),
    ],
)
def test_stated_ratings_map_to_the_archives(line, rating):
    text = f"The Quiet Field\nby Ona Reyes\n\n{line}\n\nThe field was quiet all year.\n"
    work = read("field.txt", text.encode())
    assert work.rating == rating
    assert work.rating_source == "stated"


def test_unknown_rating_is_reported_not_guessed():
    work = read("field.txt", b"Rating: Tweenie\n\nThe field was quiet all year.\n")
    assert work.rating == ""
    assert any("Tweenie" in p for p in work.problems)


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("Chapter 1: The Well", "The Well"),
        ("Chapter One", ""),
        ("CHAPTER XII.", ""),
        ("Ch. 3 - The Well", "The Well"),
        ("Chapter 4 - The Well", "The Well"),
        ("Prologue", "Prologue"),
        ("Epilogue: After", "Epilogue: After"),
        ("Part 2", ""),
        ("Part Two: The Well", "The Well"),
    ],
)
def test_chapter_heading_forms(heading, title):
    text = (
        f"Chapter 0: Before\n\nThe bucket came up empty.\n\n{heading}\n\n"
        "The rope was new, and the water was cold.\n"
    )
    work = read("well.txt", text.encode())
    assert [c.title for c in work.chapters] == ["Before", title]
    assert work.chapters[1].text_start() == "The rope was new, and the water was cold."


def test_hard_wrapped_lines_are_joined_into_paragraphs():
    line = "word " * 14
    text = "CHAPTER I.\n\n" + "\n".join([line.strip()] * 6) + "\n\n" + "Short last one.\n"
    work = read("novel.txt", text.encode())
    assert work.chapters[0].body.startswith("<p>word word")
    assert "<br>" not in work.chapters[0].body


def test_lyrics_keep_their_line_breaks_and_an_epigraph_is_set_apart():
    text = (
        "Chapter 1: Tide\n\nthe sea came in\nthe sea went out\n\n- Old Harbour Song\n\n"
        "Marta counted the boats as they came home, and one was missing.\n"
    )
    work = read("tide.txt", text.encode())
    body = work.chapters[0].body
    assert body.startswith("<blockquote><p>the sea came in<br>")
    assert "Old Harbour Song</p></blockquote>" in body


def test_italics_and_bold_from_underscores_and_stars():
    work = read("marks.txt", b"She was _not_ going back. **Never.**\n")
    assert "<em>not</em>" in work.chapters[0].body
    assert "<strong>Never.</strong>" in work.chapters[0].body


def test_windows_1252_text_is_decoded():
    text = (
        "The caf\u00e9 was closed, so Zo\u00eb waited outside \u2014 \u201cjust five "
        "minutes,\u201d she said\u2026 It was na\u00efve of her.\n\nShe hummed an old song.\n"
    )
    work = read("cafe.txt", text.encode("cp1252"))
    assert "Zo\u00eb waited outside \u2014 \u201cjust five" in work.chapters[0].body


def test_utf16_with_bom_is_decoded():
    work = read("wide.txt", "\ufeffThe lantern swung in the wind.\n".encode("utf-16"))
    assert work.chapters[0].text_start() == "The lantern swung in the wind."


def test_a_file_without_title_takes_its_name_and_says_so():
    work = read("the_quiet_field.txt", b"The field was quiet all year.\n")
    assert work.title == "the quiet field"
    assert "title" in work.inferred


def test_fanficfare_text_title_page_and_table_of_contents():
    work = read("fanficfare.txt", data_file("fanficfare.txt"))
    assert work.title == "The Clockmaker's Debt"
    assert work.creators == ["Ferris Quell"]
    assert work.fandoms == ["Gears of Aldmoor", "The Brass Compendium"]  # a wrapped line
    assert (work.series.name, work.series.part) == ("Tales of the Lower Town", 2)
    assert "example.org" not in str(vars(work))  # "Series URL" is a label of its own, dropped
    assert work.freeforms == ["Mystery", "Friendship"]
    assert work.rating == MATURE
    assert work.complete is False
    assert "always collects" in work.summary
    assert [c.title for c in work.chapters] == ["Wound Tight", "Unwinding"]
    assert "<em>only</em>" in work.chapters[0].body
    assert "End file" not in work.chapters[-1].body


def test_disclaimer_names_the_fandom_as_an_inference():
    text = (
        "Disclaimer: I don't own Gears of Aldmoor, sadly.\n\n"
        "Ida wound the clock and waited for it to strike.\n"
    )
    work = read("gears.txt", text.encode())
    assert work.fandoms == ["Gears of Aldmoor"]
    assert "disclaimer" in work.inferred["fandoms"]


def test_a_beta_thanked_in_passing_is_credited_by_name_alone():
    text = (
        "A/N: Huge thanks to my beta, moonpie, for fixing my commas! Be nice.\n\n"
        "Harry watched the hills roll past the window.\n"
    )
    work = read("train.txt", text.encode())
    assert [(c.role, c.name) for c in work.credits] == [("beta", "moonpie")]
    assert "moonpie" in work.begin_notes


def test_collaboration_note_names_both_creators():
    text = (
        "Two Lanterns\nby Rook\n\n"
        "A/N: This story is a collaboration between me (Rook) and Wick Tallow!\n\n***\n\n"
        "The two lanterns were lit at the same moment.\n"
    )
    work = read("two.txt", text.encode())
    assert work.creators == ["Rook", "Wick Tallow"]


@pytest.mark.parametrize(
    ("start", "end", "end_note"),
    [
        ("Author's Note: Written for a friend.", "Thanks for reading, leave a review!", "Thanks"),
        ("Quill's Notes: Written for a friend.", "(A/N: Sequel soon.)", "Sequel soon"),
        ("AN: Written for a friend.", "Please review!", "Please review!"),
        ("**A/N:** Written for a friend.", "A/N: Reviews are love.", "Reviews are love."),
    ],
)
def test_note_markers_at_start_and_end(start, end, end_note):
    text = (
        f"Title: The Pier\nBy Ann Other\n\n{start}\n\n"
        f"The pier creaked under the first of the fishermen.\n\n{end}\n"
    )
    work = read("pier.txt", text.encode())
    assert work.begin_notes == "<p>Written for a friend.</p>"
    assert end_note in work.end_notes
    assert work.chapters[0].body == "<p>The pier creaked under the first of the fishermen.</p>"


def test_notes_inside_a_multi_chapter_work_stay_with_their_chapters():
    text = (
        "Chapter 1\n\nA/N: First one.\n\nThe pier creaked.\n\nA/N: More soon.\n\n"
        "Chapter 2\n\nA/N: Second.\n\nThe gulls left.\n\nPlease review!\n"
    )
    work = read("pier.txt", text.encode())
    assert work.begin_notes == "<p>First one.</p>"
    assert work.end_notes == "<p>Please review!</p>"
    first, second = work.chapters
    assert first.notes == {"begin": "", "end": "<p>More soon.</p>"}
    assert second.notes == {"begin": "<p>Second.</p>", "end": ""}
    assert (first.body, second.body) == ("<p>The pier creaked.</p>", "<p>The gulls left.</p>")


@pytest.mark.parametrize(
    ("disclaimer", "fandom"),
    [
        ("Disclaimer: I don't own The Burning Forest.", "The Burning Forest"),
        ("Disclaimer: I do not own the Harry Potter franchise.", "Harry Potter"),
        ("Disclaimer: I don't own Naruto or its characters.", "Naruto"),
        ("Disclaimer: I don't own the characters.", None),
    ],
)
def test_the_fandom_a_disclaimer_names_keeps_its_article_when_capitalised(disclaimer, fandom):
    from ficarchive.importing.conventions.notes import fandom_in_disclaimer

    assert fandom_in_disclaimer(disclaimer) == fandom
