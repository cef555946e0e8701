"""The pages that hold the buttons drawn as links (Log out, a comment's Hide, Freeze and Approve,
Stop emails and Unsubscribe, Hide this work and Hide works by X, Show again), walked by a reader
and an author: the `page` fixture's check finds every control on them legible in light and dark
(tests/browser/contrast.py). The header and the stats table fit a phone, 390 px wide.

Screenshots at 1280 and 390 px, light and dark, go to FICARCHIVE_SCREENSHOTS when it names a
directory (else the test's own temporary directory)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from ficarchive.accounts.actions import hide_creator, hide_tags, hide_work
from ficarchive.social.actions.comments import post_comment
from ficarchive.social.actions.subscriptions import subscribe
from tests.browser.contrast import MINIMUM, SCHEMES, contrast_of
from tests.browser.screens import PHONE, each_width, screenshots_dir
from tests.browser.test_tag_autocomplete import log_in
from tests.conftest import make_user, post_work
from tests.moderation.report_helpers import moderator

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The rows a set of boxes stands in: boxes whose tops lie within a few pixels share a row.
ROWS = """elements => {
  const tops = elements.map(element => element.getBoundingClientRect().top).sort((a, b) => a - b);
  return tops.filter((top, index) => index === 0 || top - tops[index - 1] > 4).length;
}"""


def link_buttons_read_well(page: Any, *names: str) -> None:
    """Each named button is on the page and reads at 4.5:1 or better in both schemes."""
    for name in names:
        button = page.get_by_role("button", name=name, exact=True).first
        expect(button).to_be_visible()
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            assert contrast_of(button) >= MINIMUM, (name, scheme)
    page.emulate_media(color_scheme="light")


def test_the_buttons_drawn_as_links_read_on_every_page_that_has_them(page, live_server):
    alice, carol, bob = make_user("alice"), make_user("carol"), make_user("bob")
    work = post_work(alice, "Salt and Lanterns", moderate_comments=True)
    post_work(bob, "The Other Shore", fandoms=("Gears of Aldmoor",))
    hidden = post_work(bob, "A Work Carol Hid")
    subscribe(carol, work=work)
    hide_tags(carol, ["Gears of Aldmoor"])
    hide_work(carol, hidden)
    post_comment(carol, work, "The lamp scene was lovely.")

    # A reader: the listing's hide controls, her subscriptions, her filters.
    log_in(page, live_server, carol)
    page.goto("/works")
    link_buttons_read_well(page, "Log out", "Hide this work", "Hide works by alice")
    page.goto("/subscriptions")
    link_buttons_read_well(page, "Stop emails", "Unsubscribe")
    hide_creator(carol, bob)
    page.goto("/preferences/filters")
    link_buttons_read_well(page, "Show again")
    expect(page.get_by_role("button", name="Show again")).to_have_count(3)

    # The author: her comment's Approve, Hide and Freeze.
    page.context.clear_cookies()
    log_in(page, live_server, alice)
    page.goto(f"/works/{work.pk}")
    link_buttons_read_well(page, "Approve", "Hide", "Freeze thread")


def test_the_header_and_the_stats_table_fit_a_phone(page, live_server, tmp_path):
    polly = moderator("polly")  # a moderator's navigation is the longest
    post_work(polly, "A Lighthouse Keeper's Very Long Title For Testing The Stats Table")
    log_in(page, live_server, polly)
    shots = screenshots_dir(tmp_path)
    for path, name in (("/works", "header"), ("/stats", "stats")):
        page.goto(path)
        for width in each_width(page, shots, name):
            # The site's name and the navigation's items stand in at most two rows.
            items = page.locator(".site-header .site-name, .site-header .nav > li")
            rows = items.evaluate_all(ROWS)
            assert rows <= 2, f"the header takes {rows} rows at {width}px"

    # On a phone the stats table scrolls within its own box, and its last column is reachable.
    page.set_viewport_size({"width": PHONE, "height": 900})
    table = page.locator("table.stats-table")
    box = table.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    expect(table.get_by_role("columnheader", name="Subscriptions")).to_be_attached()
