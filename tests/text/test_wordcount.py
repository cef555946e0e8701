"""Word counts as readers of fan fiction archives expect them."""

from __future__ import annotations

import pytest

from ficarchive.text import count_words


@pytest.mark.parametrize(
    ("markup", "words"),
    [
        ("<p>The lamp turned all night.</p>", 5),
        ("<p>Don't stop; it's the keeper's lamp.</p>", 6),
        ("<p>Don’t stop — it’s fine.</p>", 4),  # noqa: RUF001
        ("<p>A well-known, half-finished story.</p>", 4),
        ("<p>Numbers like 42 count.</p>", 4),
        ("<p>'Quoted' words and -dashes- too.</p>", 5),
        ("", 0),
        ("<p> </p>", 0),
    ],
)
def test_english_words_are_counted_with_apostrophes_and_hyphens(markup, words):
    assert count_words(markup) == words


@pytest.mark.parametrize(
    ("markup", "words"),
    [
        ("<p>我爱你</p>", 3),
        ("<p>灯塔整夜转动。</p>", 6),
        ("<p>ひらがなカタカナ</p>", 8),
    ],
)
def test_each_cjk_character_is_one_word(markup, words):
    assert count_words(markup) == words


def test_mixed_english_and_chinese_are_counted_together():
    assert count_words("<p>Hello 世界 and goodbye.</p>") == 5
    assert count_words("<p>Hello世界goodbye</p>") == 4


def test_markup_is_not_counted():
    markup = (
        '<p align="center"><em>One</em> <a href="https://example.org/long/address">two</a></p>'
        '<img src="https://example.org/a-picture.png" alt="">'
    )
    assert count_words(markup) == 2


def test_block_boundaries_separate_words():
    assert count_words("<p>end</p><p>start</p>") == 2
    assert count_words("one<br>two") == 2


def test_inline_markup_inside_a_word_does_not_split_it():
    assert count_words("<p>un<em>believ</em>able</p>") == 1


def test_entities_count_as_the_text_they_stand_for():
    assert count_words("<p>Tom &amp; Jerry&#8217;s</p>") == 2


@pytest.mark.parametrize(
    ("markup", "words"),
    [
        ("<p>snake_case_name and __dunder__</p>", 5),  # underscores separate words
        ("<p>_italic_ and -'-x</p>", 3),
        ("<p>" + "a" * 100_000 + "</p>", 1),  # one long word is one word
    ],
)
def test_underscores_separate_words_and_a_long_word_is_one(markup, words):
    assert count_words(markup) == words
