"""Every XSS vector of the list, in every text field, stays harmless everywhere it shows.

The archive is built once for the module (inside a transaction rolled back at the end): one
work per vector, posted through the real actions with the vector in each field. Each test then
reads one kind of place and fails with every finding, each naming its vector and its field.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client

from ficarchive.tags.models import TagType
from tests.conftest import make_user
from tests.hostile.archive import HostileArchive, build_hostile_archive
from tests.hostile.checker import Finding
from tests.hostile.surfaces import (
    check_download,
    check_feed,
    check_pages,
    explain,
)
from tests.hostile.vectors import label, xss_vectors

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def hostile(django_db_setup: Any, django_db_blocker: Any) -> Iterator[HostileArchive]:
    with django_db_blocker.unblock(), transaction.atomic():
        archive = build_hostile_archive(make_user("alice"), make_user("carol"))
        yield archive
        transaction.set_rollback(True)


@pytest.fixture
def guest() -> Client:
    return Client()


def _logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_vector_went_into_every_field(hostile: HostileArchive):
    """The suite proves something only if the vectors were stored as typed."""
    assert sorted(n for run in hostile.batches for n in run) == list(range(len(xss_vectors())))
    assert len(xss_vectors()) >= 60
    for index, run in enumerate(hostile.batches):
        work, chapters = hostile.works[index], hostile.chapters[index]
        assert [c.body_format for c in chapters] == ["html", "markdown", "plain"]
        for number in run:
            vector = xss_vectors()[number]
            assert f"{label(number, 'title')} {vector}" in work.title
            assert f"{label(number, 'plain-body')} {vector}" in chapters[2].body_source
            assert f"{label(number, 'comment')} {vector}" in hostile.comments[index][0].body_source


def test_work_pages_hold_no_live_markup(hostile: HostileArchive, guest: Client):
    findings: list[Finding] = []
    for index, work in enumerate(hostile.works):
        for url in (
            f"/works/{work.pk}?view_full_work=true",
            f"/works/{work.pk}/chapters/{hostile.chapters[index][1].pk}",
            f"/works/{work.pk}/navigate",
            f"/works/{work.pk}/bookmarks",
            f"/series/{hostile.series[index].pk}",
            f"/comments/{hostile.comments[index][0].pk}",
            f"/bookmarks/{hostile.bookmarks[index].pk}",
        ):
            check_pages(guest, url, findings)
    assert not findings, explain(findings)


def test_the_forms_holding_what_was_typed_hold_no_live_markup(hostile: HostileArchive):
    """Edit forms show the text as typed, inside inputs and textareas, ready to break out."""
    alice, carol = _logged_in(hostile.alice), _logged_in(hostile.carol)
    pseuds = dict(hostile.alice.pseuds.values_list("name", "pk"))
    findings: list[Finding] = []
    for index, work in enumerate(hostile.works):
        for client, url in (
            (alice, f"/works/{work.pk}/edit"),
            (alice, f"/works/{work.pk}/chapters/{hostile.chapters[index][0].pk}/edit"),
            (alice, f"/series/{hostile.series[index].pk}/edit"),
            (alice, f"/pseuds/{pseuds[hostile.pseuds[index]]}/edit"),
            (carol, f"/comments/{hostile.comments[index][0].pk}/edit"),
            (carol, f"/works/{work.pk}/bookmark"),
        ):
            check_pages(client, url, findings)
    assert not findings, explain(findings)


def test_listings_tags_and_searches_hold_no_live_markup(hostile: HostileArchive, guest: Client):
    findings: list[Finding] = []
    pages = -(-len(hostile.works) // 20)  # every work, twenty to a page
    for url in ("/works", "/works/search?q=title", "/users/alice/works", "/users/carol/bookmarks"):
        assert check_pages(guest, url, findings) == pages, url
    for url in ("/", "/users/alice", "/users/alice/series", "/users/alice/pseuds"):
        assert check_pages(guest, url, findings), url
    for pseud in hostile.pseuds:
        check_pages(guest, f"/users/alice/pseuds/{pseud}", findings)
    # A tag's page is the same for every type; names of every type show in the blurbs above.
    for tag in hostile.tags():
        if tag.type == TagType.FREEFORM:
            check_pages(guest, tag.get_absolute_url(), findings)
    for kind in (TagType.FANDOM, TagType.RELATIONSHIP, TagType.CHARACTER, TagType.FREEFORM):
        check_pages(guest, f"/tags/autocomplete?type={kind}&q=XV", findings)
    assert not findings, explain(findings)


def test_inboxes_and_own_pages_hold_no_live_markup(hostile: HostileArchive):
    findings: list[Finding] = []
    alice, carol = _logged_in(hostile.alice), _logged_in(hostile.carol)
    for client, url in (
        (alice, f"/works/{hostile.works[0].pk}"),  # with the author's controls on comments
        (alice, "/inbox"),
        (alice, "/stats"),
        (alice, "/drafts"),
        (carol, "/inbox"),
        (carol, "/subscriptions"),
        (carol, "/users/carol/bookmarks"),
    ):
        assert check_pages(client, url, findings), url
    assert not findings, explain(findings)


def test_wrangling_and_admin_pages_hold_no_live_markup(hostile: HostileArchive):
    """Tag names reach wranglers and admins first: pages an attacker would most like to reach."""
    ada = make_user("ada", staff=True)
    ada.is_superuser = True
    ada.save()
    admin = _logged_in(ada)
    findings: list[Finding] = []
    fandom = next(t for t in hostile.tags() if t.type == TagType.FANDOM)
    for url in (
        "/wrangling",
        "/wrangling/fandoms",
        f"/wrangling/fandoms/{fandom.get_absolute_url().split('/')[2]}",
        "/admin/works/work/",
        "/admin/works/series/",
        "/admin/tags/tag/",
        "/admin/accounts/pseud/",
        f"/admin/works/work/{hostile.works[0].pk}/change/",
    ):
        assert check_pages(admin, url, findings), url
    for tag in hostile.tags()[:12]:
        check_pages(admin, tag.get_absolute_url().removesuffix("/works") + "/edit", findings)
    assert not findings, explain(findings)


def test_atom_and_opds_feeds_hold_no_live_markup(hostile: HostileArchive, guest: Client):
    findings: list[Finding] = []
    for work, series in zip(hostile.works, hostile.series, strict=True):
        for url in (
            f"/works/{work.pk}/feed.atom",
            f"/series/{series.pk}/feed.atom",
            f"/opds/series/{series.pk}",
        ):
            check_feed(guest, url, findings)
    for url in (
        "/users/alice/feed.atom",
        "/opds",
        "/opds/recent",
        "/opds/fandoms",
        "/opds/tags",
        "/opds/users/alice",
        "/opds/search?q=title",
    ):
        assert check_feed(guest, url, findings), url
    fandoms = [t for t in hostile.tags() if t.type == TagType.FANDOM]
    for tag in fandoms:
        check_feed(guest, f"{tag.get_absolute_url().removesuffix('/works')}/feed.atom", findings)
    for tag in fandoms[:3]:  # the same feed as the Atom one, in the catalog's dress
        check_feed(guest, f"/opds{tag.get_absolute_url().removesuffix('/works')}", findings)
    carol = _logged_in(hostile.carol)
    assert check_feed(carol, "/opds/bookmarks", findings)
    assert not findings, explain(findings)


def test_downloads_hold_no_live_markup(hostile: HostileArchive, guest: Client):
    findings: list[Finding] = []
    for work, series in zip(hostile.works, hostile.series, strict=True):
        for fmt in ("epub", "html"):
            check_download(guest, f"/downloads/works/{work.pk}.{fmt}", findings)
            check_download(guest, f"/downloads/series/{series.pk}.{fmt}", findings)
    # A text download is harmless if it says it is plain text, whatever it holds.
    check_download(guest, f"/downloads/works/{hostile.works[0].pk}.txt", findings)
    check_download(guest, f"/downloads/series/{hostile.series[0].pk}.txt", findings)
    assert not findings, explain(findings)


def test_the_api_answers_json_no_browser_renders(hostile: HostileArchive):
    """The API gives the text as typed, as JSON that browsers do not sniff into HTML."""
    reader = _logged_in(hostile.carol)  # a guest's request limit is lower than this test needs
    problems = []
    urls = [f"/api/v1/works?{urlencode({'q': 'title', 'sort': xss_vectors()[0]})}"]
    for work, series in zip(hostile.works, hostile.series, strict=True):
        urls += [f"/api/v1/works/{work.pk}", f"/api/v1/works/{work.pk}/comments"]
        urls.append(f"/api/v1/series/{series.pk}")
    for url in urls:
        response = reader.get(url)
        if response.status_code != 200 and "sort=" not in url:
            problems.append(f"{url}: status {response.status_code}")
        kind = response.get("Content-Type", "")
        if not kind.startswith("application/json"):
            problems.append(f"{url}: {response.status_code} served as {kind!r}")
        if response.get("X-Content-Type-Options") != "nosniff":
            problems.append(f"{url}: browsers may sniff it")
        json.loads(response.content)
    assert not problems, "\n".join(problems)
    title = reader.get(f"/api/v1/works/{hostile.works[0].pk}").json()["title"]
    assert title == hostile.works[0].title  # as typed, escaped by JSON alone
