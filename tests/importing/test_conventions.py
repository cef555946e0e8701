"""Conventions of raw posted texts, generalised: ratings and credits written in prose, notes
introduced by a label or a name, headings in words in several languages, a heading repeated
after the opening notes, FanFicFare's TXT layout with or without its title page, and titles
that never come from a hash. Each in several shapes, with the cases that must not match."""

from __future__ import annotations

import pytest

from ficarchive.importing import conventions as conv
from ficarchive.importing.readers import read
from ficarchive.tags.models import EXPLICIT, GENERAL, MATURE, TEEN

STORY = (
    "The lanterns along the quay went out one by one, and Wren counted them as they did.\n\n"
    "Nobody else was awake to see it, which suited her perfectly well.\n"
)


def read_text(text: str, name: str = "story.txt"):
    return read(name, text.encode())


# --- ratings stated in prose ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("note", "rating"),
    [
        ("A/N: Rated M for language and some violence later on.", MATURE),
        ("Hi everyone! Just so you know, this is rated MA. Enjoy!", EXPLICIT),
        ("Quick note before we start (rating: T, for swearing).", TEEN),
        ("Author's Note: The rating is Mature because of the war scenes.", MATURE),
        ("Written for the winter exchange. Rated K+ for mild peril.", GENERAL),
    ],
)
def test_a_rating_stated_in_the_opening_note_is_the_works(note, rating):
    work = read_text(f"Lanterns\n\nby Ilse Marrow\n\n{note}\n\n* * *\n\n{STORY}")
    assert work.rating == rating
    assert work.rating_source == "stated"
    assert "Wren counted" in work.chapters[0].body


@pytest.mark.parametrize(
    "note",
    [
        "A/N: This is my highest rated fic so far, thank you all!",
        "A/N: I underrated how hard this chapter would be to write.",
        "A/N: Someone asked whether I rated my own work. I do not.",
    ],
)
def test_rated_in_passing_is_no_rating(note):
    work = read_text(f"{note}\n\n* * *\n\n{STORY}")
    assert work.rating == ""


# --- a chapter heading repeated after the opening notes ----------------------------------


@pytest.mark.parametrize(
    "heading",
    ["Chapter One", "Chapter 1: Lanterns", "CHAPTER I", "Chapitre un", "Kapitel eins"],
)
def test_a_heading_repeated_after_the_notes_makes_them_notes_not_a_chapter(heading):
    text = (
        f"{heading}\n\n"
        "Author's Note: Thank you all for the reviews on my last fic! This one is for the "
        "prompt exchange, and I hope you like it.\n\n"
        f"{heading}\n\n{STORY}"
    )
    work = read_text(text)
    assert len(work.chapters) == 1
    assert "prompt exchange" in work.begin_notes
    assert work.chapters[0].text_start().startswith("The lanterns along the quay")


def test_notes_before_the_first_heading_repeated_are_the_works_notes():
    text = (
        "Hi guys! So I know I said I would write the sequel first, but this story would not "
        "leave me alone. It is rated M for later chapters, so be warned. "
        * 3
        + "\n\nChapter 1\n\n"
        + STORY
        + "\n\nChapter 2\n\nThe harbour woke late.\n"
    )
    work = read_text(text)
    assert len(work.chapters) == 2
    assert "sequel" in work.begin_notes
    assert work.rating == MATURE
    assert work.chapters[0].text_start().startswith("The lanterns")


def test_chapter_one_inside_dialogue_is_story_text():
    text = (
        '"Chapter One," Wren read aloud, "is always the hardest to write."\n\n'
        "Chapter one of my life began the day the lanterns went out.\n\n" + STORY
    )
    work = read_text(text)
    assert len(work.chapters) == 1
    assert "Chapter One," in work.chapters[0].body
    assert "Chapter one of my life" in work.chapters[0].body


# --- end notes by a label or by a name -------------------------------------------------


