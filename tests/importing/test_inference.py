# ruff: noqa: RUF001 - reasons quote the text with typographic quotes and a times sign
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
    assert (
        "Wren Ashdown — sure: “Wren Ashdown” in full 1×, “Wren” 5×" in work.inferred["characters"]
    )
    assert "Mira Vell — likely: “Mira” 4×" in work.inferred["characters"]
    assert work.inferred["fandoms"].startswith("The Lantern Chronicles — sure: ")


def test_ship_name_in_the_summary_resolves_to_the_canonical_relationship(lanterns):
    text = "Summary: A little Wrira for the soul.\n\n" + STORY
    work = infer(read("ladder.txt", text.encode()))
    assert work.relationships == ["Mira Vell/Wren Ashdown"]
    assert work.inferred["relationships"] == (
        "Mira Vell/Wren Ashdown — likely: the ship name “Wrira” in the summary or notes"
    )


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
    assert work.inferred["rating"].startswith("Explicit — likely: ")
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


# --- a vocabulary with characters named by common words ----------------------------------


@pytest.fixture
def vocabulary(wendy):
    """Fandoms whose characters include common words, as a real vocabulary has them."""

    def fandom(name, *characters):
        made = canonical(wendy, TagType.FANDOM, name)
        for character in characters:
            canonical(wendy, TagType.CHARACTER, character, fandoms=[made])
        return made

    fandom("Grimm's Fairy Tales", "The Goose Girl", "Falada", "Conrad (Grimm)")
    fandom("Naruto", "Haruno Sakura", "Uchiha Sasuke", "Uzumaki Naruto", "Hatake Kakashi")
    fandom("Cardcaptor Sakura", "Kinomoto Sakura", "Li Syaoran")
    fandom("Doctor Who", "The Doctor", "Rose Tyler", "Clara Oswald")
    fandom("Hannibal (TV)", "Will Graham", "Hannibal Lecter")
    fandom("The Virtues", "Hope", "Grace", "Faith", "Will", "Charity")


SAKURA = (
    "The rain fell on the village. Sakura waited by the gate, and the wind pulled at the "
    "ribbon in her hair. The gate creaked; the guards yawned. Then Sasuke came down the road.\n\n"
    "\u201cYou came back,\u201d said Sakura. Sasuke only nodded. The silence between them was "
    "the old kind, the kind that had grown up with them.\n"
)


def test_sakura_and_sasuke_are_naruto_and_never_the_goose_girl(vocabulary):
    assert SAKURA.count("the") + SAKURA.count("The") > 10
    work = infer(read("gate.txt", SAKURA.encode()))
    assert work.fandoms == ["Naruto"]
    assert work.characters == ["Haruno Sakura", "Uchiha Sasuke"]
    assert work.inferred["fandoms"].startswith("Naruto — likely: 2 of its characters named")
    assert "Haruno Sakura — likely: “Sakura” 2×" in work.inferred["characters"]
    assert "Goose" not in str(work.inferred)


COMMON = (
    "Will you come? I hope so. The doctor said there was little hope, but we will see. "
    "Hope is a stubborn thing. She said grace before supper, with grace and faith, and the "
    "doctor will come back tomorrow. Will it rain? The rose in the garden will bloom; "
    "Grace is the name of the house. Faith, said the doctor, is what we have.\n"
)


def test_common_words_propose_no_fandom_and_no_character(vocabulary):
    work = infer(read("evening.txt", (COMMON * 3).encode()))
    assert work.fandoms == []
    assert work.characters == []
    assert "fandoms" not in work.inferred and "characters" not in work.inferred


def test_the_doctor_alone_in_capitals_proposes_nothing(vocabulary):
    text = "The Doctor ran. The Doctor stopped, and the Doctor smiled at the Doctor's ship.\n"
    work = infer(read("tardis.txt", (text * 4).encode()))
    assert work.fandoms == []
    assert work.characters == []


def test_a_full_name_is_distinctive_even_with_a_common_word_in_it(vocabulary):
    text = (
        "Will Graham looked at the water. He will not sleep tonight, he thought; he hopes "
        "the dogs will.\n\nThe river was cold and the night was long.\n"
    )
    work = infer(read("river.txt", text.encode()))
    assert work.fandoms == ["Hannibal (TV)"]
    assert work.characters == ["Will Graham"]
    assert work.inferred["characters"] == "Will Graham — sure: “Will Graham” in full 1×"
    assert work.inferred["fandoms"].startswith("Hannibal (TV) — likely: ")


