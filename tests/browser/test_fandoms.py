"""The Fandoms pages in a browser: a guest goes from the navigation's "Fandoms" to a media
type's fandoms and a fandom's page, in light and dark at 1280 and 390 px (the `page` fixture
checks every control's contrast); a wrangler sets a fandom's media type on its wrangling page.

Screenshots go to FICARCHIVE_SCREENSHOTS when it names a directory (else the test's own
temporary directory)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from ficarchive.tags import actions as tag_actions
from ficarchive.tags.models import MediaType, Tag, TagType
from tests.browser.screens import each_width, screenshots_dir
from tests.browser.test_tag_autocomplete import log_in
from tests.conftest import make_user, post_work

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_guest_browses_by_fandom_and_a_wrangler_files_one(page, live_server, tmp_path):
    alice, wendy = make_user("alice"), make_user("wendy")
    wendy.groups.add(Group.objects.get(name="Tag wranglers"))
    post_work(
        alice,
        "The Lamp Room",
        fandoms=["Lighthouses"],
        characters=["The Keeper"],
        relationships=["The Keeper/The Gull"],
        freeforms=["Fog"],
    )
    fandom = Tag.objects.get(type=TagType.FANDOM, name="Lighthouses")
    tag_actions.make_canonical(wendy, fandom)
    tag_actions.set_media(wendy, fandom, MediaType.TV)
    shots = screenshots_dir(tmp_path)

    page.goto("/works")
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Fandoms").click()
    expect(page.get_by_role("heading", name="TV Shows")).to_be_visible()
    for path, name in (
        ("/media", "media"),
        ("/media/tv-shows/fandoms", "media-fandoms"),
        ("/fandoms/Lighthouses", "fandom"),
    ):
        page.goto(path)
        for _ in each_width(page, shots, name):
            pass

    page.get_by_role("link", name="The Keeper", exact=True).click()
    expect(page.get_by_text("The Lamp Room").first).to_be_visible()

    log_in(page, live_server, wendy)
    page.goto("/tags/Lighthouses/edit")
    page.get_by_label("Media type").select_option(label="Books & Literature")
    page.get_by_role("button", name="Set media type").click()
    expect(page.get_by_text("“Lighthouses” is listed under Books & Literature.")).to_be_visible()
    page.goto("/media/books-literature/fandoms")
    expect(page.get_by_role("link", name="Lighthouses")).to_be_visible()
