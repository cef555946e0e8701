"""Author's notes written into a chapter's text without a label ("Written for…", "Hope you
enjoy this chapter!", the author talking about the writing before a scene break) leave the
story for the chapter's notes, in every format; story text that only sounds personal stays."""

from __future__ import annotations

import pytest

from ficarchive.importing.readers import read
from ficarchive.tags.models import GENERAL
from tests.importing.conftest import build_epub, data_file


def read_text(text: str):
    return read("story.txt", text.encode())


def story_of(text: str) -> list[str]:
    return [c.text_start() for c in read_text(text).chapters]


# --- a FanFicFare text download of a FanFiction.Net story ---------------------------------


@pytest.fixture
def ledger():
    return read("ffn-headers.txt", data_file("ffn-headers.txt"))


def test_fanfiction_net_header_lines_are_read(ledger):
    assert ledger.title == "The Lighthouse Keeper's Ledger"
    assert ledger.creators == ["Marrow Finch"]
    assert ledger.fandoms == ["Tidewater Saga"]
    assert ledger.characters == ["Ossian B.", "Delphine R.", "Captain Hale"]
    assert ledger.relationships == ["Ossian B./Delphine R."]
    assert ledger.rating == GENERAL
    assert ledger.complete is True


def test_chapter_notes_before_a_scene_break_leave_the_story(ledger):
    first, second = ledger.chapters
    assert first.text_start().startswith("The keys were heavier than Ossian expected")
    assert "Prompt Exchange" in ledger.begin_notes
    assert "Written for" not in first.body
    assert second.text_start().startswith("Delphine came on the third morning")
    assert "Sorry for the long wait" in second.begin_notes
    assert "Sorry" not in second.body


def test_closing_notes_become_end_notes(ledger):
    first, second = ledger.chapters
    assert "finally post this story" in first.end_notes
    assert "finally post" not in first.body
    assert "Inside, the ledger waited" in first.body
    assert "Next chapter: the storm" in ledger.end_notes
    assert "harbour master" in second.body
    assert "Thanks for reading" not in second.body


def test_beta_named_in_an_unlabelled_note_is_credited(ledger):
    assert [(c.role, c.name) for c in ledger.credits] == [("beta", "Juniper Vale")]


# --- notes recognised in plain text -------------------------------------------------------

STORY = (
    "The tide came in twice that night, which was once more than the almanac allowed, and "
    "the harbour watched it with the patience of people who had seen stranger things."
)
MORE = "By morning the boats sat high on the mud and nobody could say how they got there."


@pytest.mark.parametrize(
    "note",
    [
        "Hope you enjoy this chapter!",
        "Enjoy!",
        "Enjoy the chap! The plot picks up soon, promise.",
        "Written for the Winter Lights fest.",
        "Thanks to everyone who reviewed the last one!",
        "Sorry for the wait, exams ate my month.",
        "I've given up trying to keep these chapters short.",
        "I tried something new with the POV in this chapter, so tell me if it works.",
        "Honestly, guys, I rewrote this three times and I'm still not sure about the plot.",
        "Disclaimer: nothing here is mine.",
    ],
)
def test_a_short_note_before_a_scene_break_opens_the_chapter_notes(note):
    text = f"Chapter 1: Tides\n\n{STORY}\n\nChapter 2: Mud\n\n{note}\n\n* * *\n\n{MORE}\n"
    work = read_text(text)
    assert work.chapters[1].text_start().startswith("By morning the boats")
    notes = work.chapters[1].begin_notes + work.disclaimer
    assert note.split()[-1].strip("!.") in notes


@pytest.mark.parametrize(
    "note",
    [
        "Hope you like it!",
        "Written for my sister, who asked for boats.",
        "Sorry for the long wait, everyone!",
        "Beta'd by the wonderful Orla Pike.",
    ],
)
def test_a_note_phrase_opens_the_chapter_notes_without_a_scene_break(note):
    text = f"Chapter 1: Tides\n\n{STORY}\n\nChapter 2: Mud\n\n{note}\n\n{MORE}\n"
    work = read_text(text)
    assert work.chapters[1].text_start().startswith("By morning the boats")
    assert note[:12] in work.chapters[1].begin_notes


def test_a_note_set_in_italics_is_a_note_without_a_scene_break():
    text = (
        f"Chapter 1: Tides\n\n{STORY}\n\nChapter 2: Mud\n\n"
        f"_I rewrote this chapter four times before it behaved._\n\n{MORE}\n"
    )
    work = read_text(text)
    assert "rewrote this chapter" in work.chapters[1].begin_notes
    assert work.chapters[1].text_start().startswith("By morning the boats")


@pytest.mark.parametrize(
    "closing",
    [
        "I'm really fond of this pairing and I hope you are too.",
        "I have no idea how harbours work, so I'll probably edit this later.",
        "Next chapter: the lighthouse.",
    ],
)
def test_a_closing_note_after_the_last_scene_break_is_an_end_note(closing):
    text = (
        f"Chapter 1: Tides\n\n{STORY}\n\n{MORE}\n\n* * *\n\n{closing}\n\n"
        f"Chapter 2: Mud\n\n{STORY}\n"
    )
    work = read_text(text)
    assert closing[:20] in work.chapters[0].end_notes
    assert closing[:20] not in work.chapters[0].body
    assert "By morning the boats" in work.chapters[0].body


