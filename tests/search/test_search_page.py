"""The search page /works/search: filters from the URL, facets with links, clear 400s."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ficarchive.accounts.actions import mute_user
from ficarchive.accounts.models import User
from ficarchive.tags.models import EXPLICIT, NO_WARNINGS
from ficarchive.works.models import Work
from tests.conftest import post_work

URL = "/works/search"


def test_search_page_shows_matching_works_and_the_sidebar(client: Client, alice: User) -> None:
    post_work(alice, "Storm Over the Harbour", freeforms=["Fluff"])
    post_work(alice, "Quiet Tea")
    page = client.get(URL, {"q": "storm"}).content.decode()
    assert "Storm Over the Harbour" in page
    assert "Quiet Tea" not in page
    assert "1 work found" in page
    assert 'name="q" value="storm"' in page
    assert '<label for="search-include">Include tags</label>' in page


def test_facets_count_the_results_and_link_to_narrow_them(client: Client, alice: User) -> None:
    post_work(alice, "One", freeforms=["Fluff"])
    post_work(alice, "Two", freeforms=["Fluff", "Angst"])
    page = client.get(URL).content.decode()
    assert "Fluff</a> (2)" in page
    assert 'href="?include=Angst"' in page


def test_checked_ratings_filter_and_stay_checked(client: Client, alice: User) -> None:
    post_work(alice, "Adult", rating=EXPLICIT)
    post_work(alice, "All Ages")
    page = client.get(URL, {"include": EXPLICIT}).content.decode()
    assert "Adult" in page
    assert "All Ages" not in page
    assert f'value="{EXPLICIT}" id="search-include-1-5" checked' in page


def test_the_sidebar_escapes_what_the_address_and_the_tags_hold(
    client: Client, alice: User
) -> None:
    hostile = '"><script>alert(1)</script>'
    post_work(alice, "Tagged", freeforms=[f"Fluff {hostile}"])
    page = client.get(URL, {"q": hostile, "exclude": hostile, "words": hostile}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert 'name="q" value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page
    assert 'name="exclude" value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page
    listed = client.get(URL).content.decode()
    assert "Fluff &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</a> (1)" in listed
    chosen = client.get(URL, {"include": f"Fluff {hostile}"}).content.decode()
    assert "<li>Fluff &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; (1)</li>" in chosen, (
        "the tag searched for is named, not linked"
    )


@pytest.mark.parametrize(
    ("params", "named"),
    [({"words": "lots"}, "words"), ({"sort": "length"}, "sort"), ({"per_page": "500"}, "per_page"),
     ({"published": "2024-99-01.."}, "published"), ({"q": "kudos:>many"}, "q (kudos:)")],
)  # fmt: skip
def test_malformed_parameters_answer_400_naming_the_parameter(
    client: Client, params: dict[str, str], named: str
) -> None:
    response = client.get(URL, params)
    assert response.status_code == 400
    assert f"the <strong>{named}</strong> parameter is wrong" in response.content.decode()


def test_guests_do_not_see_restricted_works_or_their_tag_counts(
    client: Client, alice: User
) -> None:
    post_work(alice, "Members Only", restricted=True, freeforms=["Secret Tag"])
    page = client.get(URL).content.decode()
    assert "Members Only" not in page
    assert "Secret Tag" not in page
    assert "0 works found" in page


def test_muted_creators_works_are_not_listed_or_counted(
    carol_client: Client, carol: User, alice: User, bob: User
) -> None:
    post_work(alice, "From Alice", freeforms=["Fluff"])
    post_work(bob, "From Bob", freeforms=["Fluff"])
    mute_user(carol, bob)
    page = carol_client.get(URL).content.decode()
    assert "From Alice" in page
    assert "From Bob" not in page
    assert "Fluff</a> (1)" in page


def test_pages_link_forward_and_back_keeping_the_filters(client: Client, alice: User) -> None:
    for n in range(3):
        post_work(alice, f"Part {n}")
    page = client.get(URL, {"per_page": "2", "sort": "title"}).content.decode()
    assert "Part 0" in page
    assert "Part 2" not in page
    assert 'href="?per_page=2&amp;sort=title&amp;page=2"' in page


def test_unknown_tags_are_named(client: Client, alice: User) -> None:
    post_work(alice)
    page = client.get(URL, {"include": "Nonexistent"}).content.decode()
    assert "No tag is named “Nonexistent”" in page


def test_search_page_query_count_is_fixed(
    client: Client, alice: User, django_assert_max_num_queries: Any
) -> None:
    for n in range(6):
        post_work(alice, f"Work {n}", freeforms=[f"Tag {n}"], characters=["Someone"])
    client.get(URL)  # builds the index
    with django_assert_max_num_queries(10):
        response = client.get(URL, {"include": "Someone", "sort": "kudos"})
    assert response.content.decode().count('<li class="blurb"') == 6


# --- the command -------------------------------------------------------------------------


def test_command_prints_the_same_results_as_json(client: Client, alice: User) -> None:
    first = post_work(alice, "Fluffy", freeforms=["Fluff"])
    post_work(alice, "Other")
    out = StringIO()
    call_command("search", "include=Fluff&sort=kudos", "--json", stdout=out)
    answer = json.loads(out.getvalue())
    assert answer["total"] == 1
    assert answer["works"] == [first.pk]
    assert answer["facets"]["freeform"] == [["Fluff", 1]]
    assert answer["took_ms"] >= 0


def test_command_batch_answers_one_line_per_query(alice: User, tmp_path: Path) -> None:
    post_work(alice, "Storm")
    queries = tmp_path / "queries.txt"
    queries.write_text("q=storm\nwords=bad\nsort=title\n")
    out = StringIO()
    call_command("search", "--batch", str(queries), stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line.get("total") for line in lines] == [1, None, 1]
    assert lines[1] == {"line": 2, "error": "words: 'bad' is not a whole number."}


def test_command_refuses_a_malformed_query(alice: User) -> None:
    with pytest.raises(CommandError, match="sort: 'size' is not one of"):
        call_command("search", "sort=size", "--json", stdout=StringIO())


def test_command_without_json_lists_titles(alice: User) -> None:
    post_work(alice, "Listed Title")
    out = StringIO()
    call_command("search", "", stdout=out)
    assert "1 works" in out.getvalue()
    assert "Listed Title" in out.getvalue()
    assert Work.objects.count() == 1


# --- blurbs are kept in the cache, and drawn again when anything they show changes ---------


def _blurb_of(page: str, work: Work) -> str:
    start = page.index(f'id="work_{work.pk}"')
    following = page.find('<li class="blurb"', start)
    return page[start : following if following > 0 else page.index("</ol>", start)]


def test_a_kept_blurb_is_drawn_again_after_an_edit_kudos_and_a_series_rename(
    client: Client, alice: User, carol: User
) -> None:
    from ficarchive.social.actions.kudos import give_kudos
    from ficarchive.works import actions

    work = post_work(alice, "First Title", freeforms=["Fluff"])
    assert "First Title" in _blurb_of(client.get(URL).content.decode(), work)
    details = actions.WorkDetails(
        title="Second Title",
        rating=EXPLICIT,
        warnings=[NO_WARNINGS],
        fandoms=["Original Work"],
        freeforms=["Fluff"],
    )
    actions.update_work(alice, work, details)
    blurb = _blurb_of(client.get(URL).content.decode(), work)
    assert "Second Title" in blurb
    assert "First Title" not in blurb
    assert "Kudos:" not in blurb
    give_kudos(carol, work)
    assert "<dt>Kudos:</dt><dd>1</dd>" in _blurb_of(client.get(URL).content.decode(), work)
    series = actions.create_series(alice, "Lighthouse Stories")
    actions.add_work_to_series(alice, work, series)
    assert "Lighthouse Stories" in _blurb_of(client.get(URL).content.decode(), work)
    actions.update_series(alice, series, "Harbour Stories", "", "", False)
    blurb = _blurb_of(client.get(URL).content.decode(), work)
    assert "Harbour Stories" in blurb
    assert "Lighthouse Stories" not in blurb


def test_kept_blurbs_follow_each_readers_preferences_and_buttons(
    client: Client, alice: User, carol: User
) -> None:
    from tests.conftest import logged_in

    work = post_work(alice, "Warned", freeforms=["Fluff"], warnings=["Major Character Death"])
    guest = _blurb_of(client.get(URL).content.decode(), work)
    assert "<strong>Major Character Death</strong>" in guest
    assert "Hide this work" not in guest
    carol.hide_warnings = True
    carol.save()
    reader = _blurb_of(logged_in(carol).get(URL).content.decode(), work)
    assert "<summary>Show warnings</summary>" in reader
    assert "Hide this work" in reader
    assert "Hide works by alice" in reader
    own = _blurb_of(logged_in(alice).get(URL).content.decode(), work)
    assert "<strong>Major Character Death</strong>" in own
    assert "Hide this work" not in own  # not under one's own works
    assert _blurb_of(client.get(URL).content.decode(), work) == guest
