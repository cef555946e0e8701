"""The OPDS 2.0 (JSON) catalog at /opds2: every feed against the members the OPDS 2.0 schema
requires, the same works as the OPDS 1.2 catalog, search through its URI template, pages,
tokens, and an app that browses from /opds2 to a valid EPUB."""

from __future__ import annotations

import json
from collections import deque
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from ficarchive.exporting import actions as exporting
from ficarchive.search.index_keeper import get_index
from ficarchive.social.actions.readings import mark_for_later
from ficarchive.works import actions
from tests.conftest import logged_in, post_work
from tests.exporting.feeds import (
    ACQUIRE,
    ACQUISITION,
    OPDS2,
    check_opds,
    check_opds2,
    link_of,
    links,
    rels,
    texts,
)
from tests.exporting.test_opds import basic, make_catalog, path_of


@pytest.fixture
def catalog(alice, bob):
    return make_catalog(alice, bob)


def get(client: Client, href: str, **headers: str) -> dict[str, Any]:
    response = client.get(path_of(href), headers=headers)
    assert response.status_code == 200, (href, response.content[:300])
    assert response["Content-Type"] == OPDS2
    return check_opds2(json.loads(response.content))


def titles(document: dict[str, Any]) -> list[str]:
    return [publication["metadata"]["title"] for publication in document["publications"]]


def expand(template: str, words: str) -> str:
    """The URI template `…/search{?query}` as an app fills it in (RFC 6570)."""
    assert template.endswith("{?query}")
    return template.removesuffix("{?query}") + "?query=" + quote(words)


def test_root_is_a_navigation_feed_with_search_and_the_1_2_catalog(client: Client, catalog):
    root = get(client, "/opds2")
    assert [link["title"] for link in root["navigation"]] == ["Recent works", "Fandoms", "Tags"]
    assert all(link["type"] == OPDS2 for link in root["navigation"])
    assert link_of(root, "self")["href"] == "http://testserver/opds2"
    search = link_of(root, "search")
    assert search == {
        "href": "http://testserver/opds2/search{?query}",
        "rel": "search",
        "type": OPDS2,
        "title": "Search ficarchive",
        "templated": True,
    }
    atom = [link for link in root["links"] if link["type"].startswith("application/atom+xml")]
    assert [link["href"] for link in atom] == ["http://testserver/opds"]


def test_the_1_2_catalog_links_to_the_2_0_catalog(client: Client, catalog):
    feed = check_opds(client.get("/opds").content, client.get("/opds")["Content-Type"])
    alternates = [link for link in links(feed, "alternate") if link.get("type") == OPDS2]
    assert [link.get("href") for link in alternates] == ["http://testserver/opds2"]
    recent = check_opds(client.get("/opds/recent?page=1").content, ACQUISITION)
    assert [link.get("href") for link in links(recent, "alternate")][-1] == (
        "http://testserver/opds2/recent"
    )


def test_publications_carry_the_work_s_metadata_downloads_and_cover(client: Client, catalog, alice):
    gale = post_work(
        alice,
        "Gale",
        fandoms=["Lighthouses"],
        freeforms=["Rain"],
        summary="<p>A keeper &amp; the <em>rain</em>.</p>",
        language="en",
    )
    actions.add_work_to_series(alice, gale, catalog["series"])
    gale.refresh_from_db()
    found = get(client, "/opds2/recent")
    (publication,) = [item for item in found["publications"] if item["metadata"]["title"] == "Gale"]
    metadata = publication["metadata"]
    assert metadata["@type"] == "http://schema.org/Book"
    assert metadata["identifier"] == f"http://testserver/works/{gale.pk}"
    assert [author["name"] for author in metadata["author"]] == ["alice"]
    assert metadata["language"] == "en"
    assert metadata["description"] == "A keeper & the rain."
    assert {"Lighthouses", "Rain"} <= {subject["name"] for subject in metadata["subject"]}
    assert metadata["modified"].startswith(f"{gale.updated_at:%Y-%m-%d}")
    assert metadata["belongsTo"]["series"][0]["name"] == "Weather"
    acquire = {link["type"]: link["href"] for link in publication["links"] if ACQUIRE in rels(link)}
    assert acquire == {
        "application/epub+zip": f"http://testserver/opds2/works/{gale.pk}.epub",
        "text/html": f"http://testserver/opds2/works/{gale.pk}.html",
        "text/plain": f"http://testserver/opds2/works/{gale.pk}.txt",
    }
    (cover,) = publication["images"]
    assert cover["type"] == "image/png"
    assert cover["href"] == "http://testserver/static/ficarchive/opds-cover.png"
    assert finders.find("ficarchive/opds-cover.png")  # a static file, served with the others


@pytest.mark.parametrize(
    "path",
    [
        "recent",
        "tags/Lighthouses?type=fandom",
        "users/alice",
        "users/alice/pseuds/alice",
        "series/{series}",
        "search?q=lighthouses",
        "search?q=gull",
    ],
)
def test_both_catalogs_list_the_same_works_in_the_same_order(client: Client, catalog, path):
    path = path.format(series=catalog["series"].pk)
    atom = check_opds(client.get(f"/opds/{path}").content, ACQUISITION)
    document = get(client, f"/opds2/{path}")
    identifiers = [item["metadata"]["identifier"] for item in document["publications"]]
    assert identifiers and identifiers == texts(atom, "a:entry/a:id")
    assert titles(document) == texts(atom, "a:entry/a:title")


