"""The spam classifier: a multinomial naive Bayes that learns from moderators' decisions.

`spam_probability(text)` answers in [0, 1]. The model learns from

- the **starting set** shipped beside this module (`starting_set.tsv`: a few hundred fan comments,
  profile texts and work summaries, and spam of every common kind, written for this project), so
  that an archive with no decisions yet already tells spam from a fan comment
  (`SPAM_CLASSIFIER_STARTING_SET` turns it off);
- every `SpamCheck` a moderator decided, "spam" or "not spam" (the latest
  `SPAM_CLASSIFIER_DECISIONS`), each counting `SPAM_CLASSIFIER_DECISION_WEIGHT` times, so that
  the archive's own decisions soon outweigh the starting set.

Every process keeps its own model and rebuilds it when the decided checks change: at most once
every `SPAM_CLASSIFIER_REFRESH_SECONDS` it reads their count and latest decision time (one
indexed query), and retrains when either moved (a few thousand texts take a few tens of
milliseconds). `forget()` makes the next call read at once (after a decision in this process).

Features are the words of the text, pairs of neighbouring words, the characters of scripts
written without spaces (Chinese, Japanese) in pairs, and for each link its host and its
top-level domain (`host:casino-bonus.win`, `tld:win`), the words of its host and of its path
(`hostword:casino`, `path:free`), and marks of how the text is written (a short text, emoji,
look-alike letters, one word over and over, a run of one character, random tokens); the text
is NFKC-folded first, so that mathematical or full-width letters read as the plain ones;
each counts once per text (binary counts suit short texts). Features neither kind has shown are
left out of the sum. bench/bench_spam.py measures it against the rules and scikit-learn.
"""

from __future__ import annotations

import math
import re
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

STARTING_SET = Path(__file__).with_name("starting_set.tsv")
SPAM, HAM = "spam", "ham"
_ALPHA = 0.5  # additive smoothing of every feature's count (chosen by cross-validation)

_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'\]\[]+"
    r"|\b[a-z0-9][a-z0-9-]{1,62}(?:\.[a-z0-9-]{1,62})*\.[a-z]{2,12}(?:/[^\s<>\"'\]\[]*)?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_NO_SPACES = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")  # kana and CJK ideographs
_DIGITS = re.compile(r"\d")
_EMOJI = re.compile(r"[\U0001f300-\U0001faff\u2600-\u27bf]")
_RUN = re.compile(r"([^\W\d_])\1{7,}|(\d)\2{7,}")  # "aaaaaaaa", "11111111"
# A token of 8 or more letters and digits with lower case, upper case and digits in it.
_MIXED = re.compile(r"(?=[^\W_]*\d)(?=[^\W_]*[a-z])(?=[^\W_]*[A-Z])[^\W_]{8,}")


def _link_features(url: str) -> list[str]:
    try:
        parts = urlsplit(url if "//" in url else f"//{url}")
        host = parts.hostname or ""
    except ValueError:  # not an address after all ("http://[oops")
        return ["has:link"]
    host = host.removeprefix("www.")
    if not host or "." not in host:
        return []
    name, tld = host.rsplit(".", 1)
    found = ["has:link", f"host:{host}", f"tld:{tld}"]
    found += [f"hostword:{word}" for word in re.split(r"[.-]", name) if word]
    found += [f"path:{_word(word)}" for word in _WORD.findall(f"{parts.path} {parts.query}")]
    return found


def _word(word: str) -> str:
    """Digits stand for any digit: prices, phone numbers and codes look alike."""
    return _DIGITS.sub("0", word) if any(c.isdigit() for c in word) else word


def _marks(original: str, words: list[str]) -> set[str]:
    """Marks of how a text is written rather than what it says: letters styled with look-alike
    characters (mathematical or full-width letters, which NFKC folds), the same word over and
    over, a run of one character, tokens that mix letters and digits at random."""
    found: set[str] = set()
    if _EMOJI.search(original):
        found.add("has:emoji")
    if len(words) <= 3:
        found.add("is:short")
    if not unicodedata.is_normalized("NFKC", original) and any(  # the scan only when needed
        c.isalpha() and c != unicodedata.normalize("NFKC", c) for c in original
    ):
        found.add("has:styled-letters")
    if words and len(words) >= 3 and len(set(words)) * 2 <= len(words):
        found.add("has:repeated-words")
    if _RUN.search(original):
        found.add("has:long-run")
    if any(_MIXED.fullmatch(word) for word in _WORD.findall(original)):
        found.add("has:random-token")
    return found


def features(text: str) -> set[str]:
    """What the classifier counts in TEXT (each feature once)."""
    original = text
    text = unicodedata.normalize("NFKC", text).casefold()
    found: set[str] = set()
    for url in _URL.findall(text):
        found.update(_link_features(url))
    words = [_word(word) for word in _WORD.findall(_URL.sub(" ", text))]
    found.update(words)
    found.update(f"{a} {b}" for a, b in pairwise(words))
    squeezed = "".join(_NO_SPACES.findall(text))
    found.update(squeezed[i : i + 2] for i in range(len(squeezed) - 1))
    found.update(_marks(original, words))
    return found


