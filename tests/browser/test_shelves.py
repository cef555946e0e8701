"""In Chromium, a reader puts works on a new shelf from their pages, orders the shelf with its
buttons and a numbered place, and downloads it as one EPUB with the works in that order."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from playwright.sync_api import expect

from ficarchive.social.models import Shelf
from tests.browser.test_readers_answer import log_in
from tests.conftest import make_user, post_work

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def shelf_titles(page) -> list[str]:
    return page.locator(".shelf-entry .blurb-title a[href^='/works/']").all_inner_texts()


def test_a_reader_fills_orders_and_downloads_a_shelf(page):
    alice = make_user("alice")
    make_user("carol")
    works = [post_work(alice, title) for title in ("Tide", "Lantern", "Orchard")]

    log_in(page, "carol")
    page.goto(f"/works/{works[0].pk}")
    page.get_by_role("link", name="Add to a shelf").click()
    page.get_by_label("…and a new shelf called").fill("For my sister")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(rf"/works/{works[0].pk}$"))
    expect(page.get_by_text("Put on “For my sister”.")).to_be_visible()

    for work in works[1:]:
        page.goto(f"/works/{work.pk}")
        page.get_by_role("link", name="Add to a shelf").click()
        page.get_by_label("For my sister").check()
        page.get_by_role("button", name="Save", exact=True).click()
        page.wait_for_url(re.compile(rf"/works/{work.pk}$"))

    page.goto("/shelves")
    page.get_by_role("link", name="For my sister").click()
    assert shelf_titles(page) == ["Tide", "Lantern", "Orchard"]

    page.locator(f"#entry_{works[2].pk}").get_by_role("button", name="Move up").click()
    expect(page.locator(".shelf-entry .blurb-title a[href^='/works/']").nth(1)).to_have_text(
        "Orchard"
    )
    assert shelf_titles(page) == ["Tide", "Orchard", "Lantern"]

    row = page.locator(f"#entry_{works[0].pk}")
    row.get_by_label("Move to place").fill("3")
    row.get_by_role("button", name="Move", exact=True).click()
    expect(page.locator(".shelf-entry .blurb-title a[href^='/works/']").nth(2)).to_have_text("Tide")
    assert shelf_titles(page) == ["Orchard", "Lantern", "Tide"]

    with page.expect_download() as fetched:
        page.get_by_role("link", name="EPUB", exact=True).click()
    download = fetched.value
    assert download.suggested_filename == "For my sister.epub"
    with zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read())) as book:
        nav = book.read("EPUB/nav.xhtml").decode()
    assert nav.index("Orchard") < nav.index("Lantern") < nav.index("Tide")
    assert Shelf.objects.get(name="For my sister").entries.count() == 3