@pytest.mark.parametrize(
    "notes",
    [
        ["Author's Note: Thank you for reading!"],
        ["A/N: the next part is already written."],
        ["AN: sorry this one is short."],
        ["Notes: the song is made up."],
        ["Mira's Notes: I loved writing Wren.", "Mira's Notes II: the sequel is coming."],
        ["Tobias's Notes: the harbour is real.", "Ada's Notes: it is not."],
    ],
)
def test_end_notes_introduced_by_a_label_or_a_name_leave_the_story(notes):
    text = "Chapter 1\n\n" + STORY + "\n" + "\n\n".join(notes) + "\n"
    work = read_text(text)
    assert work.chapters[0].text_start().startswith("The lanterns")
    for note in notes:
        body = note.split(":", 1)[1].strip()
        assert body not in work.chapters[0].body
        assert body in work.end_notes


def test_end_notes_of_a_middle_chapter_stay_that_chapters():
    text = (
        "Chapter 1\n\n" + STORY + "\nLena's Notes: more soon.\n\nLena's Notes 2: really.\n\n"
        "Chapter 2\n\nThe harbour woke late, and so did Wren.\n"
    )
    first, second = read_text(text).chapters
    assert "more soon" in first.end_notes and "really" in first.end_notes
    assert "Notes" not in first.body
    assert "harbour woke" in second.body


# --- headings in words -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("Part Two", ""),
        ("Chapter Three", ""),
        ("Chapter Seventeen: The Quay", "The Quay"),
        ("Twentieth Chapter", ""),
        ("Chapitre 3", ""),
        ("Chapitre trois - Le quai", "Le quai"),
        ("Deuxième partie", ""),
        ("Capítulo dos", ""),
        ("Capitulo diecinueve", ""),
        ("Segunda parte", ""),
        ("Kapitel 2", ""),
        ("Zweiter Teil", ""),
        ("Kapitel zwölf", ""),
        ("Capitolo tredici", ""),
        ("Parte seconda", ""),
        ("Capítulo vinte", ""),
        ("Quinto capítulo", ""),
    ],
)
def test_headings_in_words_start_chapters(heading, title):
    text = f"Chapter 0: Before\n\nThe quay was empty.\n\n{heading}\n\n{STORY}"
    work = read_text(text)
    assert [c.title for c in work.chapters] == ["Before", title]
    assert work.chapters[1].text_start().startswith("The lanterns")


@pytest.mark.parametrize(
    "heading",
    ["Part Two of Two", "Zwei von Zwei", "Second of Two", "Deux sur deux", "Dos de dos", "2 of 2"],
)
def test_a_part_heading_above_the_first_paragraph_is_no_story_text(heading):
    work = read_text(f"{heading}\n\n{STORY}")
    assert work.chapters[0].text_start().startswith("The lanterns")
    assert heading not in work.chapters[0].body


@pytest.mark.parametrize(
    "line",
    [
        "One of two lanterns stayed lit.",
        "Part of me wanted to stay.",
        "Second of all, no.",
        "Chaos",
    ],
)
def test_sentences_that_open_like_headings_are_no_headings(line):
    assert conv.chapter_heading(line) is None


# --- credits written as thanks and collaborations --------------------------------------


@pytest.mark.parametrize(
    ("note", "beta"),
    [
        ("Huge thanks to my beta Quill Harrow for catching everything.", "Quill Harrow"),
        ("As always, our amazing beta reader Juniper Ash, who saved this chapter.", "Juniper Ash"),
        ("Beta'd by Sable. All mistakes are mine.", "Sable"),
        ("Thank you so much to my lovely beta, Pim!", "Pim"),
    ],
)
def test_a_beta_thanked_in_a_sentence_is_credited(note, beta):
    work = read_text(f"A/N: {note}\n\n* * *\n\n{STORY}")
    assert [(c.role, c.name) for c in work.credits] == [("beta", beta)]


def test_a_character_named_beta_is_no_credit():
    work = read_text("Beta walked in with the last lantern.\n\nBeta: Is it out?\n\n" + STORY)
    assert work.credits == []


@pytest.mark.parametrize(
    ("note", "creators"),
    [
        ("A/N: Written with Oren Vale for the summer swap.", ["Oren Vale"]),
        (
            "A/N: This is a collaboration between me (Lark) and Tamsin Reed.",
            ["Lark", "Tamsin Reed"],
        ),
        ("A/N: Co-written by Ama and Bea. Enjoy!", ["Ama", "Bea"]),
    ],
)
def test_collaborators_named_in_a_note_are_creators(note, creators):
    work = read_text(f"Lanterns\n\nby Ilse Marrow\n\n{note}\n\n* * *\n\n{STORY}")
    assert work.creators == ["Ilse Marrow", *creators]


