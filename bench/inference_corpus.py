"""The inference benchmark's data, made by code, the same on every run: a vocabulary of over
5,000 tags in the archive's own CSV format, and labelled stories in several shapes.

The vocabulary is built to be hard: many characters are named by common words ("Will Stone",
"Hope", "The Doctor", "The Goose Girl"), many first names are shared by characters of many
fandoms ("John", "Mary"), some fandoms have synonyms and characters other names.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field

SEED = 16
FANDOMS = 520
PER_FANDOM = 7


def _listed(text: str) -> list[str]:
    return text.split()


WORD_NAMES = _listed(
    "Will Hope Grace Faith Rose Sky Joy Mercy Dawn Summer Autumn May June April Lily Daisy "
    "Ruby Amber Pearl Ivy Holly Iris Jade Heather Robin Mark Pat Jack Frank Chase Hunter Sunny "
    "Rain Storm Star Angel Crystal Destiny Harmony Melody River Brook Reed Glen Dale Cliff "
    "Sterling Victor Wade Drew Grant Miles Penny Ginger Honey Patience Prudence Constance"
)
PLAIN_NAMES = _listed(
    "John Mary Elizabeth Jane James Harry Sarah Emma Anna Peter Paul David Michael Thomas Henry "
    "Charles George Alice Lucy Kate Sam Ben Tom Max Leo Nina Lena Clara Eva Oscar Hugo Felix "
    "Ada Ella Mia Noah Liam Ethan Owen Luke Adam Daniel Simon Julia Laura Helen Irene Marco "
    "Elena Kitty Lydia Charlotte William Fitzwilliam Catherine Edward Arthur Margaret"
)
SURNAMES = _listed(
    "Smith Baker Stone Wood Hill Fields Brooks Graham Tyler Oswald Carter Hale Mercer Quinn "
    "Rowan Sutton Vance Whitlock Ashdown Blackwood Crane Dunmore Everly Fairfax Greaves "
    "Holloway Ingram Jarrow Kendrick Lacey Marlow Northcott Orrin Pryce Ravensworth Sallow "
    "Thorne Underhill Vell Winslow Yardley Abbott Bellamy Cole Drummond Ellery Finch Gale "
    "Hart Lockwood Moss Nightingale Park Reyes Shaw Tate Ward Young Bright Strong Little Long"
)
TITLE_NAMES = [
    "The Doctor", "The Captain", "The Queen", "The King", "The Goose Girl", "The Master",
    "The White Rabbit", "The Stranger", "The Narrator", "Old Tom", "The Boy", "The Girl",
    "The Queen of Hearts", "The Mad Hatter", "The Lady", "The General", "Mother", "Father",
]  # fmt: skip
SYLLABLES = _listed("ka ri to mo ne sa lu vi zo ya ki ru shi mi ta na ha ro ze fu")
OTHER_SYLLABLES = _listed("bel dor fen gar hul jes kor lim mur nol pes qua")  # original fiction
PLACES = _listed(
    "Harbour Court Crown Tide Lantern Ember Hollow Spire Garden Forest Road River Star Moon "
    "Winter Summer Iron Silver Glass Ash Storm Shadow Light Night Dawn Sea Stone Sky Fire Bone"
)
ADJECTIVES = _listed(
    "Silver Broken Hidden Last Lost Quiet Burning Endless Golden Hollow Northern Secret Sleeping "
    "Wandering Crimson Pale Distant Frozen Shattered Little"
)
FANDOM_SHAPES = ["{a} {p}", "The {a} {p}", "{p} of {q}", "{p} and {q}", "{a} {p} (TV)"]


@dataclass
class Character:
    name: str
    fandom: str
    given: str = ""  # the word a story calls them by ("" when none: "The Doctor")
    synonyms: list[str] = field(default_factory=list)


@dataclass
class Vocabulary:
    fandoms: list[str] = field(default_factory=list)
    fandom_synonyms: dict[str, str] = field(default_factory=dict)
    characters: list[Character] = field(default_factory=list)
    relationships: list[tuple[str, str, str]] = field(default_factory=list)  # a, b, fandom

    def csv(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["type", "name", "canonical", "synonym_of", "fandoms", "characters"])
        for fandom in self.fandoms:
            writer.writerow(["fandom", fandom, "true", "", "", ""])
        for synonym, fandom in self.fandom_synonyms.items():
            writer.writerow(["fandom", synonym, "false", fandom, "", ""])
        for character in self.characters:
            writer.writerow(["character", character.name, "true", "", character.fandom, ""])
            for synonym in character.synonyms:
                writer.writerow(["character", synonym, "false", character.name, "", ""])
        for a, b, fandom in self.relationships:
            writer.writerow(["relationship", f"{a}/{b}", "true", "", fandom, f"{a}|{b}"])
        return out.getvalue().encode()

    @property
    def size(self) -> int:
        synonyms = sum(len(c.synonyms) for c in self.characters)
        return (
            len(self.fandoms)
            + len(self.fandom_synonyms)
            + len(self.characters)
            + synonyms
            + len(self.relationships)
        )

    def cast(self, fandom: str) -> list[Character]:
        return [c for c in self.characters if c.fandom == fandom]


def _invented(rng: random.Random, syllables: list[str]) -> str:
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).capitalize()


def make_vocabulary(seed: int = SEED) -> Vocabulary:
    rng = random.Random(seed)
    vocabulary = Vocabulary()
    names: set[str] = set()
    while len(vocabulary.fandoms) < FANDOMS:
        shape = rng.choice(FANDOM_SHAPES)
        fandom = shape.format(a=rng.choice(ADJECTIVES), p=rng.choice(PLACES), q=rng.choice(PLACES))
        if fandom in vocabulary.fandoms:
            continue
        vocabulary.fandoms.append(fandom)
        if rng.random() < 0.2:
            vocabulary.fandom_synonyms[f"{fandom} (Series)"] = fandom
        cast: list[Character] = []
        while len(cast) < PER_FANDOM:
            roll = rng.random()
            surname = rng.choice(SURNAMES)
            if roll < 0.25:
                given = rng.choice(WORD_NAMES)
            elif roll < 0.5:
                given = rng.choice(PLAIN_NAMES)
            elif roll < 0.8:
                given = _invented(rng, SYLLABLES)
            else:
                given = ""
            if given:
                if rng.random() < 0.12:  # a single name: "Hope", "Kazuvi"
                    name, surname = given, ""
                else:
                    name = f"{given} {surname}" if rng.random() < 0.8 else f"{surname} {given}"
            else:
                name = rng.choice(TITLE_NAMES)
            if name in names:  # AO3 disambiguates: "Hope (Silver Harbour)"
                name = f"{name} ({fandom})"
                if name in names:
                    continue
            names.add(name)
            character = Character(name, fandom, given)
            if given and surname and rng.random() < 0.3:
                other = f"{surname} {given}" if name.startswith(given) else f"{given} {surname}"
                character.synonyms.append(f"{other} ({fandom})")  # the other order
            cast.append(character)
        vocabulary.characters += cast
        for _ in range(3):
            a, b = sorted(rng.sample(cast, 2), key=lambda c: c.name.casefold())
            if (a.name, b.name, fandom) not in vocabulary.relationships:
                vocabulary.relationships.append((a.name, b.name, fandom))
    return vocabulary


# --- stories -----------------------------------------------------------------------------

FILLER = [
    "The rain had not stopped since morning, and the streets were grey with it.",
    "I hope the trains are running, she thought, though there was little hope of that.",
    "We will see what the morning brings; the doctor said the same thing every day.",
    "She said grace before supper, with all the grace she had left.",
    "The rose by the door had bloomed at last, and the sky above it was clear.",
    "Nobody will ever know what the king of the old songs wanted.",
    "It was a long road, and the night was cold, and the fire was small.",
    "There was faith in the way the old woman mended the nets.",
    "The captain of the ferry waved, and the queen on the coin in her hand glinted.",
    "By the time the bells rang, the market had emptied and the gulls had come down.",
]
OPENERS_COMMON = [
    "Will it rain tonight? ",
    "Hope is a stubborn thing. ",
    "Grace was the name of the house on the hill. ",
    "Rose-coloured light fell across the floor. ",
    "May the road rise to meet you, the sign said. ",
    "Faith, said the Doctor, is what we have. ",
]
ACTIONS = [
    "{a} looked up from the table.",
    "“You are late,” said {a}, and {b} only shrugged.",
    "{a} and {b} walked down to the water together.",
    "Later, {b} laughed at something {a} said.",
    "It was {a} who found the letter first.",
    "{b} watched the door, and {a} watched {b}.",
    "“Again?” asked {a}. {b} nodded.",
    "Nobody but {a} remembered the song.",
]
EXPLICIT_SCENE = (
    "She pulled him close and kissed him. His cock was hard against her thigh; she touched her "
    "clit and gasped. He thrust into her slowly, and her orgasm came fast, then his. They lay "
    "together while the rain fell, her nipples still tight, until the next orgasm took her. "
)
VIOLENT_SCENE = (
    "The guard was stabbed before he could shout. Blood spurted across the stones; the second "
    "guard was gutted where he stood, his entrails on the floor. They left the corpses in the "
    "yard, and the torture of the prisoners went on below. "
)
NOVEL_PARAGRAPH = " ".join(FILLER)


@dataclass
class Story:
    name: str
    shape: str
    text: str
    fandoms: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    rating: str = ""  # the rating inference should propose ("" for none)


def _paragraphs(rng: random.Random, calls: list[str], count: int = 6) -> str:
    parts = []
    for _ in range(count):
        sentences = rng.sample(FILLER, 2)
        if len(calls) >= 2:
            a, b = rng.sample(calls, 2)
            sentences.insert(1, rng.choice(ACTIONS).format(a=a, b=b))
        parts.append(" ".join(sentences))
    return "\n\n".join(parts)


def _people(vocabulary: Vocabulary, rng: random.Random, fandom: str, count: int) -> list[Character]:
    named = [c for c in vocabulary.cast(fandom) if c.given]
    return rng.sample(named, min(count, len(named)))


def make_stories(vocabulary: Vocabulary, seed: int = SEED, per_shape: int = 24) -> list[Story]:
    rng = random.Random(seed + 1)
    stories: list[Story] = []

    def add(shape: str, text: str, **labels: object) -> None:
        name = f"{shape}-{len(stories)}"
        text = f"Title: {name}\n\n{text}"
        stories.append(Story(f"{name}.txt", shape, text, **labels))  # type: ignore[arg-type]

    vocabulary_words = {w.casefold() for c in vocabulary.characters for w in c.name.split()}
    for _ in range(per_shape):
        fandom = rng.choice(vocabulary.fandoms)
        people = _people(vocabulary, rng, fandom, 3)
        full = " ".join(f"{c.name.split(' (')[0]} had come too." for c in people)
        text = full + "\n\n" + _paragraphs(rng, [c.given for c in people])
        add("full names", text, fandoms=[fandom], characters=[c.name for c in people])

        fandom = rng.choice(vocabulary.fandoms)
        people = _people(vocabulary, rng, fandom, 3)
        text = _paragraphs(rng, [c.given for c in people], 8)
        add("first names", text, fandoms=[fandom], characters=[c.name for c in people])

        fandom = rng.choice(vocabulary.fandoms)
        people = _people(vocabulary, rng, fandom, 2)
        text = f"Disclaimer: I don't own {fandom}, sadly.\n\n" + _paragraphs(
            rng, [c.given for c in people]
        )
        add("disclaimer", text, fandoms=[fandom], characters=[c.name for c in people])

        invented = []
        while len(invented) < 3:
            name = _invented(rng, OTHER_SYLLABLES)
            if name.casefold() not in vocabulary_words:
                invented.append(name)
        add("original", _paragraphs(rng, invented, 8))

        opener = "".join(rng.sample(OPENERS_COMMON, 3))
        add("common words", opener + "\n\n" + _paragraphs(rng, [], 8))

        titled = ["the Doctor", "the Captain", "the Queen", "the King", "the Master"]
        add("titles", _paragraphs(rng, rng.sample(titled, 3), 8))

        first, second = rng.sample(vocabulary.fandoms, 2)
        a = _people(vocabulary, rng, first, 2)
        b = _people(vocabulary, rng, second, 2)
        intro = " ".join(f"{c.name.split(' (')[0]} was there." for c in a + b)
        text = intro + "\n\n" + _paragraphs(rng, [c.given for c in a + b], 8)
        add("crossover", text, fandoms=[first, second], characters=[c.name for c in a + b])

        text = NOVEL_PARAGRAPH * 3 + "\n\n" + EXPLICIT_SCENE + "\n\n" + NOVEL_PARAGRAPH * 3
        add("explicit scene", text, rating="Explicit")

        novel = [NOVEL_PARAGRAPH] * 60
        novel.insert(30, "Her nipples were cold in the wind off the sea.")
        add("novel with one explicit word", "\n\n".join(novel))

        novel = [NOVEL_PARAGRAPH] * 60
        for place, line in zip((5, 20, 35, 50), EXPLICIT_SCENE.split("; ")[:1] * 4, strict=True):
            novel.insert(place, line + ".")  # one explicit word in every 2,500
        add("novel with scattered explicit words", "\n\n".join(novel))

        text = NOVEL_PARAGRAPH * 2 + "\n\n" + VIOLENT_SCENE * 2 + "\n\n" + NOVEL_PARAGRAPH
        add("violent scene", text, rating="Mature")
    return stories
