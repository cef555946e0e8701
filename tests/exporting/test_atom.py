"""Atom feeds for a tag, a creator, a series, a work's new chapters, and a reader's private feed."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from ficarchive.exporting import actions as exporting
from ficarchive.search.index_keeper import get_index
from ficarchive.works import actions
from tests.conftest import PASSWORD, logged_in, post_work
from tests.exporting.feeds import NS, check_atom, links, texts

ATOM_TYPE = "application/atom+xml; charset=utf-8"


def basic(username: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{PASSWORD}".encode()).decode()
    return {"authorization": f"Basic {token}"}


@pytest.fixture
def shelf(alice, bob):
    storm = post_work(alice, "Storm", fandoms=["Lighthouses"], freeforms=["Rain"])
    post_work(bob, "Calm", fandoms=["Lighthouses"], summary="<p>Quiet <em>seas</em>.</p>")
    post_work(alice, "Members Only", fandoms=["Lighthouses"], restricted=True)
    post_work(alice, "Unposted", fandoms=["Lighthouses"], draft=True)
    series = actions.create_series(alice, "Weather")
    actions.add_work_to_series(alice, storm, series)
    return {"storm": storm, "series": series}


def test_tag_feed_lists_the_works_a_guest_may_read(client: Client, shelf):
    response = client.get("/tags/Lighthouses/feed.atom")
    assert response["Content-Type"] == ATOM_TYPE
    feed = check_atom(response.content)
    assert texts(feed, "a:title") == ["Works tagged Lighthouses"]
    assert texts(feed, "a:entry/a:title") == ["Calm", "Storm"]
    assert links(feed, "self")[0].get("href") == "http://testserver/tags/Lighthouses/feed.atom"
    assert links(feed, "alternate")[0].get("href") == "http://testserver/tags/Lighthouses/works"
    calm = feed.find("a:entry[a:title='Calm']", NS)
    assert texts(calm, "a:author/a:name") == ["bob"]
    assert texts(calm, "a:summary") == ["Quiet seas."]
    assert "<em>seas</em>" in calm.find("a:content", NS).text
    assert links(calm, "alternate")[0].get("type") == "text/html"


def test_registered_reader_s_feed_has_restricted_works(shelf, carol):
    feed = check_atom(logged_in(carol).get("/tags/Lighthouses/feed.atom").content)
    assert "Members Only" in texts(feed, "a:entry/a:title")


def test_creator_feeds_for_an_account_and_a_pseud(client: Client, shelf):
    by_user = check_atom(client.get("/users/alice/feed.atom").content)
    assert texts(by_user, "a:entry/a:title") == ["Storm"]
    by_pseud = check_atom(client.get("/users/bob/pseuds/bob/feed.atom").content)
    assert texts(by_pseud, "a:entry/a:title") == ["Calm"]


def test_series_feed_lists_its_visible_parts(client: Client, shelf):
    feed = check_atom(client.get(f"/series/{shelf['series'].pk}/feed.atom").content)
    assert texts(feed, "a:title") == ["Series: Weather"]
    assert texts(feed, "a:entry/a:title") == ["Storm"]


def test_unknown_tag_creator_pseud_or_series_is_a_404(client: Client, shelf, alice):
    assert client.get("/tags/Nothing/feed.atom").status_code == 404
    assert client.get("/users/nobody/feed.atom").status_code == 404
    assert client.get("/users/alice/pseuds/nobody/feed.atom").status_code == 404
    assert client.get("/series/999/feed.atom").status_code == 404
    locked = actions.create_series(alice, "Locked")
    members = post_work(alice, "Locked Part", restricted=True)
    actions.add_work_to_series(alice, members, locked)
    assert client.get(f"/series/{locked.pk}/feed.atom").status_code == 404


def test_work_feed_lists_its_posted_chapters_newest_first(client: Client, alice):
    work = post_work(alice, "Serial", chapters=["<p>One.</p>", "<p>Two.</p>"])
    actions.add_chapter(alice, work, actions.ChapterDetails(body="<p>Three.</p>"), draft=True)
    feed = check_atom(client.get(f"/works/{work.pk}/feed.atom").content)
    assert texts(feed, "a:entry/a:title") == ["Serial: Chapter 2", "Serial: Chapter 1"]
    newest = feed.find("a:entry", NS)
    chapter = work.chapters.get(position=2)
    assert texts(newest, "a:id") == [f"http://testserver/works/{work.pk}/chapters/{chapter.pk}"]


def test_work_feed_asks_guests_to_log_in_for_a_restricted_work(client: Client, alice, carol):
    work = post_work(alice, "Members Only", restricted=True)
    assert client.get(f"/works/{work.pk}/feed.atom").status_code == 401
    with_login = client.get(f"/works/{work.pk}/feed.atom", headers=basic("carol"))
    assert texts(check_atom(with_login.content), "a:entry/a:title") == ["Members Only: Chapter 1"]


def test_work_feed_of_a_hidden_or_draft_work_is_a_404(client: Client, alice, carol, ada):
    hidden = post_work(alice, "Hidden")
    actions.hide_work(ada, hidden)
    draft = post_work(alice, "Draft", draft=True)
    for work in (hidden, draft):
        assert client.get(f"/works/{work.pk}/feed.atom").status_code == 404
        assert logged_in(carol).get(f"/works/{work.pk}/feed.atom").status_code == 404


def test_private_feed_is_found_by_the_reader_s_token(client: Client, shelf, alice):
    token = exporting.create_feed_token(alice).token
    feed = check_atom(client.get(f"/feeds/personal/{token}.atom").content)
    assert texts(feed, "a:title") == ["Updates for alice"]
    assert texts(feed, "a:id") == ["http://testserver/feeds/personal"]


def test_private_feed_refuses_revoked_tokens_and_guests(client: Client, alice):
    token = exporting.create_feed_token(alice).token
    exporting.revoke_feed_token(alice)
    assert client.get(f"/feeds/personal/{token}.atom").status_code == 404
    assert client.get("/feeds/personal").status_code == 401


def test_unchanged_work_feed_answers_304_and_a_new_chapter_changes_it(client: Client, alice):
    work = post_work(alice, "Serial")
    first = client.get(f"/works/{work.pk}/feed.atom")
    assert first["ETag"] and first["Last-Modified"]
    headers = {"if-none-match": first["ETag"]}
    assert client.get(f"/works/{work.pk}/feed.atom", headers=headers).status_code == 304
    actions.add_chapter(alice, work, actions.ChapterDetails(body="<p>More.</p>"))
    again = client.get(f"/works/{work.pk}/feed.atom", headers=headers)
    assert again.status_code == 200
    assert "Serial: Chapter 2" in texts(check_atom(again.content), "a:entry/a:title")


def test_feed_for_one_reader_is_not_a_304_for_another(shelf, carol):
    etag = logged_in(carol).get("/tags/Lighthouses/feed.atom")["ETag"]
    guest = Client().get("/tags/Lighthouses/feed.atom", headers={"if-none-match": etag})
    assert guest.status_code == 200
    assert b"Members Only" not in guest.content


def test_characters_xml_cannot_hold_are_left_out_of_feeds(client: Client, alice):
    post_work(alice, "Bell\x07 Title", fandoms=["Odd"], summary="<p>Ring\x0b ring</p>")
    feed = check_atom(client.get("/tags/Odd/feed.atom").content)
    assert texts(feed, "a:entry/a:title") == ["Bell Title"]
    opds = client.get("/opds/recent")
    assert opds.status_code == 200
    assert b"Bell Title" in opds.content


def test_atom_feeds_answer_post_with_405(client: Client, shelf):
    assert client.post("/tags/Lighthouses/feed.atom").status_code == 405
    assert client.post(f"/works/{shelf['storm'].pk}/feed.atom").status_code == 405


def test_tag_feed_runs_a_fixed_number_of_queries(
    client: Client, alice, django_assert_max_num_queries
):
    for number in range(8):
        post_work(alice, f"Work {number}", fandoms=["Busy"], characters=[f"C{number}"])
    get_index()  # built once per machine, not per request
    # The tag; the change log, the tags the tag covers and its (rare) works, from the index;
    # the page's newest revision (validators); the works with their tags, creators, series.
    with django_assert_max_num_queries(9):
        assert client.get("/tags/Busy/feed.atom").status_code == 200


def test_feeds_use_elements_and_addresses_the_w3c_feed_validator_accepts(client: Client, alice):
    """Language in the DCMI elements namespace (the validator knows no `dcterms:language`), and
    a tag with a space in its name has a valid URI as its feed's id and self link."""
    post_work(alice, "Storm", fandoms=["Original Work"], language="en")
    content = client.get("/tags/Original%20Work/feed.atom").content
    feed = check_atom(content)
    assert texts(feed, "a:entry/dc:language") == ["en"]
    assert b"dcterms:language" not in content
    assert feed.find("a:id", NS).text == "http://testserver/tags/Original%20Work/feed.atom"
    assert links(feed, "self")[0].get("href") == "http://testserver/tags/Original%20Work/feed.atom"
