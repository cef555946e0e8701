"""A rating proposed from the content, with a score that explains it: explicit sexual words or
graphic violence counted in the densest passage of the story (so that one scene in a long novel
counts as a scene, and one word in a novel counts for nothing), with examples. The rating is
only proposed (`rating_source` INFERRED, the reason in `inferred`); a stated rating is never
replaced, only flagged when far below."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

from ficarchive.importing.parsed import INFERRED, ParsedWork
from ficarchive.tags.models import EXPLICIT, GENERAL, MATURE, TEEN

_EXPLICIT = re.compile(
    r"\b(?:cock|cunt|pussy|clit(?:oris)?|orgasm(?:ed|s)?|erection|ejaculat\w*|"
    r"cum(?:ming|med)?|penetrat(?:ed|ing|ion)|fucked\s+(?:him|her|them|me)|"
    r"(?:his|her)\s+(?:dick|shaft)|nipples?|thrust(?:ing|s)?\s+into)\b",
    re.IGNORECASE,
)
_VIOLENT = re.compile(
    r"\b(?:disembowel\w*|decapitat\w*|entrails|gore|gutted|tortur(?:e|ed|ing)|"
    r"slit\s+(?:his|her|their)\s+throat|blood\s+(?:spurt|spray|pool)\w*|corpses?|"
    r"stabbed|bludgeon\w*|brains?\s+(?:spatter|splatter)\w*|dismember\w*)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\S+")
_ORDER = [GENERAL, TEEN, MATURE, EXPLICIT]

PASSAGE = 1000  # words: a scene
EXPLICIT_LIKELY, EXPLICIT_SURE = 3, 8  # explicit words within one passage
VIOLENT_LIKELY = 5
EXAMPLES = 3


@dataclass(frozen=True)
class Score:
    """Words of one kind in the whole text and in its densest passage of PASSAGE words."""

    total: int
    densest: int
    words: int
    examples: tuple[str, ...]

    @property
    def per_thousand(self) -> float:
        return self.total * 1000 / max(self.words, 1)

    def explain(self, kind: str) -> str:
        scene = min(self.words, PASSAGE)
        return (
            f"{self.total} {kind} words ({self.per_thousand:.1f} per 1,000 words; "
            f"{self.densest} within {scene:,} words), as in " + "; ".join(self.examples)
        )


def score(pattern: re.Pattern[str], text: str) -> Score:
    """How many matches of PATTERN the text holds, and the most within PASSAGE words."""
    starts = [m.start() for m in _WORD.finditer(text)]
    hits: deque[int] = deque()  # word indexes of the matches in the current passage
    total = densest = 0
    examples: list[str] = []
    word_index = 0
    for match in pattern.finditer(text):
        total += 1
        while word_index < len(starts) and starts[word_index] <= match.start():
            word_index += 1
        hits.append(word_index)
        while hits and hits[0] <= word_index - PASSAGE:
            hits.popleft()
        densest = max(densest, len(hits))
        if len(examples) < EXAMPLES:
            start, end = max(match.start() - 30, 0), min(match.end() + 30, len(text))
            examples.append("…" + " ".join(text[start:end].split()) + "…")
    return Score(total, densest, len(starts), tuple(examples))


def _proposal(text: str) -> tuple[str, str]:
    explicit = score(_EXPLICIT, text)
    if explicit.densest >= EXPLICIT_LIKELY:
        sure = "sure" if explicit.densest >= EXPLICIT_SURE else "likely"
        return EXPLICIT, f"{EXPLICIT} — {sure}: " + explicit.explain("explicit sexual")
    violent = score(_VIOLENT, text)
    if violent.densest >= VIOLENT_LIKELY:
        return MATURE, f"{MATURE} — likely: " + violent.explain("graphic violence")
    return "", ""


def infer_rating(work: ParsedWork, text: str) -> None:
    suggested, reason = _proposal(text)
    if not suggested:
        return
    if work.rating and work.rating_source != INFERRED:
        if work.rating in _ORDER and _ORDER.index(work.rating) + 1 < _ORDER.index(suggested):
            work.problem(
                f"The stated rating {work.rating} seems far below the content "
                f"(which suggests {reason})."
            )
        return
    work.set_rating(suggested, INFERRED)
    work.infer("rating", reason)
