"""`one_line` tidies white space as split-and-join does, piece by piece for long text."""

from __future__ import annotations

import random

from ficarchive.importing.parsed import one_line


def test_it_matches_split_and_join_on_long_text_with_every_kind_of_space():
    rng = random.Random(7)
    pieces = ["tide", " ", "  ", "\n", "\t", "\u3000", "\n\n ", "orchard"]
    text = "".join(rng.choice(pieces) for _ in range(200_000))
    assert len(text) > 65_536 * 3
    assert one_line(text) == " ".join(text.split())


def test_text_already_on_one_line_is_returned_as_it_is():
    text = "the tide came in " * 10_000
    assert one_line(text) == text.strip()
