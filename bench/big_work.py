"""A big work for the benchmarks: 200,000 words in 60 chapters, posted through the real actions.

The text is made from a fixed seed, so every run measures the same work: paragraphs of narration
and dialogue, some emphasis, and scene breaks, as long fan fiction has them.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ficarchive.works.models import Work

WORDS = 200_000
CHAPTERS = 60
SEED = 2024

_SYLLABLES = [
    "ka", "lo", "mi", "ra", "te", "su", "no", "ve", "li", "an", "el", "or", "is", "un", "ha",
    "be", "do", "fi", "ga", "jo", "ne", "pa", "qui", "ro", "sa", "ti", "wa", "ye", "zo", "th",
]  # fmt: skip
_COMMON = ["the", "and", "a", "to", "of", "she", "he", "it", "was", "in", "that", "her", "his"]


def _vocabulary(rng: random.Random) -> list[str]:
    words = set()
    while len(words) < 3000:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4))))
    return sorted(words)


def chapter_html(rng: random.Random, vocabulary: list[str], words: int) -> str:
    """Exactly WORDS words of paragraphs, dialogue, emphasis and scene breaks."""
    paragraphs: list[str] = []
    left = words
    since_break = 0
    while left > 0:
        size = min(left, rng.randint(30, 140))
        chosen = [
            rng.choice(_COMMON) if rng.random() < 0.3 else rng.choice(vocabulary)
            for _ in range(size)
        ]
        chosen[0] = chosen[0].capitalize()
        if size > 8 and rng.random() < 0.3:
            start = rng.randint(1, size - 4)
            chosen[start] = "<em>" + chosen[start]
            chosen[start + 2] += "</em>"
        text = " ".join(chosen) + "."
        if rng.random() < 0.35:
            text = f"“{text}”"
        paragraphs.append(f"<p>{text}</p>")
        left -= size
        since_break += size
        if since_break > 1500 and left > 0:
            paragraphs.append('<p align="center">* * *</p>')
            since_break = 0
    return "\n".join(paragraphs)


def chapters() -> list[str]:
    """The big work's chapter bodies."""
    rng = random.Random(SEED)
    vocabulary = _vocabulary(rng)
    base, extra = divmod(WORDS, CHAPTERS)
    return [
        chapter_html(rng, vocabulary, base + (1 if number < extra else 0))
        for number in range(CHAPTERS)
    ]


def post_big_work() -> Work:
    """Post the big work through the archive's actions and return it (needs Django set up)."""
    from ficarchive.accounts.actions import create_user
    from ficarchive.tags.models import EXPLICIT, NO_WARNINGS
    from ficarchive.works import actions

    author = create_user("bench_author", "bench@example.org", "bench password 1234 xyz")
    bodies = chapters()
    details = actions.WorkDetails(
        title="The Long Night of the Lighthouse",
        rating=EXPLICIT,
        warnings=[NO_WARNINGS],
        fandoms=["Original Work"],
        relationships=["Keeper/Gull"],
        characters=["The Keeper", "The Gull"],
        freeforms=["Slow Burn", "Epic Length"],
        summary="<p>Sixty nights at the lamp.</p>",
        begin_notes="<p>For the benchmark.</p>",
        end_notes="<p>Thank you for reading.</p>",
        expected_chapters=CHAPTERS,
    )
    work = actions.post_work(
        author,
        [author.default_pseud],
        details,
        actions.ChapterDetails(body=bodies[0], title="Night 1"),
    )
    for number, body in enumerate(bodies[1:], start=2):
        actions.add_chapter(
            author, work, actions.ChapterDetails(body=body, title=f"Night {number}")
        )
    work.refresh_from_db()
    return work
