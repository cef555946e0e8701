"""The OPDS catalog: every feed against the Atom and OPDS rules, logins for apps, search, and an
app that browses from /opds to a downloaded EPUB."""

from __future__ import annotations

import base64
from collections import deque
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client

from ficarchive.exporting import actions as exporting
from ficarchive.search.index_keeper import get_index
from ficarchive.works import actions
from tests.conftest import PASSWORD, logged_in, post_work
from tests.exporting.feeds import (
    ACQUIRE,
    ACQUISITION,
    NAVIGATION,
    NS,
    check_opds,
    links,
    texts,
)
from tests.serving import work_links


def path_of(href: str) -> str:
    parts = urlsplit(href)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def basic(username: str, password: str = PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"authorization": f"Basic {token}"}


@pytest.fixture
def catalog(alice, bob):
    return make_catalog(alice, bob)


def make_catalog(alice, bob):
    """Works in two fandoms by two creators, one restricted, one a draft, two in a series."""
    storm = post_work(alice, "Storm", fandoms=["Lighthouses"], freeforms=["Rain"])
    calm = post_work(bob, "Calm", fandoms=["Tides"], relationships=["Keeper & Gull"])
    post_work(alice, "Members Only", fandoms=["Lighthouses"], restricted=True)
    post_work(alice, "Unposted", fandoms=["Lighthouses"], draft=True)
    series = actions.create_series(alice, "Weather")
    actions.add_work_to_series(alice, storm, series)
    return {"storm": storm, "calm": calm, "series": series}


def test_root_is_a_navigation_feed_of_the_catalog(client: Client, catalog):
    response = client.get("/opds")
    assert response["Content-Type"] == NAVIGATION
    feed = check_opds(response.content, NAVIGATION)
    assert texts(feed, "a:entry/a:title") == ["Recent works", "Fandoms", "Tags"]
    recent = links(feed.find("a:entry", NS))[0]
    assert recent.get("rel") == "http://opds-spec.org/sort/new"
    assert recent.get("type") == ACQUISITION
    assert not links(feed, "up")


def test_root_offers_a_reader_their_own_works(catalog, carol):
    feed = check_opds(logged_in(carol).get("/opds").content, NAVIGATION)
    assert "Your works" in texts(feed, "a:entry/a:title")


def test_recent_works_lists_what_the_guest_may_read_with_downloads(client: Client, catalog):
    response = client.get("/opds/recent")
    assert response["Content-Type"] == ACQUISITION
    feed = check_opds(response.content, ACQUISITION)
    assert texts(feed, "a:entry/a:title") == ["Calm", "Storm"]
    entry = feed.find("a:entry[a:title='Storm']", NS)
    acquire = {link.get("type"): link.get("href") for link in links(entry, ACQUIRE)}
    assert acquire == {
        "application/epub+zip": f"http://testserver/opds/works/{catalog['storm'].pk}.epub",
        "text/html": f"http://testserver/opds/works/{catalog['storm'].pk}.html",
        "text/plain": f"http://testserver/opds/works/{catalog['storm'].pk}.txt",
    }
    assert texts(entry, "a:author/a:name") == ["alice"]
    assert texts(entry, "dc:language") == ["en"]
    assert "Lighthouses" in [c.get("term") for c in entry.findall("a:category", NS)]
    assert entry.find("a:summary", NS) is None or entry.find("a:summary", NS).text
    assert "Fandoms: Lighthouses" in entry.find("a:content", NS).text
    related = {link.get("title") for link in links(entry, "related")}
    assert related == {"More by alice", "Series: Weather"}


def test_registered_reader_sees_restricted_works(catalog, carol):
    feed = check_opds(logged_in(carol).get("/opds/recent").content, ACQUISITION)
    assert "Members Only" in texts(feed, "a:entry/a:title")
    assert "Unposted" not in texts(feed, "a:entry/a:title")


def test_fandoms_feed_leads_to_each_fandom_s_works(client: Client, catalog):
    feed = check_opds(client.get("/opds/fandoms").content, NAVIGATION)
    assert texts(feed, "a:entry/a:title") == ["Lighthouses", "Tides"]
    href = links(feed.find("a:entry", NS))[0].get("href")
    assert href == "http://testserver/opds/tags/Lighthouses?type=fandom"
    works = check_opds(client.get(path_of(href)).content, ACQUISITION)
    assert texts(works, "a:entry/a:title") == ["Storm"]
    assert links(works, "up")[0].get("href") == "http://testserver/opds/fandoms"


