"""Additional tags proposed from the summary and notes: the common genre words anywhere, and the
archive's own additional tags (canonical or synonyms) where a list names them; nothing added to
a file that lists every tag it has."""

from __future__ import annotations

import pytest

from ficarchive.importing.inference import infer
from ficarchive.importing.readers import read
from ficarchive.tags import actions
from ficarchive.tags.models import TagType
from tests.importing.conftest import data_file
from tests.tags.conftest import canonical, tag


@pytest.fixture
def vocabulary(wendy):
    pining = canonical(wendy, TagType.FREEFORM, "Pining")
    found_family = canonical(wendy, TagType.FREEFORM, "Found Family")
    actions.make_synonym(wendy, tag(TagType.FREEFORM, "found fam"), found_family)
    actions.make_synonym(wendy, tag(TagType.FREEFORM, "Mutual Pining"), pining)
    canonical(wendy, TagType.FREEFORM, "Love")
    canonical(wendy, TagType.FREEFORM, "Friendship")
    canonical(wendy, TagType.FREEFORM, "Slow Burn")
    return wendy


def imported(text: str):
    return infer(read("story.txt", text.encode()))


def test_a_labelled_list_names_canonical_tags_and_synonyms(vocabulary):
    work = imported(
        "Title: Lamplight\n\nA/N: Tags: mutual pining, found fam, weird stuff.\n\n"
        "Chapter 1\n\nThe lamp was lit, and the night went on and on.\n"
    )
    assert work.freeforms == ["Pining", "Found Family"]
    reason = work.inferred["freeforms"]
    assert "Found Family (the notes list \u201cfound fam\u201d)" in reason
    assert "weird stuff" not in reason


def test_an_unlabelled_list_counts_when_two_of_its_items_are_known_tags(vocabulary):
    work = imported(
        "Summary: Slow burn, pining and found family. Two idiots and a lighthouse.\n\n"
        "The lamp was lit.\n"
    )
    assert work.freeforms == ["Slow Burn", "Pining", "Found Family"]
    assert "\u201cpining\u201d" in work.inferred["freeforms"]


@pytest.mark.parametrize(
    "summary",
    [
        "A story about love and friendship in the rain.",
        "In the end, love wins over everything.",
        "She wanted love, she said, and nothing less.",
    ],
)
def test_tags_named_by_ordinary_words_are_never_taken_from_a_sentence(vocabulary, summary):
    work = imported(f"Summary: {summary}\n\nThe lamp was lit.\n")
    assert "Love" not in work.freeforms
    assert "Friendship" not in work.freeforms


def test_a_tag_outside_the_vocabulary_is_not_invented_from_a_list(vocabulary):
    work = imported("Summary: cottagecore, yearning, lanterns.\n\nThe lamp was lit.\n")
    assert work.freeforms == []
    assert "freeforms" not in work.inferred


def test_genre_words_in_the_notes_count_too(vocabulary):
    work = imported(
        "Title: Lamplight\n\nAuthor's Note: warning for angst, fluff, hurt/comfort!\n\n"
        "Chapter 1\n\nThe lamp was lit, and the night went on and on.\n"
    )
    assert work.freeforms == ["Angst", "Fluff", "Hurt/Comfort"]
    assert "Fluff (the notes say \u201cfluff\u201d)" in work.inferred["freeforms"]


def test_a_file_that_lists_every_tag_gets_none_added(vocabulary):
    page = data_file("ao3-download.html").decode()
    page = page.replace(
        "The warehouse burns,",
        "A coffee shop AU with slow burn, pining, found fam. The warehouse burns,",
    )
    work = infer(read("ao3-download.html", page.encode()))
    assert work.tags_stated
    assert work.freeforms == ["Angst", "Smoke, Fire, and Ash"]
    assert work.characters == ["Wren Ashdown", "Mira Vell", "Old Tobias"]
    assert "freeforms" not in work.inferred
    assert "characters" not in work.inferred
