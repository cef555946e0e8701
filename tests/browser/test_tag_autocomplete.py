"""In a browser, the posting form's tag fields suggest tags as the author types (htmx), and a
picked suggestion takes the place of the name being typed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from ficarchive.tags.models import FIXED_TAGS, Tag, TagType
from ficarchive.works.models import Work
from tests.browser.contrast import assert_legible
from tests.browser.editing import text_box
from tests.tags.test_resolving import character, fandom

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def ensure_fixed_tags() -> None:
    """The fixed tags the migrations make, which an earlier live-server test may have flushed."""
    for tag_type, names in FIXED_TAGS.items():
        for name in names:
            Tag.objects.get_or_create(type=tag_type, name=name, defaults={"canonical": True})


def log_in(page: Any, live_server: Any, user: Any) -> None:
    """Sign USER in to the browser with a session made by the test client."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_author_picks_a_suggested_character_of_her_fandom(page, live_server, alice):
    ensure_fixed_tags()
    bnha = fandom("My Hero Academia")
    todoroki = character("Todoroki Shouto", bnha)
    character("Shouto Sakamaki", fandom("Harry Potter - J. K. Rowling"))
    log_in(page, live_server, alice)
    page.goto("/works/new")
    page.get_by_label(re.compile(r"^Title:?$")).fill("Ice and Fire")
    page.get_by_label("Rating").select_option("General Audiences")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_label("Fandoms").fill("My Hero Academia")
    characters = page.get_by_label("Characters")
    characters.fill("Deku, Sho")
    suggestions = page.locator('[data-tags-for="id_characters"]')
    expect(suggestions.get_by_role("button")).to_have_text(["Todoroki Shouto"])
    assert_legible(page)  # the suggestions came after the page loaded
    suggestions.get_by_role("button", name="Todoroki Shouto").click()
    expect(characters).to_have_value("Deku, Todoroki Shouto, ")
    expect(suggestions.get_by_role("button")).to_have_count(0)
    text_box(page, "Work text").fill("Half cold, half hot.")
    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_url(re.compile(r"/works/\d+"))
    work = Work.objects.get()
    assert list(Work.objects.tagged(todoroki)) == [work]
    assert Tag.objects.filter(type=TagType.CHARACTER, name="Deku").exists()
