"""A work an archivist imported for its author reads "Author [archived by Archivist]" wherever
its creators show: the work page, blurbs, search, the API, feeds and the EPUB's metadata."""

from __future__ import annotations

import io
import re
import zipfile

from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.works.models import Work
from tests.conftest import found_titles
from tests.importing.archivists import archived

BYLINE = "Pim Halloway [archived by archie]"


def test_the_work_page_credits_the_author_and_the_archivist(archie: User, client: Client):
    work = archived(archie)
    page = client.get(work.get_absolute_url()).content.decode()
    assert "Pim Halloway" in page
    text = re.sub(r"<[^>]+>", "", page)
    assert BYLINE in text
    assert f'href="{archie.default_pseud.get_absolute_url()}"' in page
    assert work.original_creators == ""  # the byline names her: not again as "Originally by"
    assert "Originally by" not in text


def test_a_blurb_in_a_listing_credits_both(archie: User, client: Client):
    archived(archie)
    page = client.get("/works").content.decode()
    assert BYLINE in re.sub(r"<[^>]+>", "", page)


def test_archived_works_cost_a_listing_no_query_more(
    archie: User, alice: User, client: Client, django_assert_num_queries
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ficarchive.search.index_keeper import get_index
    from tests.conftest import post_work

    for number in range(3):
        post_work(alice, f"Plain {number}")
    client.get("/works")  # warm what is read once per process

    def drawn_afresh() -> None:
        """The next page draws every blurb (none kept) and polls the change log (the index
        has applied the changes before: that is once per change, not per page)."""
        cache.clear()
        index = get_index()
        index.poll()
        index.polled_at = 0.0

    drawn_afresh()
    with CaptureQueriesContext(connection) as plain:
        client.get("/works")
    for number in range(3):
        archived(archie, f"Archived {number}")
    drawn_afresh()
    with django_assert_num_queries(len(plain.captured_queries)):
        page = client.get("/works").content.decode()
    assert page.count("[archived by") == 3


def test_search_finds_the_work_by_its_authors_name(archie: User):
    archived(archie)
    assert found_titles("q=Halloway") == ["The Glass Orchard"]


def test_the_api_names_the_author_beside_the_archivist(archie: User, client: Client):
    work = archived(archie)
    creators = client.get(f"/api/v1/works/{work.pk}").json()["creators"]
    assert creators == [
        {"pseud": "archie", "username": "archie", "byline": BYLINE, "archived_for": "Pim Halloway"}
    ]


def test_the_epub_names_the_author_as_creator_and_the_archivist_as_contributor(
    archie: User, client: Client
):
    work = archived(archie)
    epub = client.get(f"/downloads/works/{work.pk}.epub").content
    with zipfile.ZipFile(io.BytesIO(epub)) as book:
        package = book.read("EPUB/package.opf").decode()
        preface = next(
            book.read(name).decode() for name in book.namelist() if "title.xhtml" in name
        )
    assert re.findall(r"<dc:creator[^>]*>([^<]*)</dc:creator>", package) == ["Pim Halloway"]
    assert re.findall(r"<dc:contributor[^>]*>([^<]*)</dc:contributor>", package) == ["archie"]
    assert ">oth</meta>" in package
    assert "Archivist: " in re.sub(r"<[^>]+>", "", preface)


def test_the_archivists_atom_feed_credits_both(archie: User, client: Client):
    archived(archie)
    feed = client.get("/users/archie/feed.atom").content.decode()
    assert f"<name>{BYLINE}</name>" in feed


def test_an_ordinary_work_keeps_its_plain_byline(alice: User, client: Client):
    from tests.conftest import post_work

    work = post_work(alice)
    assert work.byline_text == "alice"
    assert "archived by" not in client.get(work.get_absolute_url()).content.decode()
    assert Work.objects.with_blurb_data().get().byline_text == "alice"