def test_fandoms_feed_counts_what_the_reader_may_see_through_synonyms(
    client: Client, catalog, alice, carol, ada
):
    from ficarchive.accounts.actions import mute_user
    from ficarchive.tags import actions as tag_actions
    from ficarchive.tags.models import Tag, TagType

    def counts(browser: Client) -> dict[str, str]:
        feed = check_opds(browser.get("/opds/fandoms").content, NAVIGATION)
        return {
            entry.find("a:title", NS).text: entry.find("a:content", NS).text
            for entry in feed.findall("a:entry", NS)
        }

    assert counts(client)["Lighthouses"] == "Fandom: 1 work", "restricted works: not for guests"
    assert counts(logged_in(carol))["Lighthouses"] == "Fandom: 2 works"
    post_work(alice, "Typed Otherwise", fandoms=["Light Houses"])
    tag_actions.make_canonical(ada, Tag.objects.get(name="Lighthouses"))
    tag_actions.make_synonym(ada, Tag.objects.get(name="Light Houses"),
                             Tag.objects.get(name="Lighthouses"))  # fmt: skip
    assert counts(client) == {"Lighthouses": "Fandom: 2 works", "Tides": "Fandom: 1 work"}
    mute_user(carol, alice)  # a standing filter: alice's works are not carol's to count
    assert counts(logged_in(carol)) == {"Tides": "Fandom: 1 work"}
    assert Tag.objects.filter(type=TagType.FANDOM, name="Light Houses").exists()