# --- titles --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["8f14e45fceea167a5a36dedd4bea2543.txt", "1234567.txt", "download (2).txt"]
)
def test_a_hash_or_number_file_name_is_never_the_title(name):
    work = read_text("Lanterns on the Quay\n\n" + STORY, name)
    assert work.title == "Lanterns on the Quay"
    assert "first line" in work.inferred["title"]


def test_a_title_line_and_a_first_heading_come_before_the_file_name():
    assert read_text("Title: Lanterns\n\n" + STORY, "draft-3.txt").title == "Lanterns"
    assert read_text("# Lanterns\n\n" + STORY, "draft-3.txt").title == "Lanterns"
    assert read_text(STORY, "draft-3.txt").title == "draft-3"


# --- FanFicFare's TXT layout -------------------------------------------------------------


def fanficfare(chapters: list[tuple[str, str]], *, title_page: bool = True) -> str:
    """A TXT download in FanFicFare's layout: title page, table of contents, and each chapter
    after its indented title."""
    text = ""
    if title_page:
        text = "\n\n\nLanterns\n\nby Ilse Marrow\n\n\n\nCategory: Quayside\nRating: T\n"
        text += f"Chapters: {len(chapters)}\n\n\n\n\n\nTABLE OF CONTENTS\n\n\n"
        text += "".join(f"{title}\n\n" for title, _ in chapters)
    for title, body in chapters:
        text += f"\n\n\n\t{title}\n\n\n{body}\n"
    return text + "\n\nEnd file.\n"


CHAPTERS = [
    ("The Quay", "Wren counted lanterns.\n\nThe Quay\n\nShe had counted them before."),
    ("Chapter 2", "Chapter 2\n\nThe harbour woke late."),
    ("Low Tide", "A/N: thanks for the reviews!\n\nLow Tide\n\nThe water went out."),
    ("Chapter Four: Chapter 3", "Nobody came."),
]


def test_fanficfare_chapters_come_from_their_indented_titles():
    work = read_text(fanficfare(CHAPTERS))
    assert [c.title for c in work.chapters] == ["The Quay", "", "Low Tide", "Chapter 3"]
    assert work.rating == TEEN


def test_fanficfare_chapters_without_the_title_page():
    work = read_text(fanficfare(CHAPTERS, title_page=False), "4071523.txt")
    assert [c.title for c in work.chapters] == ["The Quay", "", "Low Tide", "Chapter 3"]


def test_fanficfare_chapter_titles_repeated_in_the_text_start_no_chapter():
    work = read_text(fanficfare(CHAPTERS))
    first, second, third, _ = work.chapters
    assert "She had counted them before." in first.body  # a title later in the text stays
    assert second.text_start() == "The harbour woke late."
    assert "thanks for the reviews" in third.begin_notes
    assert third.text_start() == "The water went out."


def test_indented_paragraphs_are_not_chapter_titles():
    text = "\n\n\n".join(f"\tParagraph {n} of a story indented the old way." for n in range(8))
    work = read_text(text)
    assert len(work.chapters) == 1


# --- hostile input ---------------------------------------------------------------------


def test_a_heading_line_of_megabytes_is_no_heading():
    assert conv.chapter_heading("Chapter " + "one " * 300_000) is None
    assert conv.rating_in_prose("rated " * 200_000) is None
    assert not conv.same_heading("Chapter 1 " * 100_000, "Chapter 1 " * 100_000)


def test_a_long_paragraph_after_a_heading_is_story_text():
    paragraph = "Chapter 1 " + "and the lanterns went out " * 2_000
    work = read_text(f"Chapter 1\n\n{paragraph}\n\n{STORY}")
    assert work.chapters[0].text_start().startswith("Chapter 1 and the lanterns")


def test_private_use_marks_in_a_file_are_only_text():
    work = read_text("\ue000Chapter 9\n\n" + STORY)
    assert len(work.chapters) == 1