def test_several_first_names_of_one_fandom_propose_it(vocabulary):
    text = (
        "Kakashi read his book while Naruto complained. \u201cAgain?\u201d asked Sakura. "
        "Naruto grinned; Kakashi turned a page. Later Sakura laughed at them both.\n"
    )
    work = infer(read("team.txt", text.encode()))
    assert work.fandoms == ["Naruto"]
    assert set(work.characters) == {"Hatake Kakashi", "Uzumaki Naruto", "Haruno Sakura"}
    assert work.inferred["fandoms"].startswith("Naruto — sure: 3 of its characters named")


def test_one_first_name_alone_proposes_no_fandom(vocabulary):
    text = "Then Sasuke left. The road was long, and Sasuke walked it alone until dawn.\n"
    work = infer(read("road.txt", text.encode()))
    assert work.fandoms == []


def test_a_fandom_named_in_the_disclaimer_is_sure_and_finds_its_characters(vocabulary):
    text = "Disclaimer: I don't own Naruto.\n\n" + SAKURA
    work = infer(read("gate.txt", text.encode()))
    assert work.fandoms == ["Naruto"]
    assert work.inferred["fandoms"].startswith("Naruto — sure: named in the disclaimer")
    assert work.characters == ["Haruno Sakura", "Uchiha Sasuke"]


def test_a_fandom_named_in_the_summary_is_proposed(vocabulary):
    text = "Summary: A small Doctor Who story about a blue door.\n\nShe opened the door.\n"
    work = infer(read("door.txt", text.encode()))
    assert work.fandoms == ["Doctor Who"]
    assert work.inferred["fandoms"] == (
        "Doctor Who — sure: the disclaimer, summary or notes name “Doctor Who”"
    )


def test_crossover_names_both_fandoms(vocabulary):
    text = (
        "Rose Tyler stepped out of the box into the rain. Across the road Will Graham was "
        "waiting, and Rose Tyler waved; Will Graham did not.\n"
    )
    work = infer(read("crossing.txt", text.encode()))
    assert sorted(work.fandoms) == ["Doctor Who", "Hannibal (TV)"]
    assert sorted(work.characters) == ["Rose Tyler", "Will Graham"]


# --- rating scores -----------------------------------------------------------------------

PLAIN = "They walked along the shore and talked about the harbour, the boats and the weather. "


def test_one_explicit_word_in_a_long_novel_proposes_no_rating(db):
    text = PLAIN * 400 + "Her nipples were cold in the wind. " + PLAIN * 400
    work = infer(read("novel.txt", text.encode()))
    assert work.rating_source != "inferred"
    assert "rating" not in work.inferred


def test_explicit_words_spread_across_a_novel_are_no_scene(db):
    scene = "his cock. " + PLAIN * 150
    work = infer(read("novel.txt", (scene * 6).encode()))
    assert "rating" not in work.inferred


def test_a_short_explicit_scene_proposes_explicit_with_its_score(db):
    scene = (
        "She pulled him close. His cock was hard against her thigh; she touched her clit and "
        "gasped. He thrust into her slowly, and her orgasm came fast, then his. They lay "
        "together while the rain fell, her nipples still tight, until the next orgasm. "
    )
    text = PLAIN * 300 + scene + PLAIN * 300
    work = infer(read("night.txt", text.encode()))
    assert (work.rating, work.rating_source) == (EXPLICIT, "inferred")
    reason = work.inferred["rating"]
    assert reason.startswith("Explicit — likely: 6 explicit sexual words (")
    assert "per 1,000 words; 6 within 1,000 words), as in …" in reason


def test_in_a_stated_fandom_common_words_still_name_no_character(vocabulary):
    text = "Fandom: The Virtues\n\n" + COMMON * 3
    work = infer(read("evening.txt", text.encode()))
    assert work.fandoms == ["The Virtues"]
    assert work.characters == []
    assert "characters" not in work.inferred


def test_names_used_only_as_names_in_a_stated_fandom_are_proposed(vocabulary):
    text = "Fandom: The Virtues\n\n“Come in,” said Grace. Later Charity laughed, and Grace too.\n"
    work = infer(read("hall.txt", text.encode()))
    assert work.characters == ["Grace"]
    assert work.inferred["characters"] == "Grace — likely: “Grace” 2×"
