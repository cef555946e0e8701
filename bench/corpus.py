"""An AO3-shaped corpus of N works as JSON Lines, for `ficarchive works load` and the search bench.

Shaped after what is known of AO3's 2021 data dump (7.27M works):

- fandom sizes about 1/rank, the largest holding about 5% of the works; a work is in one fandom,
  sometimes a few (crossovers);
- characters and relationships drawn per fandom, popular ones more often (Pareto);
- a long tail of additional (freeform) tags: about 78% of distinct freeform names used once;
- tags per work (all types): median about 14, p90 26, p99 54, a rare few over 75;
- ratings General 27.8%, Teen 29.9%, Mature 15.1%, Explicit 16.3%, Not Rated 10.9%;
- 84% complete, 91% English, words log-normal with about 94% under 25k;
- power-law kudos (hits, bookmarks and comments following them), dates over 15 years;
- a sample of TEXT_SAMPLE works (every n/TEXT_SAMPLE-th, from the first) with chapters and text
  of the sizes they claim (`chapter_texts`: the work's words spread over its chapters, in
  paragraphs of the vocabulary); the others have one empty chapter, as only their counts are
  searched. `text_sample_ids(n)` names the sample's work ids in a fresh archive.

Deterministic by seed, and streaming: `works(n)` yields one work at a time and `CorpusStats`
measures the shape as it goes, so a million works are never held in memory.

    python bench/corpus.py 100000 > corpus.jsonl      (the measured shape goes to stderr)
"""

from __future__ import annotations

import json
import math
import random
import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

SEED = 2021
TEXT_SAMPLE = 1000
PARAGRAPH_WORDS = (40, 160)
RATINGS = [
    ("General Audiences", 27.8),
    ("Teen And Up Audiences", 29.9),
    ("Mature", 15.1),
    ("Explicit", 16.3),
    ("Not Rated", 10.9),
]
WARNINGS = [
    ("No Archive Warnings Apply", 50),
    ("Creator Chose Not To Use Archive Warnings", 35),
    ("Graphic Depictions Of Violence", 9),
    ("Major Character Death", 4),
    ("Rape/Non-Con", 1.5),
    ("Underage Sex", 0.5),
]
CATEGORIES = [("M/M", 40), ("Gen", 25), ("F/M", 20), ("F/F", 8), ("Multi", 4), ("Other", 3)]
LANGUAGES = [("en", 91), ("zh", 3), ("ru", 2), ("es", 1.5), ("fr", 1), ("de", 1), ("ja", 0.5)]
# The head of the vocabulary: real words, most frequent first, so text queries mean something.
COMMON_WORDS = [
    "love",
    "night",
    "home",
    "storm",
    "tea",
    "coffee",
    "shop",
    "winter",
    "summer",
    "stars",
    "letters",
    "harbour",
    "lamp",
    "keeper",
    "dragon",
    "ghost",
    "road",
    "trip",
    "snow",
    "war",
    "after",
    "slow",
    "burn",
    "found",
    "family",
    "hurt",
    "comfort",
    "first",
    "kiss",
    "bakery",
    "library",
    "garden",
    "river",
    "mountain",
    "city",
    "train",
    "sea",
    "light",
    "dark",
    "heart",
    "blood",
    "fire",
    "promise",
    "secret",
    "dream",
    "morning",
    "rain",
    "moon",
    "sun",
    "king",
    "queen",
    "prince",
    "knight",
    "witch",
    "magic",
    "school",
]
SYLLABLES = "ka lo mi ra te su no ve li an el or is un ha be do fi ga jo ne pa ro sa ti wa ye zo"
START = date(2009, 1, 1)
DAYS = 15 * 365
TOP_FANDOM_SHARE = 0.05
# Tags per work: log-normal with median 14 and p90 26, with a heavier upper tail (p99 54).
TAGS_MEDIAN, TAGS_LOW_SIGMA, TAGS_HIGH_SIGMA, TAGS_MAX = 14, 0.483, 0.74, 110
Z90 = 1.2816
# Freeform draws that make a brand-new name (used once); the rest come from a Zipf-like pool.
NEW_FREEFORM = 0.11
WORDS_MEDIAN, WORDS_SIGMA = 3500, 1.264  # P(words < 25,000) = 0.94


