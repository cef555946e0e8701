"""A reader's own feeds: bookmarks and "marked for later" in the OPDS catalog, and the private
Atom feed of their subscriptions, reached by HTTP Basic or a feed token."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from ficarchive.accounts import actions as accounts
from ficarchive.exporting import actions as exporting
from ficarchive.social.actions.bookmarks import BookmarkDetails, save_bookmark
from ficarchive.social.actions.readings import mark_for_later
from ficarchive.social.actions.subscriptions import subscribe
from ficarchive.works import actions
from tests.conftest import PASSWORD, logged_in, post_work
from tests.exporting.feeds import (
    ACQUIRE,
    ACQUISITION,
    NAVIGATION,
    NS,
    check_atom,
    check_opds,
    links,
    texts,
)


def basic(username: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{PASSWORD}".encode()).decode()
    return {"authorization": f"Basic {token}"}


def titles(content: bytes, kind: str = ACQUISITION) -> list[str]:
    return texts(check_opds(content, kind), "a:entry/a:title")


@pytest.fixture
def shelf(alice, bob, carol):
    """Carol's bookmarks (one private, one of a work later hidden) and her later list."""
    storm = post_work(alice, "Storm", fandoms=["Lighthouses"], freeforms=["Rain"])
    calm = post_work(bob, "Calm", summary="<p>Quiet <em>seas</em>.</p>")
    members = post_work(alice, "Members Only", restricted=True)
    gone = post_work(bob, "Gone")
    save_bookmark(carol, BookmarkDetails(notes="Loved it"), work=storm)
    save_bookmark(carol, BookmarkDetails(is_private=True), work=calm)
    save_bookmark(carol, BookmarkDetails(), work=gone)
    mark_for_later(carol, members)
    mark_for_later(carol, gone)
    mark_for_later(carol, storm)
    mark_for_later(carol, storm, later=False)
    save_bookmark(bob, BookmarkDetails(is_private=True), work=members)
    return {"storm": storm, "calm": calm, "members": members, "gone": gone}


# --- OPDS: bookmarks and marked for later ----------------------------------------------------


def test_root_links_a_known_reader_to_their_bookmarks_and_later_list(client: Client, carol):
    token = exporting.create_feed_token(carol).token
    for feed in (
        check_opds(client.get("/opds", headers=basic("carol")).content, NAVIGATION),
        check_opds(client.get(f"/opds/token/{token}").content, NAVIGATION),
    ):
        entries = {
            entry.find("a:title", NS).text: links(entry)[0] for entry in feed.findall("a:entry", NS)
        }
        assert entries["Your bookmarks"].get("type") == ACQUISITION
        assert entries["Marked for later"].get("type") == ACQUISITION
    assert (
        entries["Your bookmarks"].get("href") == f"http://testserver/opds/token/{token}/bookmarks"
    )
    assert entries["Marked for later"].get("href") == f"http://testserver/opds/token/{token}/later"


def test_root_offers_guests_no_personal_shelves(client: Client, db):
    assert texts(check_opds(client.get("/opds").content, NAVIGATION), "a:entry/a:title") == [
        "Recent works",
        "Fandoms",
        "Tags",
    ]


def test_bookmarks_feed_lists_the_reader_s_bookmarks_private_ones_included(client: Client, shelf):
    response = client.get("/opds/bookmarks", headers=basic("carol"))
    assert response["Content-Type"] == ACQUISITION
    assert titles(response.content) == ["Gone", "Calm", "Storm"]


def test_bookmark_entries_have_downloads_summary_and_tags(client: Client, shelf):
    feed = check_opds(client.get("/opds/bookmarks", headers=basic("carol")).content, ACQUISITION)
    calm = next(e for e in feed.findall("a:entry", NS) if e.find("a:title", NS).text == "Calm")
    acquire = [link for link in links(calm) if link.get("rel") == ACQUIRE]
    assert "application/epub+zip" in [link.get("type") for link in acquire]
    epub = next(link for link in acquire if link.get("type") == "application/epub+zip")
    assert epub.get("href") == f"http://testserver/opds/works/{shelf['calm'].pk}.epub"
    assert calm.find("a:summary", NS).text == "Quiet seas."
    storm = next(e for e in feed.findall("a:entry", NS) if e.find("a:title", NS).text == "Storm")
    assert "Rain" in [category.get("term") for category in storm.findall("a:category", NS)]