def test_search_through_the_template_finds_what_the_search_page_finds(
    client: Client, catalog, alice
):
    template = link_of(get(client, "/opds2"), "search")["href"]
    found = get(client, expand(template, "lighthouses"))
    assert titles(found) == ["Storm"]  # not the restricted one, nor the draft
    reader = get(client, expand(template, "lighthouses"), **basic("bob"))
    assert sorted(titles(reader)) == ["Members Only", "Storm"]
    assert titles(get(client, expand(template, "bob"))) == ["Calm"]
    assert client.get("/opds2/search?query=").status_code == 400


def test_long_feeds_are_paged(client: Client, alice, settings):
    settings.WORKS_PER_PAGE = 2
    for number in range(5):
        post_work(alice, f"Work {number}")
    first = get(client, "/opds2/recent")
    assert len(first["publications"]) == 2
    assert (
        first["metadata"].items()
        >= {"numberOfItems": 5, "itemsPerPage": 2, "currentPage": 1}.items()
    )
    assert link_of(first, "next")["href"] == "http://testserver/opds2/recent?page=2"
    assert link_of(first, "last")["href"] == "http://testserver/opds2/recent?page=3"
    last = get(client, link_of(first, "last")["href"])
    assert last["metadata"]["currentPage"] == 3
    assert not [link for link in last["links"] if "next" in rels(link)]
    assert link_of(last, "previous")["href"] == "http://testserver/opds2/recent?page=2"


def test_a_reader_s_shelves_need_a_login_and_keep_the_token(client: Client, catalog, carol):
    assert client.get("/opds2/mine").status_code == 401
    token = exporting.create_feed_token(carol).token
    root = get(client, f"/opds2/token/{token}")
    shelves = {link["title"]: link["href"] for link in root["navigation"]}
    assert shelves["Your bookmarks"] == f"http://testserver/opds2/token/{token}/bookmarks"
    mark_for_later(carol, catalog["storm"])
    later = get(client, shelves["Marked for later"])
    assert titles(later) == ["Storm"]
    assert all(token in link["href"] for link in later["links"] if link["type"] == OPDS2)
    assert client.get("/opds2/token/not-a-token/recent").status_code == 404


def test_an_app_browses_from_the_root_to_a_valid_epub(client: Client, catalog, epubcheck):
    """Follow every catalog link from /opds2 (search filled in), then download an EPUB."""
    seen, queue, books = set(), deque(["http://testserver/opds2"]), {}
    while queue and len(seen) < 40:
        href = queue.popleft()
        if href in seen:
            continue
        seen.add(href)
        document = get(client, href)
        for link in document["links"] + document.get("navigation", []):
            if link.get("type") == OPDS2:
                templated = link.get("templated")
                queue.append(expand(link["href"], "storm") if templated else link["href"])
        for publication in document.get("publications", []):
            for link in publication["links"]:
                if ACQUIRE in rels(link) and link["type"] == "application/epub+zip":
                    books[link["href"]] = publication["metadata"]["title"]
    assert set(books.values()) == {"Storm", "Calm"}
    assert any(urlsplit(href).path == "/opds2/search" for href in seen)
    storm = next(href for href, title in books.items() if title == "Storm")
    download = client.get(path_of(storm))
    assert download["Content-Type"] == "application/epub+zip"
    epubcheck(download.content)


def test_catalog_answers_post_with_405_and_unchanged_feeds_with_304(client: Client, catalog):
    assert client.post("/opds2/recent").status_code == 405
    first = client.get("/opds2/recent")
    again = client.get("/opds2/recent", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert first["ETag"] != client.get("/opds/recent")["ETag"]


def test_a_page_of_publications_runs_a_fixed_number_of_queries(
    client: Client, alice, django_assert_max_num_queries
):
    for number in range(8):
        post_work(alice, f"Work {number}", fandoms=[f"Fandom {number}"], freeforms=["Rain"])
    get_index()  # built once per machine, not per request
    with django_assert_max_num_queries(8):
        assert len(get(client, "/opds2/recent")["publications"]) == 8
    with django_assert_max_num_queries(6):
        assert len(get(client, "/opds2/fandoms")["navigation"]) == 8


def test_the_opensearch_description_of_the_2_0_catalog_names_its_format(client: Client):
    from lxml import etree

    root = etree.fromstring(client.get("/opds2/search.xml").content)
    url = root.find("{http://a9.com/-/spec/opensearch/1.1/}Url")
    assert url.get("template") == "http://testserver/opds2/search?q={searchTerms}"
    assert url.get("type") == OPDS2


def test_a_guest_never_sees_restricted_draft_or_hidden_works(client: Client, catalog, alice):
    from ficarchive.moderation.models import Role
    from ficarchive.works.models import Work
    from tests.moderation.holders import holder

    actions.hide_work(holder(Role.POLICY_ABUSE), catalog["calm"], "Plagiarism.")
    assert titles(get(client, "/opds2/recent")) == ["Storm"]
    members = Work.objects.get(title="Members Only")
    draft = Work.objects.get(title="Unposted")
    for work in (members, draft, catalog["calm"]):
        answer = client.get(f"/opds2/works/{work.pk}.epub")
        assert answer.status_code in (401, 404), work.title
        assert not answer.content.startswith(b"PK")
    assert titles(get(logged_in(alice), "/opds2/recent")) == ["Members Only", "Storm"]
