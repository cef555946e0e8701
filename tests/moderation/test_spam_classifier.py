"""The spam classifier learns from the moderators' "spam" and "not spam" in the spam queue, in
every process: a process looks for new decisions at most once per refresh period."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from ficarchive.accounts.models import User
from ficarchive.moderation.actions.spam import mark_not_spam, mark_spam
from ficarchive.moderation.models import SpamCheck, SpamState
from ficarchive.moderation.spam import classifier

GNOME_SPAM = [
    "Garden gnome statues at wholesale prices, order your gnomes today",
    "Best garden gnomes online, free gnome with every order",
    "Wholesale gnome statues, cheap garden decor, order now",
]
GNOME_TEXT = "Cheap garden gnome statues, order today"


def decide(moderator: User, texts: list[str], *, spam: bool) -> None:
    """Hold each of TEXTS (as comments since deleted) and decide it in the queue."""
    for number, text in enumerate(texts):
        check = SpamCheck.objects.create(
            target_kind="comment", target_id=10_000 + number, text=text, score=0.7,
            state=SpamState.HELD,
        )  # fmt: skip
        if spam:
            mark_spam(moderator, check)
        else:
            mark_not_spam(moderator, check)


@pytest.fixture
def starting_set(settings: Any) -> Iterator[None]:
    settings.SPAM_CLASSIFIER_STARTING_SET = True
    classifier.forget()
    yield
    classifier.forget()


def test_with_nothing_learnt_it_answers_a_half(db: Any) -> None:
    assert classifier.spam_probability("Buy cheap pills at https://pills.example") == 0.5


@pytest.mark.usefixtures("starting_set")
def test_on_day_one_the_starting_set_tells_spam_from_fan_comments(db: Any) -> None:
    spam = [
        "Win big at our online casino, 300% deposit bonus and free spins https://spin-big.bet",
        "Buy cheap essays online, custom writing service, any deadline https://essays.example",
        "Check my profile for something special 😘",
    ]
    fan = [
        "I cried at the part where she finally reads the letter. Thank you for writing this!",
        "the banter in this chapter is so good, I laughed out loud on the train",
        "Ich liebe diese Geschichte, bitte schreib weiter!",
    ]
    assert all(classifier.spam_probability(text) > 0.8 for text in spam)
    assert all(classifier.spam_probability(text) < 0.2 for text in fan)


@pytest.mark.usefixtures("starting_set")
def test_after_moderators_mark_texts_spam_a_similar_text_scores_higher(ada: User) -> None:
    before = classifier.spam_probability(GNOME_TEXT)
    decide(ada, GNOME_SPAM, spam=True)
    classifier.forget()
    after = classifier.spam_probability(GNOME_TEXT)
    assert after > before
    assert after > 0.9


def test_it_learns_from_decisions_alone_without_a_starting_set(ada: User) -> None:
    decide(ada, GNOME_SPAM, spam=True)
    decide(ada, ["Loved the garden scene, the gnome joke made me laugh", "What a lovely ending"],
           spam=False)  # fmt: skip
    classifier.forget()
    assert classifier.spam_probability(GNOME_TEXT) > 0.8
    assert classifier.spam_probability("What a lovely chapter") < 0.3


@pytest.mark.usefixtures("starting_set")
def test_not_spam_decisions_lower_a_similar_text(ada: User) -> None:
    text = "Check out my new fic in the same fandom, it's on my profile"
    before = classifier.spam_probability(text)
    decide(
        ada,
        [
            "My new fic in this fandom is a sequel to this one, it's on my profile!",
            "I wrote a fic in the same fandom inspired by yours, it's on my profile",
            "Check out my fic on my profile, it's a gift for you",
        ],
        spam=False,
    )
    classifier.forget()
    assert classifier.spam_probability(text) < before


def test_within_the_refresh_period_it_answers_without_a_query(
    ada: User, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.SPAM_CLASSIFIER_REFRESH_SECONDS = 60
    classifier.spam_probability("warm up: the first call looks at the decisions")
    with django_assert_num_queries(0):
        classifier.spam_probability(GNOME_TEXT)
    decide(ada, GNOME_SPAM, spam=True)
    with django_assert_num_queries(0):
        assert classifier.spam_probability(GNOME_TEXT) == 0.5  # not looked at yet


def test_after_the_refresh_period_it_sees_new_decisions_by_itself(ada: User, settings: Any) -> None:
    settings.SPAM_CLASSIFIER_REFRESH_SECONDS = 0.2
    decide(ada, ["What a lovely ending"], spam=False)
    assert classifier.spam_probability(GNOME_TEXT) == 0.5
    decide(ada, GNOME_SPAM, spam=True)
    time.sleep(0.3)
    assert classifier.spam_probability(GNOME_TEXT) > 0.8


def test_a_changed_decision_is_seen(ada: User, settings: Any) -> None:
    """Deciding again moves the latest decision time, so the model is rebuilt."""
    settings.SPAM_CLASSIFIER_REFRESH_SECONDS = 0
    decide(ada, GNOME_SPAM, spam=True)
    decide(ada, ["What a lovely ending", "Thank you for writing"], spam=False)
    assert classifier.spam_probability("What a lovely ending") < 0.5
    check = SpamCheck.objects.get(text="What a lovely ending")
    SpamCheck.objects.filter(pk=check.pk).update(
        state=SpamState.SPAM, decided_at=timezone.now() + timedelta(seconds=1)
    )
    assert classifier.spam_probability("What a lovely ending") > 0.5


def test_the_starting_set_is_read_from_its_file() -> None:
    examples = classifier.read_set(classifier.STARTING_SET)
    labels = {label for _, label in examples}
    assert labels == {"spam", "ham"}
    assert len(examples) > 500


def bold_script(text: str) -> str:
    """TEXT in mathematical bold script letters, as spam writes to slip past word filters."""
    return "".join(
        chr(0x1D4D0 + ord(c) - ord("A")) if "A" <= c <= "Z"
        else chr(0x1D4EA + ord(c) - ord("a")) if "a" <= c <= "z"
        else c
        for c in text
    )  # fmt: skip


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.mark.parametrize(
    ("styled", "plain"),
    [
        (bold_script("Hot singles") + " near you", "Hot singles near you"),
        (full_width("cheap essays") + " here", "cheap essays here"),
    ],
)
def test_letters_styled_with_look_alikes_read_as_the_words_they_spell(
    styled: str, plain: str
) -> None:
    assert classifier.features(styled) == classifier.features(plain) | {"has:styled-letters"}


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("dfgdfg dfgdfg dfgdfg dfgdfg", "has:repeated-words"),
        ("aaaaaaaaaaaaaaaaaaaa", "has:long-run"),
        ("11111111111111", "has:long-run"),
        ("xK9vQ2mLp7 rT4wZ8nB1c", "has:random-token"),
    ],
)
def test_how_a_text_is_written_is_a_feature(text: str, mark: str) -> None:
    assert mark in classifier.features(text)


@pytest.mark.parametrize(
    "text",
    ["I loved chapter 12 so much", "the end the end, I cried", "Réveil à 3h du matin, café"],
)
def test_ordinary_comments_carry_none_of_those_marks(text: str) -> None:
    marks = {"has:styled-letters", "has:repeated-words", "has:long-run", "has:random-token"}
    assert not classifier.features(text) & marks


# A second process, with its own model and memo, scores texts read from its standard input.
SCORER = """
import sys
import django
django.setup()
from ficarchive.cli import ensure_database
from ficarchive.moderation.spam import classifier
ensure_database()
print("ready", flush=True)
for line in sys.stdin:
    print(classifier.spam_probability(line.strip()), flush=True)
