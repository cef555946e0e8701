"""The bookmark search: what guests and readers may find, the work's and the bookmark's filters,
pages, and bad or hostile input."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.accounts.models import Mute
from ficarchive.social import actions
from ficarchive.social.models import Bookmark
from ficarchive.tags.models import EXPLICIT
from ficarchive.works import actions as work_actions
from tests.conftest import logged_in, make_user, post_work


def save(user, work, **details):
    return actions.save_bookmark(user, actions.BookmarkDetails(**details), work=work)


def found(client: Client, **params: str) -> str:
    response = client.get("/bookmarks/search", params)
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


def test_no_parameters_show_the_form_only(client: Client, carol, work) -> None:
    save(carol, work, notes="Lovely.")
    shown = found(client)
    assert 'name="bookmark_tags"' in shown and 'name="include"' in shown
    assert "found" not in shown and "Lovely." not in shown


def test_private_bookmarks_are_found_by_their_owner_only(carol, bob, client, work) -> None:
    save(carol, work, notes="Public storm note")
    save(bob, post_work(bob, "Bob's"), notes="Secret storm note", is_private=True)
    assert "Secret storm" not in found(client, q="storm")
    assert "Secret storm" not in found(logged_in(carol), q="storm")
    own = found(logged_in(bob), q="storm")
    assert "Secret storm note" in own and "Public storm note" in own
    assert "2 bookmarks found" in own


def test_bookmarks_of_works_the_reader_may_not_list_are_never_found(alice, carol, ada, client):
    restricted = post_work(alice, "Members Only", restricted=True)
    hidden = post_work(alice, "Taken Down")
    shown = post_work(alice, "Open Door")
    for work in (restricted, hidden, shown):
        save(carol, work, notes=f"note on {work.title}")
    work_actions.hide_work(ada, hidden, "spam")
    guest = found(client, q="note")
    assert "Open Door" in guest and "1 bookmark found" in guest
    assert "Members Only" not in guest and "Taken Down" not in guest
    member = found(logged_in(make_user("dora")), q="note")
    assert "Members Only" in member and "Taken Down" not in member
    assert "Taken Down" not in found(logged_in(carol), q="note"), "not even for the bookmarker"


def test_bookmarks_of_drafts_are_never_found(alice, carol, client) -> None:
    draft = post_work(alice, "Half Done", draft=True)
    # The actions refuse to bookmark a draft; a row made by hand still never shows.
    Bookmark.objects.create(user=alice, work=draft, notes="my own draft")
    Bookmark.objects.create(user=carol, work=draft, notes="someone's draft")
    assert "0 bookmarks found" in found(logged_in(alice), q="draft")
    assert "0 bookmarks found" in found(client, q="draft")


def test_banned_and_muted_bookmarkers_are_left_out(alice, bob, carol, work) -> None:
    save(carol, work, notes="from carol")
    save(bob, work, notes="from bob")
    bob.is_active = False
    bob.save()
    Mute.objects.create(muter=alice, muted=carol)
    assert "from bob" not in found(Client(), q="from")
    assert "from carol" in found(Client(), q="from")
    assert "from carol" not in found(logged_in(alice), q="from")


def test_the_works_filters_apply_to_the_bookmarked_work(alice, carol, client) -> None:
    harbour = post_work(alice, "Harbour Story", fandoms=["Harbour Lights"])
    tide = post_work(alice, "Tide Story", fandoms=["Tidewater"], rating=EXPLICIT)
    long = post_work(
        alice,
        "Long Story",
        fandoms=["Harbour Lights", "Tidewater"],
        chapters=["<p>" + "word " * 3000 + "</p>"],
        expected_chapters=2,
    )
    for work in (harbour, tide, long):
        save(carol, work, notes="rec")
    titles = ("Harbour Story", "Tide Story", "Long Story")

    def shown(**params: str) -> set[str]:
        page = found(client, **params)
        return {title for title in titles if title in page}

    assert shown(include="harbour lights") == {"Harbour Story", "Long Story"}
    assert shown(include="Harbour Lights", exclude="Tidewater") == {"Harbour Story"}
    assert shown(rating="explicit") == {"Tide Story"}
    assert shown(complete="true") == {"Harbour Story", "Tide Story"}
    assert shown(complete="false") == {"Long Story"}
    assert shown(words="1000-") == {"Long Story"}
    assert shown(words="-100") == {"Harbour Story", "Tide Story"}
    unknown = found(client, include="No Such Fandom")
    assert "0 bookmarks found" in unknown
    assert "No tag is named “No Such Fandom”." in unknown


def test_the_bookmarkers_tags_and_notes_are_searched(alice, bob, carol, client) -> None:
    work = post_work(alice, "Shared")
    save(carol, work, notes="A <em>gentle</em> read.", tags=["Comfort", "reread"])
    save(bob, work, notes="Too sad.", tags=["angst"])
    assert "gentle" in found(client, bookmark_tags="comfort")
    assert "Too sad" not in found(client, bookmark_tags="comfort")
    assert "1 bookmark found" in found(client, bookmark_tags="comfort, reread")
    assert "0 bookmarks found" in found(client, bookmark_tags="comf"), "tags match whole"
    assert "Too sad" in found(client, q="ANGST")
    assert "gentle" in found(client, q="gentle")
    assert "0 bookmarks found" in found(client, q="gentle angst")


def test_unicode_bookmark_tags_are_found(alice, carol, client) -> None:
    save(carol, post_work(alice), tags=["Łzy", "日本"], notes="<p>Schön</p>")
    assert "1 bookmark found" in found(client, bookmark_tags="Łzy")
    assert "1 bookmark found" in found(client, q="日本")
    assert "1 bookmark found" in found(client, q="Schön")


def test_newest_bookmark_first_and_paginated(alice, client, django_assert_max_num_queries):
    work = post_work(alice)
    for n in range(23):
        save(make_user(f"reader{n:02}"), work, notes=f"note number {n:02}")
    signed_in = logged_in(alice)
    with django_assert_max_num_queries(8):  # the same for 3 bookmarks a page or 20
        first = found(signed_in, q="note", include="Original Work")
    assert "23 bookmarks found" in first
    first = found(client, q="note")
    assert "23 bookmarks found" in first
    assert first.count('class="blurb bookmark"') == 20
    assert first.index("note number 22") < first.index("note number 21")
    assert "page=2" in first and "q=note" in first
    second = found(client, q="note", page="2")
    assert second.count('class="blurb bookmark"') == 3
    assert "note number 00" in second


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"words": "lots"}, "words"),
        ({"words": "500-100"}, "words"),
        ({"complete": "maybe"}, "complete"),
        ({"rating": "<script>alert(1)</script>"}, "rating"),
        ({"q": "x" * 10_000}, "q"),
        ({"include": ",".join(f"t{n}" for n in range(30))}, "include"),
    ],
)
def test_bad_input_is_refused_naming_it(client: Client, params, named: str) -> None:
    response = client.get("/bookmarks/search", params)
    page = response.content.decode()
    assert response.status_code == 400
    assert f"the <strong>{named}</strong> parameter is wrong" in page
    assert "<script>alert(1)" not in page


def test_hostile_text_is_searched_as_text_and_escaped(carol, client, work) -> None:
    save(carol, work, notes="plain")
    for q in ("<script>alert(1)</script>", "' OR 1=1 --", "%", "_"):
        page = found(client, q=q, bookmark_tags=q)
        assert "0 bookmarks found" in page
        assert "<script>alert(1)" not in page
