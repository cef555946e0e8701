"""What a text says about the names in it, read once: which words it capitalizes (and how often
in the middle of a sentence), which it also writes in lowercase, and the capitalized phrases it
holds, so that every character of a large vocabulary is looked up, not searched for."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ficarchive.importing.inference.common_words import STOP, TITLES
from ficarchive.tags.resolving import fold

# The words of a name as `resolving.Name` splits them (letters and digits), so that both sides
# compare alike: "O'Brien" is "o brien".
_WORD = re.compile(r"[^\W_]+")
_BEFORE_SENTENCE = ".!?…:\n\r"
_OPENERS = " \t\"\u201c\u201d\u2018\u2019'(*_\u2014\u2013-["
MAX_PHRASE = 4  # words in a full name ("Mary Margaret Blanchard", "Ana de Armas")
MIN_LETTERS = 3  # a single name word shorter than this is never distinctive ("Jo", "Al")


@dataclass
class TextEvidence:
    capitalized: Counter[str] = field(default_factory=Counter)
    mid_sentence: Counter[str] = field(default_factory=Counter)
    lowercase: set[str] = field(default_factory=set)
    phrases: Counter[tuple[str, ...]] = field(default_factory=Counter)
    spelled: dict[str, str] = field(default_factory=dict)  # folded word -> as first written

    def ordinary(self, word: str) -> bool:
        """Whether WORD is no name on its own here: a stop word or title, too short, or a
        word the text also writes in lowercase."""
        return (
            word in STOP
            or word in TITLES
            or len(word) < MIN_LETTERS
            or word.isdigit()
            or word in self.lowercase
        )

    def distinctive(self, word: str) -> bool:
        """A name word the text uses as a name: never in lowercase, capitalized at least once
        in the middle of a sentence (so not only because a sentence starts with it)."""
        return not self.ordinary(word) and self.mid_sentence[word] > 0

    def written(self, word: str) -> str:
        return self.spelled.get(word, word.capitalize())


def read_text(text: str) -> TextEvidence:
    """The evidence of TEXT: one pass over its words."""
    found = TextEvidence()
    run: list[tuple[str, bool]] = []  # the current run of words with only spaces between
    previous_end = 0
    for match in _WORD.finditer(text):
        raw = match.group()
        word = fold(raw)
        gap = text[previous_end : match.start()]
        previous_end = match.end()
        capital = raw[0].isupper()
        if capital:
            found.capitalized[word] += 1
            found.spelled.setdefault(word, raw)
            before = text[max(match.start() - 12, 0) : match.start()].rstrip(_OPENERS)
            if before and before[-1] not in _BEFORE_SENTENCE:
                found.mid_sentence[word] += 1
        elif raw[0].isalpha():
            found.lowercase.add(word)
        if gap.strip(" \t") or len(gap) > 3:  # punctuation or a line between: a new run
            run = []
        run.append((word, capital))
        if not (capital or word in STOP):
            run = []
            continue
        if capital and len(run) >= 2:
            for size in range(2, min(MAX_PHRASE, len(run)) + 1):
                phrase = run[-size:]
                if phrase[0][1]:
                    found.phrases[tuple(w for w, _ in phrase)] += 1
        if len(run) > MAX_PHRASE:
            run.pop(0)
    return found
