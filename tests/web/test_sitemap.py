"""sitemap.xml: an index of paged sitemaps of public works, series, tags and creators, built
from SITE_URL; nothing a guest may not read, or that a banned account made, is in it."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.test import Client, override_settings

from ficarchive.accounts.models import User
from ficarchive.moderation.actions import sanctions
from ficarchive.tags import actions as tag_actions
from ficarchive.works import actions
from tests.conftest import make_user, post_work

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def xml(path: str) -> ElementTree.Element:
    response = Client().get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)


def local(address: str) -> str:
    assert address.startswith(settings.SITE_URL), address
    return address[len(settings.SITE_URL) :]


def index() -> list[str]:
    return [local(loc.text or "") for loc in xml("/sitemap.xml").findall("s:sitemap/s:loc", NS)]


def every_address() -> list[str]:
    found = []
    for page in index():
        found += [local(loc.text or "") for loc in xml(page).findall("s:url/s:loc", NS)]
    return found


def test_the_index_names_a_sitemap_per_kind_of_page(db: Any) -> None:
    assert index() == [
        "/sitemap-works.xml",
        "/sitemap-series.xml",
        "/sitemap-tags.xml",
        "/sitemap-creators.xml",
    ]


def test_public_works_series_tags_and_creators_are_listed_with_lastmod(
    alice: User, ada: User
) -> None:
    work = post_work(alice, "Public", freeforms=["Slow Burn", "unwrangled"])
    [tag] = tag_actions.find_or_create_tags("freeform", ["Slow Burn"])
    tag_actions.make_canonical(ada, tag)
    series = actions.create_series(alice, "Tales")
    actions.add_work_to_series(alice, work, series)
    addresses = every_address()
    assert f"/works/{work.pk}" in addresses
    assert f"/series/{series.pk}" in addresses
    assert "/tags/Slow%20Burn/works?type=freeform" in addresses
    assert "/tags/unwrangled/works?type=freeform" not in addresses  # canonical tags only
    assert "/users/alice" in addresses
    works = xml("/sitemap-works.xml").findall("s:url", NS)
    [lastmod] = [url.findtext("s:lastmod", namespaces=NS) for url in works]
    assert lastmod and lastmod.startswith(str(work.updated_at.date()))
    [entry] = [e for e in xml("/sitemap.xml").findall("s:sitemap", NS)][:1]
    assert entry.findtext("s:lastmod", namespaces=NS)


def test_nothing_a_guest_may_not_read_is_listed(alice: User, bob: User, ada: User) -> None:
    public = post_work(bob, "Open", freeforms=["Shown Tag"])
    hidden = actions.hide_work(ada, post_work(alice, "Hidden", freeforms=["Hidden Tag"]))
    restricted = post_work(alice, "Restricted", restricted=True, freeforms=["Members Tag"])
    draft = post_work(alice, "Draft", draft=True, freeforms=["Draft Tag"])
    series = actions.create_series(alice, "Only restricted")
    actions.add_work_to_series(alice, restricted, series)
    addresses = every_address()
    assert f"/works/{public.pk}" in addresses
    for work in (hidden, restricted, draft):
        assert f"/works/{work.pk}" not in addresses
    assert f"/series/{series.pk}" not in addresses
    assert not [a for a in addresses if "Hidden" in a or "Members" in a or "Draft" in a]
    assert "/users/bob" in addresses and "/users/alice" not in addresses


def test_a_held_work_is_not_listed(alice: User, settings: Any) -> None:
    settings.SPAM_BASE_POINTS = 2.0
    work = post_work(alice, "Held", summary="<p>https://followers.example.com</p>")
    settings.SPAM_BASE_POINTS = -2.0
    assert work.is_held
    assert f"/works/{work.pk}" not in every_address()


def test_a_banned_accounts_works_and_profile_are_not_listed(alice: User, ada: User) -> None:
    work = post_work(alice, "Before the ban")
    assert f"/works/{work.pk}" in every_address()
    sanctions.ban(ada, alice, "Threats.")
    addresses = every_address()
    assert f"/works/{work.pk}" not in addresses
    assert "/users/alice" not in addresses


def test_a_canonical_tag_used_only_through_a_synonym_is_listed(alice: User, ada: User) -> None:
    post_work(alice, "Tagged", freeforms=["slowburn"])
    [synonym, canonical] = tag_actions.find_or_create_tags("freeform", ["slowburn", "Slow Burn"])
    tag_actions.make_canonical(ada, canonical)
    tag_actions.make_synonym(ada, synonym, canonical)
    addresses = every_address()
    assert "/tags/Slow%20Burn/works?type=freeform" in addresses
    assert "/tags/slowburn/works?type=freeform" not in addresses


def test_sitemaps_come_in_pages_of_the_set_size(db: Any) -> None:
    author = make_user("prolific")
    works = [post_work(author, f"Work {n}") for n in range(5)]
    with override_settings(SITEMAP_PAGE_SIZE=2):
        pages = [page for page in index() if page.startswith("/sitemap-works.xml")]
        assert pages == [
            "/sitemap-works.xml",
            "/sitemap-works.xml?p=2",
            "/sitemap-works.xml?p=3",
        ]
        listed = [local(loc.text or "") for p in pages for loc in xml(p).findall(".//s:loc", NS)]
        assert listed == [f"/works/{work.pk}" for work in works]
        assert Client().get("/sitemap-works.xml?p=4").status_code == 404
    assert Client().get("/sitemap-nothing.xml").status_code == 404


@pytest.mark.parametrize("size", ["0", "50001", "many"])
def test_a_page_size_out_of_bounds_is_refused_naming_the_setting(size: str) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "FICARCHIVE_SITEMAP_PAGE_SIZE": size}
    done = subprocess.run(
        [sys.executable, "-c", "import ficarchive.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "FICARCHIVE_SITEMAP_PAGE_SIZE" in done.stderr


def test_addresses_use_site_url_not_the_requests_host(alice: User, settings: Any) -> None:
    settings.SITE_URL = "https://fics.example.org"
    settings.ALLOWED_HOSTS = ["testserver"]
    work = post_work(alice, "Public")
    response = Client().get("/sitemap-works.xml")
    assert f"<loc>https://fics.example.org/works/{work.pk}</loc>" in response.content.decode()
    assert (
        "https://fics.example.org/sitemap-works.xml"
        in Client().get("/sitemap.xml").content.decode()
    )