def test_bookmarks_feed_leaves_out_works_the_reader_may_no_longer_see(client: Client, shelf, ada):
    actions.hide_work(ada, shelf["gone"])
    assert titles(client.get("/opds/bookmarks", headers=basic("carol")).content) == [
        "Calm",
        "Storm",
    ]


def test_another_user_s_token_cannot_show_my_private_bookmarks(client: Client, shelf, bob):
    token = exporting.create_feed_token(bob).token
    shown = titles(client.get(f"/opds/token/{token}/bookmarks").content)
    assert shown == ["Members Only"]
    assert "Calm" not in shown


def test_later_feed_lists_works_still_marked_that_the_reader_may_see(client: Client, shelf):
    assert titles(client.get("/opds/later", headers=basic("carol")).content) == [
        "Gone",
        "Members Only",
    ]


def test_later_feed_by_token_keeps_the_token_in_its_links(client: Client, shelf, carol):
    token = exporting.create_feed_token(carol).token
    feed = check_opds(client.get(f"/opds/token/{token}/later").content, ACQUISITION)
    for entry in feed.findall("a:entry", NS):
        for link in links(entry, ACQUIRE):
            assert f"/opds/token/{token}/" in link.get("href")
    assert texts(feed, "a:id") == ["http://testserver/opds/later"]


def test_guest_is_asked_to_log_in_for_bookmarks_and_later(client: Client, shelf):
    for path in ("/opds/bookmarks", "/opds/later", "/feeds/personal"):
        response = client.get(path)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Basic")
        assert b"Storm" not in response.content


def test_wrong_password_is_refused(client: Client, shelf):
    token = base64.b64encode(b"carol:wrong").decode()
    response = client.get("/opds/bookmarks", headers={"authorization": f"Basic {token}"})
    assert response.status_code == 401
    assert b"Calm" not in response.content


def test_revoked_token_is_a_404_for_every_personal_feed(client: Client, shelf, carol):
    token = exporting.create_feed_token(carol).token
    exporting.revoke_feed_token(carol)
    for path in (
        f"/opds/token/{token}/bookmarks",
        f"/opds/token/{token}/later",
        f"/feeds/personal/{token}.atom",
    ):
        response = client.get(path)
        assert response.status_code == 404
        assert b"Calm" not in response.content


def test_a_deactivated_reader_s_token_stops_working(client: Client, shelf, carol):
    token = exporting.create_feed_token(carol).token
    carol.is_active = False
    carol.save(update_fields=["is_active"])
    assert client.get(f"/opds/token/{token}/bookmarks").status_code == 404


def test_bookmarking_an_older_work_changes_the_bookmarks_feed(client: Client, shelf, carol):
    headers = basic("carol")
    first = client.get("/opds/bookmarks", headers=headers)
    again = {**headers, "if-none-match": first["ETag"]}
    assert client.get("/opds/bookmarks", headers=again).status_code == 304
    save_bookmark(carol, BookmarkDetails(), work=shelf["members"])
    changed = client.get("/opds/bookmarks", headers=again)
    assert changed.status_code == 200
    assert titles(changed.content)[0] == "Members Only"


def test_personal_feeds_answer_post_with_405(client: Client, shelf):
    for path in ("/opds/bookmarks", "/opds/later", "/feeds/personal"):
        assert client.post(path, headers=basic("carol")).status_code == 405


def test_bookmarks_and_later_feeds_run_a_fixed_number_of_queries(
    client: Client, alice, carol, django_assert_max_num_queries
):
    token = exporting.create_feed_token(carol).token
    for number in range(8):
        work = post_work(alice, f"Work {number}", freeforms=[f"Tag {number}"])
        save_bookmark(carol, BookmarkDetails(is_private=number % 2 == 0), work=work)
        mark_for_later(carol, work)
    with django_assert_max_num_queries(7):
        assert len(titles(client.get(f"/opds/token/{token}/bookmarks").content)) == 8
    with django_assert_max_num_queries(7):
        assert len(titles(client.get(f"/opds/token/{token}/later").content)) == 8


# --- Atom: the private feed of subscriptions -------------------------------------------------


@pytest.fixture
def follows(alice, bob, carol, mallory):
    """Carol follows a work of Alice's, Bob as a creator and Alice's series."""
    serial = post_work(alice, "Serial")
    subscribe(carol, work=serial)
    actions.add_chapter(alice, serial, actions.ChapterDetails(body="<p>More.</p>", title="Tide"))
    subscribe(carol, creator=bob)
    post_work(bob, "Calm")
    post_work(bob, "Bob's Members Only", restricted=True)
    post_work(bob, "Bob's Draft", draft=True)
    lamp = post_work(alice, "Lamp")
    series = actions.create_series(alice, "Weather")
    actions.add_work_to_series(alice, lamp, series)
    subscribe(carol, series=series)
    second = post_work(alice, "Gale")
    actions.add_work_to_series(alice, second, series)
    post_work(mallory, "Unfollowed")
    return {"serial": serial, "series": series, "lamp": lamp}


