"""Short forms in the include and exclude fields are read as the posting form reads them, and the
page says what each was searched as: one tag, a choice among several, or nothing."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.tags.models import Tag
from tests.conftest import post_work
from tests.tags.test_resolving import character, fandom, relationship

URL = "/works/search"


@pytest.fixture
def shelf(alice: User) -> dict[str, Any]:
    """Two fandoms with a John each; a work of each ship and one of Sherlock alone."""
    sherlock_tv = fandom("Sherlock (TV)")
    who = fandom("Doctor Who")
    sherlock = character("Sherlock Holmes", sherlock_tv)
    watson = character("John Watson", sherlock_tv)
    smith = character("John Smith", who)
    rose = character("Rose Tyler", who)
    johnlock = relationship(sherlock, watson)
    tenrose = relationship(smith, rose)
    post_work(
        alice,
        "Baker Street",
        fandoms=["Sherlock (TV)"],
        relationships=[johnlock.name],
        characters=["Sherlock Holmes", "John Watson"],
    )
    post_work(alice, "Alone", fandoms=["Sherlock (TV)"], characters=["Sherlock Holmes"])
    post_work(
        alice,
        "Bad Wolf",
        fandoms=["Doctor Who"],
        relationships=[tenrose.name],
        characters=["John Smith", "Rose Tyler"],
    )
    return {"johnlock": johnlock, "tenrose": tenrose, "watson": watson, "smith": smith}


def titles(page: str) -> list[str]:
    """The shelf's works listed on PAGE."""
    return [title for title in ("Baker Street", "Alone", "Bad Wolf") if f">{title}</a>" in page]


def notes(page: str) -> list[str]:
    found = re.search(r'<ul class="search-notes">(.*?)</ul>', page, re.S)
    if not found:
        return []
    items = re.findall(r"<li>(.*?)</li>", found[1], re.S)
    return [html.unescape(" ".join(re.sub(r"<[^>]+>", "", item).split())) for item in items]


def test_a_pairing_in_short_form_is_searched_as_its_canonical_relationship(
    client: Client, shelf: dict[str, Any]
) -> None:
    page = client.get(URL, {"include": "Sherlock (TV), John/Sherlock"}).content.decode()
    assert titles(page) == ["Baker Street"]
    assert notes(page) == ["“John/Sherlock” is searched as John Watson/Sherlock Holmes."]
    assert f'href="{shelf["johnlock"].get_absolute_url()}"' in page
    # The form keeps what the reader typed.
    assert 'value="Sherlock (TV), John/Sherlock"' in page


def test_a_short_form_is_read_again_when_the_index_knows_every_other_name(
    client: Client, shelf: dict[str, Any]
) -> None:
    """The second search knows "Sherlock (TV)" and the resolved pairing without the database
    (search.index_keeper.known_tag_names); the short form itself is still looked up."""
    for _ in range(2):
        page = client.get(URL, {"include": "Sherlock (TV), John/Sherlock"}).content.decode()
        assert titles(page) == ["Baker Street"]
        assert notes(page) == ["“John/Sherlock” is searched as John Watson/Sherlock Holmes."]
    page = client.get(URL, {"include": "Sherlock (TV), John Watson/Sherlock Holmes"}).content
    assert titles(page.decode()) == ["Baker Street"]
    assert notes(page.decode()) == []


def test_a_short_form_resolves_archive_wide_when_only_one_tag_fits(
    client: Client, shelf: dict[str, Any]
) -> None:
    page = client.get(URL, {"include": "Sherlock/John"}).content.decode()
    assert titles(page) == ["Baker Street"]
    assert notes(page) == ["“Sherlock/John” is searched as John Watson/Sherlock Holmes."]


def test_a_character_short_form_and_an_exclude_resolve_too(
    client: Client, shelf: dict[str, Any]
) -> None:
    page = client.get(URL, {"include": "Sherlock (TV)", "exclude": "Watson"}).content.decode()
    assert titles(page) == ["Alone"]
    assert notes(page) == ["“Watson” is left out as John Watson."]


def test_a_name_several_tags_fit_offers_each_and_matches_nothing_until_chosen(
    client: Client, shelf: dict[str, Any]
) -> None:
    page = client.get(URL, {"include": "John", "q": "a"}).content.decode()
    assert "0 works found" in page
    assert notes(page) == [
        "“John” could be any of these tags; choose one to search it: John Smith, John Watson."
        " Until then it matches no work."
    ]
    links = re.findall(r'<a href="(\?[^"]*)">(John [A-Za-z]+)</a>', page)
    assert [name for _, name in links] == ["John Smith", "John Watson"]
    chosen = client.get(URL + html.unescape(links[1][0])).content.decode()
    assert "q=a" in html.unescape(links[1][0])
    assert notes(chosen) == []
    assert "John Watson" in chosen


def test_within_an_included_fandom_the_same_name_is_one_tag(
    client: Client, shelf: dict[str, Any]
) -> None:
    page = client.get(URL, {"include": "Doctor Who, John"}).content.decode()
    assert notes(page) == ["“John” is searched as John Smith."]
    assert titles(page) == ["Bad Wolf"]


def test_a_name_nothing_fits_is_named_for_include_and_exclude(
    client: Client, shelf: dict[str, Any]
) -> None:
    page = client.get(URL, {"include": "Nobody Here"}).content.decode()
    assert "0 works found" in page
    assert notes(page) == [
        "No tag is named “Nobody Here”, nor is it a short form of one: it matches no work."
    ]
    left = client.get(URL, {"exclude": "Nobody Here"}).content.decode()
    assert "3 works found" in left
    assert notes(left) == [
        "No tag is named “Nobody Here”, nor is it a short form of one: nothing is left out for it."
    ]


def test_a_tag_name_is_searched_as_it_is_without_a_note(
    client: Client, shelf: dict[str, Any]
) -> None:
    page = client.get(URL, {"include": "John Watson"}).content.decode()
    assert notes(page) == []
    assert "1 work found" in page


def test_a_pairing_nobody_made_canonical_is_not_searched_as_a_proposal(
    client: Client, shelf: dict[str, Any]
) -> None:
    page = client.get(URL, {"include": "Rose/Sherlock"}).content.decode()
    assert "0 works found" in page
    assert notes(page)[0].startswith("No tag is named “Rose/Sherlock”")
    assert not Tag.objects.filter(name__icontains="Rose Tyler/Sherlock").exists()


def test_hostile_names_are_shown_as_text(client: Client, shelf: dict[str, Any]) -> None:
    hostile = '<script>alert("x")</script>'
    for field in ("include", "exclude"):
        page = client.get(URL, {field: hostile}).content.decode()
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
        assert notes(page)[0].startswith(f"No tag is named “{hostile}”")


def test_an_overlong_name_and_names_past_ten_are_only_named_as_unknown(
    client: Client, shelf: dict[str, Any]
) -> None:
    long_name = "Sherlock " * 20
    page = client.get(URL, {"include": long_name}).content.decode()
    assert notes(page) == [
        f"No tag is named “{long_name.strip()}”, nor is it a short form of one: it matches no work."
    ]
    many = [f"Nobody {number}" for number in range(1, 12)]
    page = client.get(URL, {"include": ", ".join(many)}).content.decode()
    said = notes(page)
    assert len(said) == 11
    assert said[-1] == "No tag is named “Nobody 11”."
