"""Every feed kind and OPDS 1.2 page read by feedparser, the parser of many feed readers: no
parse error, and each entry's title, link, id, date, authors, language and tags as we wrote
them."""

from __future__ import annotations

import feedparser
import pytest
from django.test import Client

from ficarchive.exporting import actions as exporting
from ficarchive.social.actions.subscriptions import subscribe
from ficarchive.works import actions
from tests.conftest import post_work
from tests.exporting.test_opds import basic


@pytest.fixture
def archive(alice, bob, carol):
    """A tag with a space in its name, two creators, a series, a chaptered work, and Carol's
    subscriptions and feed token."""
    storm = post_work(
        alice,
        "Storm & Calm",
        fandoms=["Original Work"],
        freeforms=["Rain"],
        summary="<p>Wet.</p>",
        language="en",
    )
    actions.add_chapter(alice, storm, actions.ChapterDetails(body="<p>Two.</p>", title="Tide"))
    gale = post_work(bob, "Gale", fandoms=["Original Work"], language="de")
    series = actions.create_series(alice, "Weather")
    actions.add_work_to_series(alice, storm, series)
    subscribe(carol, work=storm)
    subscribe(carol, creator=bob)
    subscribe(carol, series=series)
    token = exporting.create_feed_token(carol).token
    return {"storm": storm, "gale": gale, "series": series, "token": token}


def read(client: Client, path: str, **headers: str) -> feedparser.FeedParserDict:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    assert parsed.version == "atom10"
    assert parsed.feed.title and parsed.feed.id.startswith("http://testserver/")
    for entry in parsed.entries:
        assert entry.title and entry.id and entry.link and entry.updated_parsed
        assert entry.get("authors") or parsed.feed.get("authors"), (path, entry.title)
    return parsed


def test_feed_readers_read_every_atom_feed_kind(client: Client, archive):
    storm, series, token = archive["storm"], archive["series"], archive["token"]
    tag = read(client, "/tags/Original%20Work/feed.atom")
    assert [entry.title for entry in tag.entries] == ["Gale", "Storm & Calm"]
    (entry,) = [entry for entry in tag.entries if entry.title == "Storm & Calm"]
    assert entry.link == f"http://testserver/works/{storm.pk}"
    assert entry.language == "en"
    assert entry.summary == "Wet."
    assert {"Original Work", "Rain"} <= {category.term for category in entry.tags}
    assert [author.name for author in entry.authors] == ["alice"]
    assert read(client, "/users/bob/feed.atom").entries[0].language == "de"
    assert [e.title for e in read(client, "/users/alice/pseuds/alice/feed.atom").entries] == [
        "Storm & Calm"
    ]
    assert len(read(client, f"/series/{series.pk}/feed.atom").entries) == 1
    chapters = read(client, f"/works/{storm.pk}/feed.atom")
    assert [entry.title for entry in chapters.entries] == [
        "Storm & Calm: Chapter 2: Tide",
        "Storm & Calm: Chapter 1",
    ]
    news = read(client, f"/feeds/personal/{token}.atom")
    assert "Gale" in [entry.title for entry in news.entries]


def test_feed_readers_read_every_catalog_page(client: Client, archive):
    token, series = archive["token"], archive["series"]
    pages = [
        "/opds",
        "/opds/recent",
        "/opds/fandoms",
        "/opds/tags",
        "/opds/tags/Original%20Work?type=fandom",
        "/opds/users/alice",
        "/opds/users/alice/pseuds/alice",
        f"/opds/series/{series.pk}",
        "/opds/search?q=rain",
        f"/opds/token/{token}",
        f"/opds/token/{token}/bookmarks",
        f"/opds/token/{token}/later",
    ]
    for path in pages:
        read(client, path)
    mine = read(client, "/opds/mine", **basic("alice"))
    assert [entry.title for entry in mine.entries] == ["Storm & Calm"]
    (found,) = read(client, "/opds/search?q=rain").entries
    acquisitions = {
        link.type for link in found.links if link.rel == "http://opds-spec.org/acquisition"
    }
    assert acquisitions == {"application/epub+zip", "text/html", "text/plain"}
