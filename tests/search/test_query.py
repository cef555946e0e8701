"""The query object: every URL parameter, and a clear BadQuery for each malformed form."""

from __future__ import annotations

from datetime import date

import pytest
from django.http import QueryDict

from ficarchive.search.query import BadQuery, DateRange, Range, SearchQuery, Term


def parse(text: str) -> SearchQuery:
    return SearchQuery.from_params(QueryDict(text))


def refusal(text: str) -> BadQuery:
    with pytest.raises(BadQuery) as caught:
        parse(text)
    return caught.value


def test_empty_query_lists_everything_newest_update_first() -> None:
    query = parse("")
    assert (query.text, query.include, query.exclude) == ((), (), ())
    assert (query.sort, query.order, query.page, query.per_page) == ("updated", "desc", 1, 20)


def test_q_words_are_all_required_and_lower_cased() -> None:
    assert parse("q=Storm+Harbour").text == ((Term(("storm",)),), (Term(("harbour",)),))


def test_q_exact_phrase_keeps_word_order() -> None:
    assert parse('q="the+Storm"').text == ((Term(("the", "storm")),),)


def test_q_minus_word_excludes() -> None:
    assert parse("q=-storm").text == ((Term(("storm",), negated=True),),)
    assert parse('q=-"big+storm"').text == ((Term(("big", "storm"), negated=True),),)


def test_q_or_joins_neighbouring_terms() -> None:
    query = parse("q=storm+OR+rain+sea")
    assert query.text == ((Term(("storm",)), Term(("rain",))), (Term(("sea",)),))


def test_q_field_expressions_become_filters() -> None:
    query = parse("q=kudos:>100+words:<5000+complete:true+hits:10-20+storm")
    assert query.ranges == {
        "kudos": Range(101, None),
        "words": Range(None, 4999),
        "hits": Range(10, 20),
    }
    assert query.complete is True
    assert query.text == ((Term(("storm",)),),)


def test_q_field_expression_meets_the_range_parameter() -> None:
    assert parse("q=kudos:>=100&kudos=-500").ranges["kudos"] == Range(100, 500)


def test_q_malformed_field_expression_is_named() -> None:
    assert refusal("q=kudos:>lots").param == "q (kudos:)"
    assert "complete:" in refusal("q=complete:maybe").param


def test_include_and_exclude_take_commas_and_repeats() -> None:
    query = parse("include=Sherlock,John+Watson&include=Fluff&exclude=Angst,,")
    assert query.include == ("Sherlock", "John Watson", "Fluff")
    assert query.exclude == ("Angst",)


def test_include_drops_repeated_names_whatever_their_case() -> None:
    assert parse("include=Fluff,fluff").include == ("Fluff",)


@pytest.mark.parametrize(("text", "expected"), [("true", True), ("false", False), ("1", True)])
def test_complete_reads_true_and_false(text: str, expected: bool) -> None:
    assert parse(f"complete={text}").complete is expected


def test_complete_malformed_is_refused() -> None:
    error = refusal("complete=perhaps")
    assert error.param == "complete"
    assert "neither true nor false" in error.reason


def test_complete_contradicting_q_is_refused() -> None:
    assert refusal("complete=false&q=complete:true").param == "complete"


def test_lang_takes_archive_language_codes() -> None:
    assert parse("lang=pt-br").lang == "pt-BR"
    assert refusal("lang=klingon").param == "lang"


@pytest.mark.parametrize("name", ["words", "kudos", "hits", "bookmarks", "comments", "chapters"])
def test_ranges_take_both_open_ends(name: str) -> None:
    assert parse(f"{name}=100-500").ranges[name] == Range(100, 500)
    assert parse(f"{name}=100-").ranges[name] == Range(100, None)
    assert parse(f"{name}=-500").ranges[name] == Range(None, 500)
    assert parse(f"{name}=7").ranges[name] == Range(7, 7)


@pytest.mark.parametrize("value", ["abc", "-", "10-x", "5-3", "1.5-2", "99999999999999999999"])
def test_malformed_ranges_are_refused_naming_the_parameter(value: str) -> None:
    error = refusal(f"words={value}")
    assert error.param == "words"
    assert str(error).startswith("words: ")


def test_dates_take_both_open_ends() -> None:
    span = parse("published=2024-01-01..2024-12-31").dates["published"]
    assert span == DateRange(date(2024, 1, 1), date(2024, 12, 31))
    assert parse("updated=2024-01-01..").dates["updated"] == DateRange(date(2024, 1, 1), None)
    assert parse("updated=..2024-02-01").dates["updated"] == DateRange(None, date(2024, 2, 1))
    assert parse("updated=2024-02-01").dates["updated"].contains(date(2024, 2, 1))


@pytest.mark.parametrize("value", ["2024-13-01..", "..", "yesterday", "2024-02-01..2024-01-01"])
def test_malformed_dates_are_refused(value: str) -> None:
    assert refusal(f"published={value}").param == "published"


def test_sort_and_order() -> None:
    assert (parse("sort=kudos").sort, parse("sort=kudos").order) == ("kudos", "desc")
    assert parse("sort=title").order == "asc"
    assert parse("sort=title&order=desc").order == "desc"
    assert parse("q=storm").sort == "relevance"


def test_unknown_sort_and_order_are_refused() -> None:
    assert refusal("sort=length").param == "sort"
    assert refusal("order=sideways").param == "order"


def test_page_and_per_page() -> None:
    query = parse("page=3&per_page=50")
    assert (query.page, query.per_page, query.offset) == (3, 50, 100)


BAD_PAGES = [("page=0", "page"), ("page=x", "page"), ("per_page=101", "per_page")]


@pytest.mark.parametrize(("text", "param"), [*BAD_PAGES, ("per_page=0", "per_page")])
def test_bad_page_numbers_are_refused(text: str, param: str) -> None:
    assert refusal(text).param == param


def test_a_single_valued_parameter_given_twice_is_refused() -> None:
    assert refusal("sort=kudos&sort=hits").param == "sort"
