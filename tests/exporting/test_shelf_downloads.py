"""A shelf as one book: its works in the shelf's order, checked by epubcheck and calibre, served
to its reader alone with the same bytes until the shelf or a work changes; in the OPDS catalog,
the reader's shelves, each a feed that opens with the whole shelf."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client, override_settings

from ficarchive.accounts.models import User
from ficarchive.exporting import actions as exporting
from ficarchive.exporting.book import Site, shelf_book
from ficarchive.exporting.downloads import shelf_version
from ficarchive.exporting.formats import epub, txt
from ficarchive.social import actions
from ficarchive.social.models import Shelf
from ficarchive.works.models import Work
from tests.conftest import logged_in, post_work
from tests.exporting.feeds import ACQUIRE, ACQUISITION, NAVIGATION, NS, check_opds, links, texts
from tests.exporting.test_epub import text_of

SITE = Site("ficarchive", "http://testserver")


def files_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture
def shelf(alice: User, bob: User, carol: User) -> Shelf:
    """Carol's shelf "to re-read": Bob's two-chapter "Lantern", then Alice's "Tide"."""
    tide = post_work(alice, "Tide", chapters=["<p>The tide came in.</p>"])
    lantern = post_work(bob, "Lantern", chapters=["<p>One light.</p>", "<p>Two lights.</p>"])
    made = actions.create_shelf(carol, actions.ShelfDetails("to re-read", "For the winter."))
    actions.add_to_shelf(carol, made, lantern)
    actions.add_to_shelf(carol, made, tide)
    return made


def titles(shelf: Shelf) -> list[str]:
    return [work.title for work in shelf.readable_works(shelf.user)]


def test_the_book_holds_the_works_in_the_shelf_s_order_and_passes_epubcheck(
    shelf: Shelf, carol: User, epubcheck, ebook_meta
) -> None:
    data = epub.write(shelf_book(shelf, carol, SITE))
    epubcheck(data)
    files = files_of(data)
    nav = text_of(files["EPUB/nav.xhtml"])
    assert nav.index("Part 1: Lantern") < nav.index("Part 2: Tide")
    assert "About this shelf" in nav
    about = text_of(files["EPUB/series.xhtml"])
    assert "A shelf of 2 works, kept by carol" in about and "For the winter." in about
    # Chapter files are numbered through the book: Lantern's two, then Tide's one.
    assert "Two lights." in text_of(files["EPUB/chapter002.xhtml"])
    assert "The tide came in." in text_of(files["EPUB/chapter003.xhtml"])
    package = files["EPUB/package.opf"].decode()
    assert f">http://testserver/shelves/{shelf.pk}<" in package
    meta = ebook_meta(data)
    assert meta["Title"] == "to re-read"
    assert "bob" in meta["Author(s)"] and "alice" in meta["Author(s)"]


def test_the_text_file_names_the_shelf_and_its_reader(shelf: Shelf, carol: User) -> None:
    text = txt.write(shelf_book(shelf, carol, SITE)).decode()
    assert "A shelf of 2 works, kept by carol" in text
    assert text.index("Lantern") < text.index("Tide")