def fandom_weights(count: int, top_share: float = TOP_FANDOM_SHARE) -> list[float]:
    """Weights 1/(rank + k), with k chosen so the largest fandom holds about `top_share`."""
    low, high = 0.0, 10_000.0
    for _ in range(60):
        k = (low + high) / 2
        total = sum(1 / (r + k) for r in range(1, count + 1))
        share = (1 / (1 + k)) / total
        low, high = (k, high) if share > top_share else (low, k)
    return [1 / (r + low) for r in range(1, count + 1)]


def vocabulary(rng: random.Random, size: int = 5000) -> list[str]:
    """COMMON_WORDS, then made-up words, in order of frequency."""
    syllables = SYLLABLES.split()
    words = dict.fromkeys(COMMON_WORDS)
    while len(words) < size:
        words["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))] = None
    return list(words)


def _zipf_index(rng: random.Random, size: int, exponent: float = 1.1) -> int:
    """An index in [0, size), P(i) about 1/(i+1)^exponent (inverse of the continuous CDF)."""
    u = rng.random()
    a = 1.0 - exponent
    top = (size + 1) ** a
    return min(size - 1, int((1 + u * (top - 1)) ** (1 / a)) - 1)


def _pick(rng: random.Random, pairs: list[tuple[str, float]]) -> str:
    return rng.choices([name for name, _ in pairs], weights=[w for _, w in pairs])[0]


def _tag_target(rng: random.Random) -> int:
    z = rng.gauss(0, 1)
    sigma_part = (
        TAGS_LOW_SIGMA * z if z <= Z90 else TAGS_LOW_SIGMA * Z90 + TAGS_HIGH_SIGMA * (z - Z90)
    )
    return max(4, min(TAGS_MAX, round(TAGS_MEDIAN * math.exp(sigma_part))))


@dataclass
class CorpusStats:
    """The shape of the works seen so far, measured as they stream by."""

    works: int = 0
    tags_per_work: array = field(default_factory=lambda: array("H"))
    ratings: dict[str, int] = field(default_factory=dict)
    fandom_works: dict[str, int] = field(default_factory=dict)
    pool_uses: dict[int, int] = field(default_factory=dict)
    new_freeforms: int = 0
    complete: int = 0
    english: int = 0
    under_25k: int = 0
    kudos: array = field(default_factory=lambda: array("l"))
    first_day: str = "9999"
    last_day: str = ""

    def add(self, work: dict[str, Any], pool_ids: list[int], new_freeforms: int) -> None:
        self.works += 1
        tags = 1 + sum(
            len(work[k])
            for k in ("warnings", "categories", "fandoms", "relationships", "characters")
        )
        self.tags_per_work.append(tags + len(work["freeforms"]))
        self.ratings[work["rating"]] = self.ratings.get(work["rating"], 0) + 1
        for fandom in work["fandoms"]:
            self.fandom_works[fandom] = self.fandom_works.get(fandom, 0) + 1
        for pool_id in pool_ids:
            self.pool_uses[pool_id] = self.pool_uses.get(pool_id, 0) + 1
        self.new_freeforms += new_freeforms
        self.complete += work["complete"]
        self.english += work["language"] == "en"
        self.under_25k += work["words"] < 25_000
        self.kudos.append(work["kudos"])
        self.first_day = min(self.first_day, work["published"])
        self.last_day = max(self.last_day, work["updated"])

    def measure(self, work: dict[str, Any]) -> None:
        """Add a work read back from a corpus file (new freeforms are the `Tag N ...` ones)."""
        new = [n for n in work["freeforms"] if n.startswith("Tag ")]
        pool = [int(n.rsplit(" ", 1)[1]) for n in work["freeforms"] if not n.startswith("Tag ")]
        self.add(work, pool, len(new))

    def summary(self) -> dict[str, Any]:
        n = max(1, self.works)
        tags = sorted(self.tags_per_work)
        kudos = sorted(self.kudos)
        distinct_freeforms = self.new_freeforms + len(self.pool_uses)
        used_once = self.new_freeforms + sum(1 for c in self.pool_uses.values() if c == 1)

        def pct(values: list[int], share: float) -> int:
            return values[min(len(values) - 1, int(len(values) * share))] if values else 0

        years = (date.fromisoformat(self.last_day) - date.fromisoformat(self.first_day)).days
        return {
            "works": self.works,
            "fandoms": len(self.fandom_works),
            "largest_fandom_share": round(max(self.fandom_works.values(), default=0) / n, 4),
            "tags_per_work": {
                "p50": pct(tags, 0.5),
                "p90": pct(tags, 0.9),
                "p99": pct(tags, 0.99),
                "max": tags[-1] if tags else 0,
                "works_over_75": sum(1 for t in tags if t > 75),
            },
            "distinct_freeforms": distinct_freeforms,
            "freeforms_used_once_share": round(used_once / max(1, distinct_freeforms), 3),
            "rating_shares": {k: round(v / n, 3) for k, v in sorted(self.ratings.items())},
            "complete_share": round(self.complete / n, 3),
            "english_share": round(self.english / n, 3),
            "under_25k_words_share": round(self.under_25k / n, 3),
            "kudos": {"p50": pct(kudos, 0.5), "p99": pct(kudos, 0.99), "max": kudos[-1]},
            "date_span_years": round(years / 365.25, 1),
        }


def text_every(n: int) -> int:
    """Every how many works one is in the text sample."""
    return max(1, n // TEXT_SAMPLE)


def text_sample_ids(n: int) -> list[int]:
    """The ids the sample's works get when the N works are loaded into an empty archive."""
    return [number + 1 for number in range(0, n, text_every(n))]


def chapter_texts(words: list[str], total: int, chapters: int, seed: int) -> list[str]:
    """TOTAL words of text over CHAPTERS chapters, paragraphs apart, from the vocabulary (its
    own random stream, so the sample leaves the rest of the corpus as it was)."""
    rng = random.Random(seed)
    texts = []
    for chapter in range(chapters):
        left = total // chapters + (1 if chapter < total % chapters else 0)
        paragraphs = []
        while left > 0:
            size = min(left, rng.randint(*PARAGRAPH_WORDS))
            chosen = [words[_zipf_index(rng, len(words))] for _ in range(size)]
            paragraphs.append(" ".join(chosen).capitalize() + ".")
            left -= size
        texts.append("\n\n".join(paragraphs))
    return texts


def works(n: int, seed: int = SEED, stats: CorpusStats | None = None) -> Iterator[dict[str, Any]]:
    """N works, one dict at a time; STATS (if given) measures them as they go."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    fandom_count = max(20, n // 40)
    weights = fandom_weights(fandom_count)
    total_weight = sum(weights)
    cumulative = [0.0] * fandom_count
    running = 0.0
    for i, weight in enumerate(weights):
        running += weight
        cumulative[i] = running
    pool_size = max(2000, n // 4)
    creators = max(10, n // 5)
    new_names = 0
    fandom_ids = range(fandom_count)
    for number in range(n):
        fandoms = {rng.choices(fandom_ids, cum_weights=cumulative)[0]}
        while rng.random() < 0.08:
            fandoms.add(rng.choices(fandom_ids, cum_weights=cumulative)[0])
        target = _tag_target(rng)
        warnings = {_pick(rng, WARNINGS)}
        if rng.random() < 0.1:
            warnings.add(_pick(rng, WARNINGS))
        categories = {_pick(rng, CATEGORIES)}
        if rng.random() < 0.12:
            categories.add(_pick(rng, CATEGORIES))
        room = max(0, target - 1 - len(warnings) - len(categories) - len(fandoms))
        characters: set[str] = set()
        relationships: set[str] = set()
        fandom_list = sorted(fandoms)
        want_characters = max(1, round(room * rng.uniform(0.2, 0.4)))
        want_relationships = round(room * rng.uniform(0.0, 0.2))
        for attempt in range(want_characters * 2):
            if len(characters) >= want_characters:
                break
            fid = fandom_list[attempt % len(fandom_list)]
            cast = max(6, int(math.sqrt(n * weights[fid] / total_weight) * 4))
            characters.add(f"Character {fid}-{_zipf_index(rng, cast, 1.3)}")
        for attempt in range(want_relationships * 2):
            if len(relationships) >= want_relationships:
                break
            fid = fandom_list[attempt % len(fandom_list)]
            cast = max(6, int(math.sqrt(n * weights[fid] / total_weight) * 4))
            a, b = _zipf_index(rng, cast, 1.3), _zipf_index(rng, cast, 1.3)
            if a != b:
                a, b = min(a, b), max(a, b)
                relationships.add(f"Character {fid}-{a}/Character {fid}-{b}")
        want_freeforms = max(0, room - len(characters) - len(relationships))
        freeforms: set[str] = set()
        pool_ids: list[int] = []
        made = 0
        for _ in range(want_freeforms):
            if rng.random() < NEW_FREEFORM:
                new_names += 1
                made += 1
                freeforms.add(f"Tag {new_names} {rng.choice(words[:300])}")
            else:
                pool_id = _zipf_index(rng, pool_size, 1.05)
                name = f"{words[pool_id % len(words)].title()} {pool_id}"
                if name not in freeforms:
                    freeforms.add(name)
                    pool_ids.append(pool_id)
        word_count = max(100, int(rng.lognormvariate(math.log(WORDS_MEDIAN), WORDS_SIGMA)))
        complete = rng.random() < 0.84
        per_chapter = rng.randint(2000, 6000)
        chapters = max(1, -(-word_count // per_chapter)) if word_count > 4000 else 1
        if not complete and chapters == 1 and rng.random() < 0.6:
            chapters = 2
        published = START + timedelta(days=rng.randrange(DAYS))
        updated = published + timedelta(days=0 if chapters == 1 else rng.randrange(600))
        kudos = min(int(20 * (rng.paretovariate(0.9) - 1)), 200_000)
        hits = min(int((kudos + 1) * rng.uniform(8, 40)) + rng.randint(0, 80), 20_000_000)
        title_words = [words[_zipf_index(rng, len(words))] for _ in range(rng.randint(1, 4))]
        work: dict[str, Any] = {
            "title": " ".join(title_words).title() + f" {number}",
            "creators": [f"writer{_zipf_index(rng, creators, 0.9)}"]
            + ([f"writer{rng.randrange(creators)}"] if rng.random() < 0.04 else []),
            "rating": _pick(rng, RATINGS),
            "warnings": sorted(warnings),
            "categories": sorted(categories),
            "fandoms": [f"Fandom {f}" for f in fandom_list],
            "relationships": sorted(relationships),
            "characters": sorted(characters),
            "freeforms": sorted(freeforms),
            "language": _pick(rng, LANGUAGES),
            "words": word_count,
            "chapters": chapters,
            "expected_chapters": chapters if complete else rng.choice([None, chapters + 3]),
            "complete": complete,
            "published": published.isoformat(),
            "updated": min(updated, START + timedelta(days=DAYS)).isoformat(),
            "kudos": kudos,
            "comments": int(kudos * rng.uniform(0.02, 0.2)),
            "bookmarks": int(kudos * rng.uniform(0.05, 0.25)),
            "hits": hits,
            "summary": " ".join(
                words[_zipf_index(rng, len(words))] for _ in range(rng.randint(8, 40))
            ),
        }
        if number % text_every(n) == 0:
            work["chapter_texts"] = chapter_texts(words, word_count, chapters, seed + number)
        if stats is not None:
            stats.add(work, pool_ids, made)
        yield work


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    stats = CorpusStats()
    write = sys.stdout.write
    for work in works(count, stats=stats):
        write(json.dumps(work) + "\n")
    sys.stderr.write(json.dumps(stats.summary(), indent=2) + "\n")


if __name__ == "__main__":
    main()
