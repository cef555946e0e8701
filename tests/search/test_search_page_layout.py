"""The search page's reading order: the results straight after the title, the form and the tags
of the results after them (the sidebar), except on the empty page, where the form comes first;
the sort line above the results keeps the search it sorts; the include and exclude fields get
tag suggestions."""

from __future__ import annotations

import re

from django.test import Client

from ficarchive.accounts.models import User
from tests.conftest import post_work
from tests.tags.test_resolving import character, fandom

URL = "/works/search"


def _places(page: str, *marks: str) -> list[int]:
    places = [page.find(mark) for mark in marks]
    assert -1 not in places, [mark for mark, place in zip(marks, places, strict=True) if place < 0]
    return places


def test_results_come_straight_after_the_title_and_the_filters_after_them(
    client: Client, alice: User
) -> None:
    post_work(alice, "Storm Over the Harbour", freeforms=["Fluff"])
    page = client.get(URL, {"q": "storm"}).content.decode()
    title, results, count, blurb, sidebar, form, facets = _places(
        page,
        "<h1>Search works</h1>",
        '<section class="search-results"',
        "1 work found",
        "Storm Over the Harbour",
        '<aside class="search-sidebar" aria-label="Filters">',
        'role="search"',
        "Tags in these results",
    )
    assert title < results < count < blurb < sidebar < form < facets
    between = page[title:results]
    assert not re.search(r"<(form|aside|nav|input|select|details)\b", between), between
    # The filters are a panel behind a "Filters" button on narrow screens, closed until opened.
    assert '<details class="filters-panel">\n<summary>Filters</summary>' in page


def test_the_empty_search_page_shows_the_form_first_and_open(client: Client, alice: User) -> None:
    post_work(alice, "Quiet Tea")
    page = client.get(URL).content.decode()
    form, results = _places(page, 'role="search"', '<section class="search-results"')
    assert form < results
    assert '<details class="filters-panel" open>' in page


def test_a_search_that_cannot_run_shows_the_form_open_to_mend_it(client: Client) -> None:
    response = client.get(URL, {"words": "lots"})
    page = response.content.decode()
    assert response.status_code == 400
    assert '<details class="filters-panel" open>' in page
    assert 'name="words" value="lots"' in page


def test_the_sort_line_keeps_the_search_it_sorts(client: Client, alice: User) -> None:
    post_work(alice, "Storm Over the Harbour", freeforms=["Fluff"])
    page = client.get(URL, {"q": "storm", "include": "Fluff", "sort": "kudos", "page": "1"})
    html = page.content.decode()
    sort_form = html[
        html.index('class="sort-form"') : html.index("</form>", html.index("sort-form"))
    ]
    assert '<input type="hidden" name="q" value="storm">' in sort_form
    assert '<input type="hidden" name="include" value="Fluff">' in sort_form
    assert 'name="page"' not in sort_form
    assert '<option value="kudos" selected>Kudos</option>' in sort_form


def test_include_and_exclude_ask_for_tag_suggestions(client: Client) -> None:
    page = client.get(URL, {"q": "x"}).content.decode()
    for field in ("include", "exclude"):
        field_html = page[
            page.index(f'id="search-{field}"') : page.index(
                "</div>", page.index(f'id="search-{field}"')
            )
        ]
        assert 'hx-get="/works/search/tags"' in field_html
        assert f'data-tags-for="search-{field}"' in field_html


def test_suggestions_hold_the_words_typed_after_the_last_comma(client: Client) -> None:
    sherlock = fandom("Sherlock (TV)")
    character("Sherlock Holmes", sherlock)
    character("Sherlock Smith", fandom("Elsewhere"))
    response = client.get(
        "/works/search/tags", {"field": "include", "include": "Sherlock (TV), holm"}
    )
    assert response.status_code == 200
    assert re.findall(r'data-tag-pick="([^"]*)"', response.content.decode()) == ["Sherlock Holmes"]


def test_exclude_suggestions_keep_to_the_included_fandoms(client: Client) -> None:
    sherlock = fandom("Sherlock (TV)")
    character("Sherlock Holmes", sherlock)
    character("Sherlock Smith", fandom("Elsewhere"))
    wide = client.get("/works/search/tags", {"field": "exclude", "exclude": "sherl"})
    picks = re.findall(r'data-tag-pick="([^"]*)"', wide.content.decode())
    assert picks == ["Sherlock (TV)", "Sherlock Holmes", "Sherlock Smith"]
    within = client.get(
        "/works/search/tags",
        {"field": "exclude", "exclude": "sherl", "include": "Sherlock (TV)"},
    )
    picks = re.findall(r'data-tag-pick="([^"]*)"', within.content.decode())
    assert picks == ["Sherlock (TV)", "Sherlock Holmes"]


def test_suggestions_refuse_an_unknown_field_or_an_overlong_name(client: Client) -> None:
    wrong = client.get("/works/search/tags", {"field": "q", "q": "sher"})
    assert wrong.status_code == 400
    assert "Say which field is typed in: include or exclude." in wrong.content.decode()
    long = client.get("/works/search/tags", {"field": "include", "include": "x" * 200})
    assert long.status_code == 400
    assert "A tag name has at most" in long.content.decode()
    assert client.post("/works/search/tags", {"field": "include"}).status_code == 405
