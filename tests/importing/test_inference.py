"""Proposals against the archive's canonical tags, each with its reason."""

from __future__ import annotations

import pytest

from ficarchive.importing.inference import infer
from ficarchive.importing.readers import read
from ficarchive.tags.models import EXPLICIT, GENERAL, MATURE, TagType
from tests.tags.conftest import canonical

STORY = (
    "Chapter 1\n\n"
    "Wren climbed the ladder while Mira held it steady. Wren Ashdown had never liked heights.\n\n"
    "“Careful,” said Mira. Tobias watched from the door; Wren waved at him.\n\n"
    "Mira laughed, and Wren nearly fell, and Mira caught her. Wren sighed.\n"
)


@pytest.fixture
def lanterns(wendy):
    fandom = canonical(wendy, TagType.FANDOM, "The Lantern Chronicles")
    other = canonical(wendy, TagType.FANDOM, "Gears of Aldmoor")
    wren = canonical(wendy, TagType.CHARACTER, "Wren Ashdown", fandoms=[fandom])
    mira = canonical(wendy, TagType.CHARACTER, "Mira Vell", fandoms=[fandom])
    canonical(wendy, TagType.CHARACTER, "Old Tobias", fandoms=[fandom])
    canonical(wendy, TagType.CHARACTER, "Ida Brass", fandoms=[other])
    canonical(
        wendy, TagType.RELATIONSHIP, "Mira Vell/Wren Ashdown", fandoms=[fandom],
        characters=[wren, mira],
    )  # fmt: skip
    return fandom


def test_fandom_and_characters_are_inferred_from_names_with_reasons(lanterns):
    work = infer(read("ladder.txt", STORY.encode()))
    assert work.fandoms == ["The Lantern Chronicles"]
    assert work.characters == ["Wren Ashdown", "Mira Vell"]
    assert "Wren Ashdown" in work.inferred["fandoms"]
    assert "\u201cwren\u201d 5\u00d7" in work.inferred["characters"]


def test_ship_name_in_the_summary_resolves_to_the_canonical_relationship(lanterns):
    text = "Summary: A little Wrira for the soul.\n\n" + STORY
    work = infer(read("ladder.txt", text.encode()))
    assert work.relationships == ["Mira Vell/Wren Ashdown"]
    assert "Wrira" in work.inferred["relationships"]


def test_stated_fandom_and_characters_are_never_replaced(lanterns):
    text = "Fandom: Gears of Aldmoor\nCharacters: Pell\n\n" + STORY
    work = infer(read("ladder.txt", text.encode()))
    assert work.fandoms == ["Gears of Aldmoor"]
    assert work.characters == ["Pell"]
    assert "fandoms" not in work.inferred


def test_explicit_content_suggests_explicit_with_the_passages(db):
    text = "She moaned as his cock slid in. The orgasm came fast; another orgasm after.\n"
    work = infer(read("night.txt", text.encode()))
    assert (work.rating, work.rating_source) == (EXPLICIT, "inferred")
    assert "3 explicit sexual words" in work.inferred["rating"]
    assert "…" in work.inferred["rating"]


def test_a_stated_rating_far_below_the_content_is_flagged_not_changed(db):
    text = "Rating: K\n\nHis cock, her clit, one orgasm, and then another orgasm.\n"
    work = infer(read("night.txt", text.encode()))
    assert (work.rating, work.rating_source) == (GENERAL, "stated")
    assert any("far below the content" in p for p in work.problems)


def test_graphic_violence_suggests_mature(db):
    text = "Gore everywhere. The corpse, the entrails, the decapitated guard; torture, gutted.\n"
    work = infer(read("war.txt", text.encode()))
    assert work.rating == MATURE
    assert "graphic violence" in work.inferred["rating"]


def test_genre_words_become_additional_tags_canonical_where_they_exist(wendy):
    hc = canonical(wendy, TagType.FREEFORM, "Hurt/Comfort")
    assert hc.canonical
    text = "Summary: Pure angst, some h/c, a coffee shop AU.\n\nThe coffee was cold.\n"
    work = infer(read("cafe.txt", text.encode()))
    assert work.freeforms == ["Angst", "Hurt/Comfort", "Alternate Universe"]
    assert "the summary says \u201ch/c\u201d" in work.inferred["freeforms"]


def test_dry_run_json_shows_inferences(lanterns):
    from tests.importing.test_command import lines, run

    out, _ = run("--dry-run", "--json", str(_write(STORY)))
    [record] = lines(out)
    assert record["fandoms"] == ["The Lantern Chronicles"]
    assert set(record["inferred"]) >= {"fandoms", "characters", "title"}


def _write(text: str):
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp()) / "ladder.txt"
    path.write_text(text, encoding="utf-8")
    return path