@dataclass
class Model:
    """Feature counts per class, and the number of texts (weighted) of each class."""

    counts: dict[str, Counter[str]] = field(
        default_factory=lambda: {SPAM: Counter(), HAM: Counter()}
    )
    texts: Counter[str] = field(default_factory=Counter)
    totals: Counter[str] = field(default_factory=Counter)  # all features counted, per class
    _vocabulary: int | None = None  # distinct features, counted on first use after learning

    def learn(self, text: str, label: str, weight: int = 1) -> None:
        counts = self.counts[label]
        found = features(text)
        for feature in found:
            counts[feature] += weight
        self.texts[label] += weight
        self.totals[label] += weight * len(found)
        self._vocabulary = None

    def copy(self) -> Model:
        counts = {label: Counter(c) for label, c in self.counts.items()}
        return Model(counts, Counter(self.texts), Counter(self.totals))

    @property
    def vocabulary(self) -> int:
        if self._vocabulary is None:
            self._vocabulary = len(self.counts[SPAM].keys() | self.counts[HAM].keys())
        return self._vocabulary

    @property
    def is_empty(self) -> bool:
        return not (self.texts[SPAM] and self.texts[HAM])

    def log_odds(self, text: str) -> float:
        """The log-odds that TEXT is spam (0 when the model has not seen both kinds)."""
        if self.is_empty:
            return 0.0
        spam, ham = self.counts[SPAM], self.counts[HAM]
        smoothing = _ALPHA * self.vocabulary
        spam_all = math.log(self.totals[SPAM] + smoothing)
        ham_all = math.log(self.totals[HAM] + smoothing)
        total = math.log(self.texts[SPAM] / self.texts[HAM])
        for feature in features(text):
            in_spam, in_ham = spam.get(feature, 0), ham.get(feature, 0)
            if in_spam or in_ham:  # a feature neither kind has shown says nothing
                total += math.log(in_spam + _ALPHA) - spam_all
                total -= math.log(in_ham + _ALPHA) - ham_all
        return total

    def probability(self, text: str) -> float:
        odds = self.log_odds(text)
        if odds >= 0:
            return 1 / (1 + math.exp(-odds))
        return math.exp(odds) / (1 + math.exp(odds))


def train(
    examples: Iterable[tuple[str, str]], *, start: Model | None = None, weight: int = 1
) -> Model:
    """A model of START (copied) with EXAMPLES, (text, "spam" or "ham"), each counting WEIGHT."""
    model = start.copy() if start is not None else Model()
    for text, label in examples:
        model.learn(text, label, weight)
    return model


def read_set(path: Path) -> list[tuple[str, str]]:
    """A labelled set: "spam" or "ham", a tab, the text, one a line; "#" starts a comment line."""
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, _, text = line.partition("\t")
        if label not in (SPAM, HAM):
            raise ValueError(f"{path.name}: {label!r} is neither spam nor ham")
        examples.append((text, label))
    return examples


_starting: Model | None = None


def starting_model() -> Model:
    """The model of the starting set (empty when it is turned off), built once per process."""
    global _starting
    if not settings.SPAM_CLASSIFIER_STARTING_SET:
        return Model()
    if _starting is None:
        _starting = train(read_set(STARTING_SET))
    return _starting


Fingerprint = tuple[int, datetime | None]


def decisions_fingerprint() -> Fingerprint:
    """How many checks are decided and the latest decision time: changes with every decision."""
    from django.db.models import Count, Max

    from ficarchive.moderation.models import SpamCheck

    found = SpamCheck.objects.decided().aggregate(count=Count("id"), latest=Max("decided_at"))
    return found["count"], found["latest"]


def decisions() -> list[tuple[str, str]]:
    """The latest SPAM_CLASSIFIER_DECISIONS decided checks, (text, "spam" or "ham")."""
    from ficarchive.moderation.models import SpamCheck, SpamState

    rows = (
        SpamCheck.objects.decided()
        .order_by("-decided_at", "-id")
        .values_list("text", "state")[: settings.SPAM_CLASSIFIER_DECISIONS]
    )
    return [(text, SPAM if state == SpamState.SPAM else HAM) for text, state in rows]


def learn() -> Model:
    """A model of the starting set and the moderators' decisions as the database holds them."""
    return train(
        decisions(), start=starting_model(), weight=settings.SPAM_CLASSIFIER_DECISION_WEIGHT
    )


@dataclass(frozen=True)
class _Kept:
    read_at: float  # time.monotonic() of the last fingerprint read
    fingerprint: Fingerprint
    model: Model


_kept: _Kept | None = None
_lock = threading.Lock()


def current_model() -> Model:
    """This process's model: the decisions are looked at (one query) at most once every
    SPAM_CLASSIFIER_REFRESH_SECONDS, and the model rebuilt when they changed."""
    global _kept
    kept = _kept
    now = time.monotonic()
    if kept is not None and 0 <= now - kept.read_at < settings.SPAM_CLASSIFIER_REFRESH_SECONDS:
        return kept.model
    with _lock:
        kept = _kept
        if kept is not None and 0 <= now - kept.read_at < settings.SPAM_CLASSIFIER_REFRESH_SECONDS:
            return kept.model
        fingerprint = decisions_fingerprint()
        model = kept.model if kept is not None and kept.fingerprint == fingerprint else learn()
        _kept = _Kept(time.monotonic(), fingerprint, model)
        return model


def forget() -> None:
    """Look at the decisions on the next call (after a decision in this process)."""
    global _kept
    _kept = None


def spam_probability(text: str) -> float:
    """How likely TEXT (plain text, links written out) is spam, in [0, 1]; 0.5 when the model
    knows neither kind yet (no starting set and no decisions of both kinds)."""
    return current_model().probability(text)