"""
DECIDER = """
import django
django.setup()
from django.utils import timezone
from ficarchive.moderation.models import SpamCheck, SpamState
for number, (text, state) in enumerate(%r):
    SpamCheck.objects.create(target_kind="comment", target_id=number, text=text, score=0.9,
                             state=state, decided_at=timezone.now())
"""
REFRESH_SECONDS = 1.0


@pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="runs once, in the SQLite run of the suite"
)
def test_a_second_process_sees_new_decisions_within_the_refresh_period(tmp_path: Path) -> None:
    environment = {
        **os.environ,
        "FICARCHIVE_DATA": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "ficarchive.settings",
        "FICARCHIVE_SPAM_CLASSIFIER_STARTING_SET": "0",
        "FICARCHIVE_SPAM_CLASSIFIER_REFRESH_SECONDS": str(REFRESH_SECONDS),
    }
    environment.pop("DATABASE_URL", None)
    scorer = subprocess.Popen(
        [sys.executable, "-c", SCORER],
        env=environment,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert scorer.stdin is not None and scorer.stdout is not None
    try:
        assert scorer.stdout.readline().strip() == "ready"

        def score() -> float:
            scorer.stdin.write(GNOME_TEXT + "\n")  # type: ignore[union-attr]
            scorer.stdin.flush()  # type: ignore[union-attr]
            return float(scorer.stdout.readline())  # type: ignore[union-attr]

        assert score() == 0.5
        subprocess.run(
            [
                sys.executable,
                "-c",
                DECIDER % ([(t, "spam") for t in GNOME_SPAM] + [("What a lovely ending", "ham")],),
            ],
            env=environment,
            check=True,
            timeout=120,
        )
        decided = time.monotonic()
        while (probability := score()) == 0.5 and time.monotonic() - decided < 3:
            time.sleep(0.05)
        assert probability > 0.8
        assert time.monotonic() - decided <= REFRESH_SECONDS + 0.5
    finally:
        scorer.stdin.close()
        scorer.wait(timeout=30)


@pytest.mark.usefixtures("starting_set")
def test_on_day_one_a_new_readers_comment_is_shown_and_casino_spam_is_held(carol: User) -> None:
    """Through the whole check: carol joined today and has posted nothing."""
    from ficarchive.moderation.spam import checking

    comment = "I loved the lighthouse letters so much, thank you for writing this!"
    spam = "Best online casino of the year, huge welcome bonus and free spins for new players"
    assert checking.check(checking.COMMENT, 1, comment, author=carol).state == SpamState.PASSED
    assert checking.check(checking.COMMENT, 2, spam, author=carol).state == SpamState.HELD