# --- story text that only sounds personal stays story --------------------------------------


@pytest.mark.parametrize(
    "opening",
    [
        "I never liked the sea.",
        "Thanks to the rain, the streets were empty.",
        "Enjoy your supper, the innkeeper said, and meant none of it.",
        '"Enjoy!" the innkeeper said, and meant none of it.',
        '"Sorry for the wait," she said, and sat down.',
        "You should not have come back here.",
        "I wrote to my mother every week that winter.",
    ],
)
def test_a_first_person_opening_before_a_scene_break_stays_story(opening):
    text = f"Chapter 1: Tides\n\n{STORY}\n\nChapter 2: Mud\n\n{opening}\n\n* * *\n\n{MORE}\n"
    work = read_text(text)
    assert work.chapters[1].text_start().startswith(opening[:30])
    assert work.chapters[1].begin_notes == ""


def test_an_italic_flashback_opening_a_chapter_stays_story():
    text = (
        f"Chapter 1: Tides\n\n{STORY}\n\nChapter 2: Mud\n\n"
        f"_I remember the summer the harbour froze, and my father laughing at it._\n\n{MORE}\n"
    )
    work = read_text(text)
    assert work.chapters[1].text_start().startswith("I remember the summer")
    assert work.chapters[1].begin_notes == ""


def test_a_first_person_ending_after_a_scene_break_stays_story():
    ending = "I never went back to the harbour, and I never told anyone why."
    text = f"Chapter 1: Tides\n\n{STORY}\n\n* * *\n\n{ending}\n\nChapter 2: Mud\n\n{MORE}\n"
    work = read_text(text)
    assert ending in work.chapters[0].body
    assert work.chapters[0].end_notes == ""


def test_a_chapter_of_short_scenes_keeps_them_all():
    text = (
        "Chapter 1: Tides\n\n"
        + "\n\n* * *\n\n".join(
            ["I waited for the chapter to end.", "You never came.", "I left the light on."]
        )
        + f"\n\nChapter 2: Mud\n\n{STORY}\n"
    )
    body = read_text(text).chapters[0].body
    assert "I waited for the chapter" in body
    assert "You never came." in body


def test_a_chapter_that_would_be_only_notes_stays_story():
    text = f"Chapter 1: Tides\n\n{STORY}\n\nChapter 2: Mud\n\nI hope you like my fic.\n"
    work = read_text(text)
    assert "I hope you like my fic." in work.chapters[1].body


# --- every format --------------------------------------------------------------------------

FFF_HTML = """<!DOCTYPE html><html><head><meta charset="UTF-8"><title>T</title></head><body>
<h1><a href="#">Salt Roads</a> by <a class='authorlink' href='#'>Teodor Brisk</a></h1>
<table class="full">
<tr><td><b>Category:</b></td><td>Tidewater Saga</td></tr>
<tr><td><b>Characters:</b></td><td>[Ossian B., Delphine R.]</td></tr>
<tr><td><b>Rating:</b></td><td>K</td></tr>
</table>
<a name="section0001"><h2>1. Ropes</h2></a>
<div><p>Written for the Knot Challenge. Hope you enjoy!</p><hr/>
<p>The rope had been tarred so often it was more tar than rope.</p>
<p>Ossian coiled it anyway.</p><hr/>
<p>Thanks for reading, and please review!</p></div>
<a name="section0002"><h2>2. Knots</h2></a>
<div><p>I never learned a single knot.</p><hr/><p>Delphine tied them all.</p></div>
</body></html>"""


def test_fanficfare_html_chapters_lose_their_inline_notes():
    work = read("salt.html", FFF_HTML.encode())
    assert work.fandoms == ["Tidewater Saga"]
    assert work.relationships == ["Ossian B./Delphine R."]
    first, second = work.chapters
    assert "Knot Challenge" in work.begin_notes
    assert first.text_start().startswith("The rope had been tarred")
    assert "Thanks for reading" in first.end_notes
    assert "please review" not in first.body
    assert second.text_start().startswith("I never learned a single knot.")
    assert (second.begin_notes, second.end_notes) == ("", "")


def test_fanficfare_epub_chapters_lose_their_inline_notes():
    title_page = (
        '<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
        '<head><title>t</title></head><body class="fff_titlepage">'
        '<h3><a href="#">Salt Roads</a> by <a class="authorlink" href="#">Teodor</a></h3>'
        "<div><b>Category:</b> Tidewater Saga<br/></div></body></html>"
    )
    chapters = [
        (
            "Chapter 1",
            '<h3 class="fff_chapter_title">Chapter 1</h3><div><p>Just a quick one, I hope'
            " you like this chapter!</p><hr/><p>The gulls came first.</p></div>",
        ),
        (
            "Chapter 2",
            '<h3 class="fff_chapter_title">Chapter 2</h3><div><p><b>Sorry for the wait!</b>'
            "</p><p>The boats came after.</p></div>",
        ),
    ]
    work = read("salt.epub", build_epub(chapters, title_page=title_page))
    assert work.format == "fanficfare-epub"
    assert "quick one" in work.begin_notes
    assert work.chapters[0].text_start() == "The gulls came first."
    assert "Sorry for the wait" in work.chapters[1].begin_notes
    assert work.chapters[1].text_start() == "The boats came after."
