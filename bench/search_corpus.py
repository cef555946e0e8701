"""An AO3-shaped corpus of N works as JSON Lines, for `ficarchive works load` and the search bench.

Shaped after what is known of AO3's 2021 data dump: fandom sizes about 1/rank with the largest
about 5% of works; characters and relationships drawn per fandom; a long tail of additional tags
(most names used once); about 14 tags per work (p90 26, p99 54); ratings General 27.8%, Teen
29.9%, Mature 15.1%, Explicit 16.3%, Not Rated 10.9%; 84% complete; 91% English; words
log-normal with about 94% under 25k; power-law kudos and hits; dates over 15 years.

    python bench/search_corpus.py 100000 > corpus.jsonl
"""

from __future__ import annotations

import json
import math
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta

SEED = 2021
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
WORDS = [
    "storm",
    "harbour",
    "lamp",
    "tea",
    "night",
    "keeper",
    "letters",
    "winter",
    "home",
    "stars",
    "bakery",
    "coffee",
    "shop",
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
    "road",
    "trip",
    "snow",
    "summer",
    "dragon",
    "ghost",
]
START = date(2009, 1, 1)
DAYS = 15 * 365


def _fandom_weights(count: int, top_share: float = 0.05) -> list[float]:
    """Weights 1/(rank + k), with k chosen so the largest fandom holds about `top_share`."""
    low, high = 0.0, 10_000.0
    for _ in range(60):
        k = (low + high) / 2
        total = sum(1 / (r + k) for r in range(1, count + 1))
        share = (1 / (1 + k)) / total
        low, high = (k, high) if share > top_share else (low, k)
    return [1 / (r + low) for r in range(1, count + 1)]


def _pick(rng: random.Random, pairs: list[tuple[str, float]]) -> str:
    return rng.choices([name for name, _ in pairs], weights=[w for _, w in pairs])[0]


def works(n: int, seed: int = SEED) -> Iterator[dict[str, object]]:
    rng = random.Random(seed)
    fandom_count = max(20, n // 50)
    fandoms = [f"Fandom {i}" for i in range(fandom_count)]
    weights = _fandom_weights(fandom_count)
    cumulative = list(_cumulative(weights))
    common_freeforms = [
        f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {i}" for i in range(max(2000, n))
    ]
    creators = max(10, n // 6)
    unique = 0
    for number in range(n):
        fandom_ids = {rng.choices(range(fandom_count), cum_weights=cumulative)[0]}
        while rng.random() < 0.1:
            fandom_ids.add(rng.choices(range(fandom_count), cum_weights=cumulative)[0])
        cast = max(4, int(math.sqrt(n * weights[min(fandom_ids)] / sum(weights)) * 3))
        characters, relationships = set(), set()
        for fid in fandom_ids:
            for _ in range(rng.choice([1, 2, 2, 3, 3, 4, 5])):
                characters.add(f"Character {fid}-{int(rng.paretovariate(1.2)) % cast}")
            for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
                a, b = sorted(rng.sample(range(cast), 2))
                relationships.add(f"Character {fid}-{a}/Character {fid}-{b}")
        freeforms = set()
        for _ in range(min(90, int(rng.lognormvariate(1.85, 1.0)))):
            if rng.random() < 0.9:
                freeforms.add(
                    common_freeforms[int(rng.paretovariate(0.35)) % len(common_freeforms)]
                )
            else:
                unique += 1
                freeforms.add(f"tag {unique}")
        words = max(100, int(rng.lognormvariate(math.log(3500), 1.18)))
        chapters = 1 if words < 6000 else max(1, words // rng.randint(2500, 6000))
        complete = rng.random() < 0.84
        published = START + timedelta(days=rng.randrange(DAYS))
        updated = published + timedelta(days=0 if chapters == 1 else rng.randrange(400))
        kudos = int(rng.paretovariate(1.1)) - 1
        yield {
            "title": f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {number}",
            "creators": [f"writer{int(rng.paretovariate(0.9)) % creators}"],
            "rating": _pick(rng, RATINGS),
            "warnings": [_pick(rng, WARNINGS)],
            "categories": [_pick(rng, CATEGORIES)],
            "fandoms": [fandoms[f] for f in sorted(fandom_ids)],
            "relationships": sorted(relationships),
            "characters": sorted(characters),
            "freeforms": sorted(freeforms),
            "language": _pick(rng, LANGUAGES),
            "words": words,
            "chapters": chapters,
            "expected_chapters": chapters if complete else rng.choice([None, chapters + 3]),
            "complete": complete,
            "published": published.isoformat(),
            "updated": min(updated, START + timedelta(days=DAYS)).isoformat(),
            "kudos": kudos,
            "comments": kudos // 8,
            "bookmarks": kudos // 5,
            "hits": int(kudos * rng.uniform(8, 30)) + rng.randint(0, 50),
            "summary": " ".join(rng.choices(WORDS, k=rng.randint(5, 25))),
        }


def _cumulative(weights: list[float]) -> Iterator[float]:
    total = 0.0
    for weight in weights:
        total += weight
        yield total


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    for work in works(count):
        sys.stdout.write(json.dumps(work) + "\n")