def test_a_download_is_the_reader_s_alone_and_revalidates(
    shelf: Shelf, carol: User, bob: User
) -> None:
    client = logged_in(carol)
    address = f"/downloads/shelves/{shelf.pk}.epub"
    first = client.get(address)
    assert first.status_code == 200 and first["Content-Type"] == "application/epub+zip"
    assert first["Content-Disposition"] == 'attachment; filename="to re-read.epub"'
    again = client.get(address)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert client.get(address, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    tide = Work.objects.get(title="Tide")
    actions.move_on_shelf(carol, shelf, tide.pk, 1)
    moved = client.get(address, HTTP_IF_NONE_MATCH=first["ETag"])
    assert moved.status_code == 200 and moved["ETag"] != first["ETag"]
    nav = text_of(files_of(moved.content)["EPUB/nav.xhtml"])
    assert nav.index("Part 1: Tide") < nav.index("Part 2: Lantern")

    assert logged_in(bob).get(address).status_code == 404
    guest = Client().get(address)
    assert guest.status_code == 302 and guest["Location"].startswith("/login")


def test_a_work_hidden_after_shelving_is_left_out(shelf: Shelf, carol: User) -> None:
    Work.objects.filter(title="Lantern").update(is_hidden=True)
    answer = logged_in(carol).get(f"/downloads/shelves/{shelf.pk}.txt")
    text = answer.content.decode()
    assert answer.status_code == 200 and "A shelf of 1 work, kept by carol" in text
    assert "Lantern" not in text and "One light." not in text


@override_settings(SHELF_DOWNLOAD_MAX_WORDS=5)
def test_a_shelf_past_the_word_limit_is_refused_with_the_reason(shelf: Shelf, carol: User) -> None:
    client = logged_in(carol)
    answer = client.get(f"/downloads/shelves/{shelf.pk}.epub")
    assert answer.status_code == 422
    assert answer.content.decode() == (
        "“to re-read” holds 8 words; one download holds at most 5. Download its works one by "
        "one, or split the shelf."
    )
    page = client.get(f"/shelves/{shelf.pk}").content.decode()
    assert "This shelf holds 8 words; one download holds at most 5." in page
    assert f"/downloads/shelves/{shelf.pk}.epub" not in page


def test_the_catalog_lists_the_reader_s_shelves_and_each_opens_with_the_whole_shelf(
    shelf: Shelf, carol: User, bob: User
) -> None:
    token = exporting.create_feed_token(carol).token
    client = Client()
    root = check_opds(client.get(f"/opds/token/{token}").content, NAVIGATION)
    assert "Your shelves" in texts(root, "a:entry/a:title")

    answer = client.get(f"/opds/token/{token}/shelves")
    shelves = check_opds(answer.content, NAVIGATION)
    assert texts(shelves, "a:entry/a:title") == ["to re-read"]
    (target,) = [link.get("href") for link in links(shelves.find("a:entry", NS))]
    assert target == f"http://testserver/opds/token/{token}/shelves/{shelf.pk}"

    feed = check_opds(client.get(target).content, ACQUISITION)
    assert texts(feed, "a:entry/a:title") == [
        "to re-read (the whole shelf as one book)",
        "Lantern",
        "Tide",
    ]
    whole = feed.find("a:entry", NS)
    acquire = [link for link in links(whole) if link.get("rel") == ACQUIRE]
    epub_link = next(link for link in acquire if link.get("type") == "application/epub+zip")
    address = epub_link.get("href").removeprefix("http://testserver")
    assert address == f"/opds/token/{token}/shelves/{shelf.pk}.epub"
    book = client.get(address)
    assert book.status_code == 200 and book.content.startswith(b"PK")

    bob_token = exporting.create_feed_token(bob).token
    assert client.get(f"/opds/token/{bob_token}/shelves/{shelf.pk}").status_code == 404
    assert client.get(f"/opds/token/{bob_token}/shelves/{shelf.pk}.epub").status_code == 404
    assert client.get(f"/opds/shelves/{shelf.pk}.epub").status_code == 401
    assert client.get("/opds/shelves").status_code == 401


def test_the_json_catalog_lists_the_shelves_and_their_works(shelf: Shelf, carol: User) -> None:
    client = logged_in(carol)
    shelves = client.get("/opds2/shelves").json()
    assert [link["title"] for link in shelves["navigation"]] == ["to re-read"]
    works = client.get(f"/opds2/shelves/{shelf.pk}").json()
    assert [item["metadata"]["title"] for item in works["publications"]] == ["Lantern", "Tide"]


def test_a_reorder_changes_the_shelf_feed(shelf: Shelf, carol: User) -> None:
    client = logged_in(carol)
    first = client.get(f"/opds/shelves/{shelf.pk}")
    tide = Work.objects.get(title="Tide")
    actions.move_on_shelf(carol, shelf, tide.pk, 1)
    again = client.get(f"/opds/shelves/{shelf.pk}", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    feed = check_opds(again.content, ACQUISITION)
    assert texts(feed, "a:entry/a:title")[1:] == ["Tide", "Lantern"]


def test_a_shelf_s_version_costs_the_same_queries_however_many_works_it_holds(
    shelf: Shelf, alice: User, carol: User, django_assert_max_num_queries
) -> None:
    """The ETag is worked out on every request: a long shelf must not cost a query a work."""
    with django_assert_max_num_queries(4):
        two = shelf_version(shelf, carol, SITE, "epub")
    for number in range(12):
        actions.add_to_shelf(carol, shelf, post_work(alice, f"More {number}"))
    with django_assert_max_num_queries(4):
        fourteen = shelf_version(shelf, carol, SITE, "epub")
    assert fourteen.key != two.key