def test_a_tag_list_feed_answers_304_until_a_change_to_the_works(client: Client, catalog, alice):
    first = client.get("/opds/fandoms")
    etag = first["ETag"]
    assert client.get("/opds/fandoms", HTTP_IF_NONE_MATCH=etag).status_code == 304
    post_work(alice, "New Shore", fandoms=["Shores"])
    again = client.get("/opds/fandoms", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert "Shores" in texts(check_opds(again.content, NAVIGATION), "a:entry/a:title")


def test_tags_feed_lists_relationships_characters_and_additional_tags(client: Client, catalog):
    feed = check_opds(client.get("/opds/tags").content, NAVIGATION)
    assert sorted(texts(feed, "a:entry/a:title")) == ["Keeper & Gull", "Rain"]
    escaped = check_opds(client.get("/opds/tags/Keeper *a* Gull").content, ACQUISITION)
    assert texts(escaped, "a:entry/a:title") == ["Calm"]


def test_unknown_tag_creator_or_series_is_a_404(client: Client, catalog):
    assert client.get("/opds/tags/Nothing").status_code == 404
    assert client.get("/opds/users/nobody").status_code == 404
    assert client.get("/opds/users/alice/pseuds/nobody").status_code == 404
    assert client.get("/opds/series/999").status_code == 404


def test_creator_feeds_list_a_user_s_and_a_pseud_s_works(client: Client, catalog):
    by_user = check_opds(client.get("/opds/users/alice").content, ACQUISITION)
    assert texts(by_user, "a:entry/a:title") == ["Storm"]
    by_pseud = check_opds(client.get("/opds/users/bob/pseuds/bob").content, ACQUISITION)
    assert texts(by_pseud, "a:entry/a:title") == ["Calm"]


def test_series_feed_lists_its_parts_in_order(client: Client, alice, catalog):
    later = post_work(alice, "Aftermath")
    actions.add_work_to_series(alice, later, catalog["series"])
    feed = check_opds(client.get(f"/opds/series/{catalog['series'].pk}").content, ACQUISITION)
    assert texts(feed, "a:entry/a:title") == ["Storm", "Aftermath"]


def test_work_in_two_series_is_listed_once_in_each(client: Client, alice, catalog):
    other = actions.create_series(alice, "Seasons")
    actions.add_work_to_series(alice, post_work(alice, "Spring"), other)
    actions.add_work_to_series(alice, catalog["storm"], other)
    feed = check_opds(client.get(f"/opds/series/{other.pk}").content, ACQUISITION)
    assert texts(feed, "a:entry/a:title") == ["Spring", "Storm"]


def test_guest_is_asked_to_log_in_for_their_own_works(client: Client, catalog):
    response = client.get("/opds/mine")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="ficarchive", charset="UTF-8"'


def test_app_logs_in_with_http_basic(client: Client, catalog):
    response = client.get("/opds/mine", headers=basic("alice"))
    feed = check_opds(response.content, ACQUISITION)
    assert set(texts(feed, "a:entry/a:title")) == {"Storm", "Members Only", "Unposted"}
    restricted = client.get("/opds/recent", headers=basic("carol_missing"))
    assert restricted.status_code == 401


def test_wrong_password_is_asked_again(client: Client, catalog, carol):
    response = client.get("/opds/recent", headers=basic("carol", "wrong"))
    assert response.status_code == 401
    assert b"Wrong user name or password" in response.content
    garbage = client.get("/opds/recent", headers={"authorization": "Basic !!!"})
    assert garbage.status_code == 401


def test_too_many_wrong_passwords_lock_apps_out_as_they_do_the_login_page(
    client: Client, carol, settings
):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        assert client.get("/opds/recent", headers=basic("carol", "wrong")).status_code == 401
    locked = client.get("/opds/recent", headers=basic("carol"))
    assert locked.status_code == 429
    assert b"Too many failed log-ins" in locked.content
    page = client.post("/login", {"username": "carol", "password": PASSWORD})
    assert "Too many failed log-ins" in page.content.decode()


def test_feed_token_in_the_address_stands_for_the_reader(client: Client, catalog, carol):
    token = exporting.create_feed_token(carol).token
    feed = check_opds(client.get(f"/opds/token/{token}/recent").content, ACQUISITION)
    assert "Members Only" in texts(feed, "a:entry/a:title")
    for link in feed.iter(f"{{{NS['a']}}}link"):
        if link.get("rel") not in {"alternate", "related"} and "/opds" in link.get("href"):
            assert f"/opds/token/{token}" in link.get("href"), link.get("href")
    assert feed.find("a:id", NS).text == "http://testserver/opds/recent"


def test_feeds_are_private_to_the_reader_who_asked(client: Client, catalog):
    response = client.get("/opds/recent")
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert "Authorization" in response["Vary"]


def test_revoked_or_unknown_token_is_a_404(client: Client, carol):
    token = exporting.create_feed_token(carol).token
    exporting.revoke_feed_token(carol)
    assert client.get(f"/opds/token/{token}").status_code == 404
    assert client.get("/opds/token/not-a-token").status_code == 404


def test_app_downloads_restricted_work_after_the_401(client: Client, catalog, alice):
    members = alice.pseuds.get().creatorships.get(work__title="Members Only").work
    guest = client.get(f"/opds/works/{members.pk}.epub")
    assert guest.status_code == 401
    reader = client.get(f"/opds/works/{members.pk}.epub", headers=basic("alice"))
    assert reader.status_code == 200
    assert reader["Content-Type"] == "application/epub+zip"


def found_works(client: Client, path: str, **headers: str) -> list[str]:
    """The work pages (`/works/ID`) a catalog search lists, in order."""
    feed = check_opds(client.get(path, headers=headers).content, ACQUISITION)
    return [urlsplit(entry_id).path for entry_id in texts(feed, "a:entry/a:id")]


@pytest.mark.parametrize(
    "query",
    [
        {"q": "storm"},  # a title word
        {"q": "lighthouses"},  # a fandom's name
        {"q": "keeper gull"},  # a relationship's words
        {"q": "alice"},  # a creator
        {"q": "bob OR rain"},
        {"q": "tides OR lighthouses -rain"},
        {"include": "Lighthouses"},
        {"q": "kudos:<100"},
    ],
)
def test_search_finds_what_the_search_page_finds(client: Client, catalog, query):
    """Search is the search page's query (tags, creators, operators), not titles only."""
    page = client.get("/works/search", query)
    assert page.status_code == 200
    expected = work_links(page.content.decode())
    found = found_works(client, f"/opds/search?{urlencode(query)}")
    assert found and sorted(found) == expected


def test_search_by_tag_or_creator_finds_works_whose_titles_do_not_hold_the_words(
    client: Client, catalog
):
    assert found_works(client, "/opds/search?q=lighthouses") == [f"/works/{catalog['storm'].pk}"]
    assert found_works(client, "/opds/search?q=bob") == [f"/works/{catalog['calm'].pk}"]


def test_search_never_shows_guests_hidden_restricted_or_draft_works(
    client: Client, catalog, alice, ada
):
    hidden = post_work(alice, "Lighthouse Gone", fandoms=["Lighthouses"])
    actions.hide_work(ada, hidden)
    guest = found_works(client, "/opds/search?q=lighthouses")
    assert guest == [f"/works/{catalog['storm'].pk}"]
    reader = found_works(client, "/opds/search?q=lighthouses", **basic("bob"))
    members = alice.pseuds.get().creatorships.get(work__title="Members Only").work
    assert sorted(reader) == sorted([f"/works/{catalog['storm'].pk}", f"/works/{members.pk}"])


def test_search_is_paged_like_the_search_page(client: Client, alice):
    for number in range(5):
        post_work(alice, f"Tide {number}")
    first = check_opds(client.get("/opds/search?q=tide&per_page=2").content, ACQUISITION)
    assert len(first.findall("a:entry", NS)) == 2
    assert first.find("os:totalResults", NS).text == "5"
    assert links(first, "next")[0].get("href") == (
        "http://testserver/opds/search?q=tide&per_page=2&page=2"
    )
    assert client.get("/opds/search?q=tide&per_page=2&page=9").status_code == 404


def test_search_says_what_is_wrong_with_an_empty_or_malformed_query(client: Client, catalog):
    empty = client.get("/opds/search?q=")
    assert empty.status_code == 400
    assert b"q: Enter words, tags or creators to search for." in empty.content
    bad = client.get("/opds/search?q=storm&words=many")
    assert bad.status_code == 400
    assert bad.content.startswith(b"words:")


def test_opensearch_description_points_at_the_search_feed(client: Client):
    response = client.get("/opds/search.xml")
    assert response["Content-Type"] == "application/opensearchdescription+xml"
    from lxml import etree

    root = etree.fromstring(response.content)
    url = root.find("{http://a9.com/-/spec/opensearch/1.1/}Url")
    assert url.get("template") == "http://testserver/opds/search?q={searchTerms}"
    assert url.get("type") == ACQUISITION


def test_long_feeds_are_paged_with_first_next_and_last_links(client: Client, alice, settings):
    settings.WORKS_PER_PAGE = 2
    for number in range(5):
        post_work(alice, f"Work {number}")
    first = check_opds(client.get("/opds/recent").content, ACQUISITION)
    assert len(first.findall("a:entry", NS)) == 2
    assert links(first, "next")[0].get("href") == "http://testserver/opds/recent?page=2"
    assert links(first, "last")[0].get("href") == "http://testserver/opds/recent?page=3"
    assert first.find("os:totalResults", NS).text == "5"
    last = check_opds(client.get("/opds/recent?page=3").content, ACQUISITION)
    assert not links(last, "next")
    assert links(last, "previous")[0].get("href") == "http://testserver/opds/recent?page=2"


def test_recent_works_feed_runs_a_fixed_number_of_queries(
    client: Client, alice, django_assert_max_num_queries
):
    for number in range(8):
        post_work(alice, f"Work {number}", fandoms=[f"Fandom {number}"])
    get_index()  # built once per machine, not per request
    with django_assert_max_num_queries(8):
        assert client.get("/opds/recent").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/opds/fandoms").status_code == 200


def test_unchanged_feed_answers_a_conditional_request_with_304(client: Client, alice, catalog):
    first = client.get("/opds/recent")
    assert client.get("/opds/recent", headers={"if-none-match": first["ETag"]}).status_code == 304
    post_work(alice, "Brand New")
    again = client.get("/opds/recent", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200
    assert b"Brand New" in again.content


def test_feeds_answer_post_with_405(client: Client):
    assert client.post("/opds/recent").status_code == 405


def test_an_opds_client_browses_from_the_root_to_a_valid_epub(client: Client, catalog, epubcheck):
    """Start at /opds, follow every catalog link, then download an EPUB the way an app would."""
    seen, queue, books = set(), deque(["http://testserver/opds"]), {}
    while queue and len(seen) < 40:
        href = queue.popleft()
        if href in seen:
            continue
        seen.add(href)
        response = client.get(path_of(href))
        assert response.status_code == 200, href
        kind = response["Content-Type"]
        feed = check_opds(response.content, kind)
        for link in feed.iter(f"{{{NS['a']}}}link"):
            target, media = link.get("href"), link.get("type") or ""
            if media.startswith("application/atom+xml;profile=opds-catalog"):
                queue.append(target.replace("{searchTerms}", "storm"))
            elif link.get("rel") == ACQUIRE and media == "application/epub+zip":
                books[target] = link.getparent().find("a:title", NS).text
    assert set(books.values()) == {"Storm", "Calm"}
    storm = next(href for href, title in books.items() if title == "Storm")
    download = client.get(path_of(storm))
    assert download["Content-Type"] == "application/epub+zip"
    assert "Storm - alice.epub" in download["Content-Disposition"]
    epubcheck(download.content)