def personal_titles(client: Client, user) -> list[str]:
    token = exporting.create_feed_token(user).token
    response = client.get(f"/feeds/personal/{token}.atom")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return texts(check_atom(response.content), "a:entry/a:title")


def test_private_feed_lists_news_of_the_reader_s_subscriptions_newest_first(
    client: Client, follows, carol
):
    assert personal_titles(client, carol) == [
        "Weather, part 2: Gale",
        "Weather, part 1: Lamp",
        "Bob's Members Only",
        "Calm",
        "Serial: Chapter 2: Tide",
        "Serial: Chapter 1",
    ]


def test_private_feed_entries_have_ids_links_and_authors(client: Client, follows, carol):
    token = exporting.create_feed_token(carol).token
    feed = check_atom(client.get(f"/feeds/personal/{token}.atom").content)
    assert texts(feed, "a:id") == ["http://testserver/feeds/personal"]
    (alternate,) = links(feed, "alternate")
    assert alternate.get("href") == "http://testserver/subscriptions"
    first = feed.find("a:entry", NS)
    series_url = f"http://testserver/series/{follows['series'].pk}"
    assert first.find("a:id", NS).text.startswith(f"{series_url}#part-")
    assert series_url in [link.get("href") for link in links(first, "related")]
    assert texts(first, "a:author/a:name") == ["alice"]


def test_private_feed_leaves_out_hidden_and_muted_creators_works(
    client: Client, follows, carol, bob, ada
):
    actions.hide_work(ada, follows["serial"])
    accounts.mute_user(carol, bob)
    assert personal_titles(client, carol) == ["Weather, part 2: Gale", "Weather, part 1: Lamp"]


def test_private_feed_of_a_reader_without_subscriptions_is_empty(client: Client, follows, mallory):
    assert personal_titles(client, mallory) == []


def test_private_feed_by_http_basic_shows_the_same_news(client: Client, follows, carol):
    response = client.get("/feeds/personal", headers=basic("carol"))
    assert "Calm" in texts(check_atom(response.content), "a:entry/a:title")


def test_another_reader_s_token_shows_their_news_not_mine(client: Client, follows, bob):
    assert "Serial: Chapter 2: Tide" not in personal_titles(client, bob)


def test_private_feed_is_bounded(client: Client, alice, carol, settings):
    subscribe(carol, creator=alice)
    for number in range(53):
        post_work(alice, f"Work {number}")
    shown = personal_titles(client, carol)
    assert len(shown) == 50
    assert shown[0] == "Work 52"


def test_unchanged_private_feed_answers_304_and_a_new_chapter_changes_it(
    client: Client, follows, carol, alice
):
    token = exporting.create_feed_token(carol).token
    address = f"/feeds/personal/{token}.atom"
    first = client.get(address)
    headers = {"if-none-match": first["ETag"]}
    assert client.get(address, headers=headers).status_code == 304
    actions.add_chapter(alice, follows["serial"], actions.ChapterDetails(body="<p>End.</p>"))
    again = client.get(address, headers=headers)
    assert again.status_code == 200
    assert texts(check_atom(again.content), "a:entry/a:title")[0] == "Serial: Chapter 3"


def test_private_feed_runs_a_fixed_number_of_queries(
    client: Client, follows, carol, alice, bob, django_assert_max_num_queries
):
    token = exporting.create_feed_token(carol).token
    with django_assert_max_num_queries(15):
        client.get(f"/feeds/personal/{token}.atom")
    for number in range(6):
        post_work(bob, f"More {number}", freeforms=[f"Tag {number}"])
        actions.add_chapter(alice, follows["serial"], actions.ChapterDetails(body="<p>On.</p>"))
    with django_assert_max_num_queries(15):
        feed = check_atom(client.get(f"/feeds/personal/{token}.atom").content)
    assert len(texts(feed, "a:entry/a:title")) == 18


def test_signed_in_reader_sees_only_their_own_bookmarks(shelf, bob, carol):
    assert titles(logged_in(bob).get("/opds/bookmarks").content) == ["Members Only"]
    assert "Calm" in titles(logged_in(carol).get("/opds/bookmarks").content)
