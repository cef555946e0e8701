"""In Chromium, a reader makes a moderated collection, an author adds a work to it from the
work's page, and the owner approves it: the collection page then lists it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ficarchive.collections.models import CollectionItem
from tests.browser.test_readers_answer import log_in
from tests.conftest import make_user, post_work

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_work_joins_a_moderated_collection_once_its_owner_approves(page):
    make_user("carol")
    alice = make_user("alice")
    work = post_work(alice, "Frost Fair")

    log_in(page, "carol")
    page.goto("/collections/new")
    page.get_by_label("Name").fill("winter_fest")
    page.get_by_label("Title").fill("Winter Fest")
    page.get_by_label("Moderated").check()
    page.get_by_role("button", name="Make the collection").click()
    page.wait_for_url(re.compile(r"/collections/winter_fest$"))
    expect(page.get_by_role("heading", name="Winter Fest")).to_be_visible()
    expect(page.get_by_text("No works in this collection yet.")).to_be_visible()
    page.context.clear_cookies()

    log_in(page, "alice")
    page.goto(f"/works/{work.pk}")
    page.get_by_role("link", name="Collections", exact=True).click()
    page.get_by_label("Collection name").fill("winter_fest")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(
        page.get_by_text("The work waits for a moderator of “Winter Fest” to approve it.")
    ).to_be_visible()
    page.context.clear_cookies()

    log_in(page, "carol")
    page.goto("/collections/winter_fest")
    page.get_by_role("link", name=re.compile(r"Works and members \(1 waiting\)")).click()
    page.locator(f"#item_{CollectionItem.objects.get().pk}").get_by_role(
        "button", name="Approve"
    ).click()
    page.goto("/collections/winter_fest")
    expect(page.get_by_role("link", name="Frost Fair")).to_be_visible()
