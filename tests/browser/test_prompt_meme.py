"""In Chromium, a prompt meme: its owner opens it, a reader posts an anonymous prompt, another
claims it and fills it with a work from the prompt's link; the prompt then lists the fill, the
work is in the collection, and the prompter finds it in their inbox."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ficarchive.collections import actions
from tests.browser.editing import text_box
from tests.browser.test_gift_exchange import switch_to
from tests.browser.test_readers_answer import log_in
from tests.conftest import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_prompt_is_claimed_and_filled(page):
    carol = make_user("carol")
    make_user("bob")
    make_user("alice")
    actions.create_collection(carol, actions.CollectionDetails("winter_meme", "Winter Meme"))

    log_in(page, "carol")
    page.goto("/collections/winter_meme")
    page.get_by_role("link", name="Make it a prompt meme").click()
    page.get_by_role("button", name="Save the prompt meme").click()
    expect(page.get_by_text("The prompt meme is saved.")).to_be_visible()

    switch_to(page, "bob")
    page.goto("/collections/winter_meme")
    page.get_by_role("link", name="Prompts: post, claim and fill").click()
    page.get_by_label("Fandoms").fill("Moomins")
    page.get_by_label("Characters").fill("Snufkin")
    page.get_by_label(re.compile(r"^Prompt:?$")).fill("Snufkin comes back in January.")
    page.get_by_label(re.compile(r"^Post it anonymously")).check()
    page.get_by_role("button", name="Post the prompt").click()
    expect(page.get_by_text("Your prompt is posted.")).to_be_visible()
    expect(page.get_by_text("Prompted anonymously")).to_be_visible()

    switch_to(page, "alice")
    page.goto("/collections/winter_meme/prompts")
    page.get_by_role("button", name="Claim").click()
    expect(page.get_by_text("1 claim: alice")).to_be_visible()
    page.get_by_role("link", name="Fill it").click()
    expect(page.get_by_text("Your fill for a prompt of “Winter Meme”")).to_be_visible()
    page.get_by_label(re.compile(r"^Title:?$")).fill("January Tracks")
    page.get_by_label("Rating").select_option("General Audiences")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_label("Fandoms").fill("Moomins")
    text_box(page, "Work text").fill("Footprints in the snow led to the bridge.")
    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_url(re.compile(r"/works/\d+"))

    page.goto("/collections/winter_meme/prompts?tag=snufkin")
    expect(page.locator(".prompt-fills").get_by_role("link", name="January Tracks")).to_be_visible()
    page.goto("/collections/winter_meme")
    expect(page.get_by_role("link", name="January Tracks")).to_be_visible()

    switch_to(page, "bob")
    page.goto("/inbox")
    expect(page.get_by_text("Your prompt is filled")).to_be_visible()
    expect(page.get_by_role("link", name="“January Tracks”")).to_be_visible()
