"""In a browser, the search page shows its results first: at 1280 px the first result starts near
the top with the filters beside it; at 390 px the results come before the filters, which a
"Filters" button opens and closes (no script needed), and nothing is wider than the window. The
include field suggests tags as the reader types, and a short form says what it was searched as.
Screenshots at 1280 and 390 px, light and dark, go to FICARCHIVE_SCREENSHOTS when it names a
directory (else the test's own temporary directory)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from ficarchive.accounts.models import User
from tests.browser.screens import screenshots_dir
from tests.browser.test_tag_autocomplete import ensure_fixed_tags
from tests.conftest import post_work
from tests.tags.test_resolving import character, fandom, relationship

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SEARCH = "/works/search?include=Sherlock+%28TV%29"


def seed(author: User) -> None:
    """A handful of works of one fandom, one of them of its canonical pairing."""
    ensure_fixed_tags()
    sherlock_tv = fandom("Sherlock (TV)")
    holmes = character("Sherlock Holmes", sherlock_tv)
    watson = character("John Watson", sherlock_tv)
    johnlock = relationship(holmes, watson)
    post_work(
        author,
        "Baker Street Mornings",
        fandoms=["Sherlock (TV)"],
        relationships=[johnlock.name],
        characters=[holmes.name, watson.name],
        freeforms=["Fluff"],
    )
    for number in range(1, 5):
        post_work(
            author,
            f"The Case of the Missing Teacup {number}",
            fandoms=["Sherlock (TV)"],
            characters=[holmes.name],
            freeforms=["Case Fic"],
        )


def box(locator: Any) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, locator
    return found


def test_results_come_first_and_the_filters_sit_beside_or_fold_away(
    page: Any, live_server: Any, alice: User, tmp_path: Any
) -> None:
    seed(alice)
    shots = screenshots_dir(tmp_path)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(SEARCH)
    results = page.locator("section.search-results")
    sidebar = page.get_by_role("complementary", name="Filters")
    first = page.locator("li.blurb").first
    expect(page.get_by_role("heading", name="5 works found")).to_be_visible()
    assert box(first)["y"] < 400, f"the first result starts {box(first)['y']}px down"
    # The filters are beside the results, open, without a button to press.
    assert box(sidebar)["x"] >= box(results)["x"] + box(results)["width"]
    expect(page.get_by_label("Include tags")).to_be_visible()
    expect(page.locator(".filters-panel > summary")).to_be_hidden()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.screenshot(path=str(shots / f"search-1280-{scheme}.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(color_scheme="light")
    page.goto(SEARCH)
    button = page.locator(".filters-panel > summary")
    include = page.get_by_label("Include tags")
    assert box(page.locator("li.blurb").first)["y"] < 400
    assert box(results)["y"] + box(results)["height"] <= box(button)["y"]
    expect(button).to_have_text("Filters")
    expect(include).to_be_hidden()
    button.click()
    expect(include).to_be_visible()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.screenshot(path=str(shots / f"search-390-{scheme}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow}px wider than the window at 390px"
    button.click()
    expect(include).to_be_hidden()
    # From the keyboard too.
    button.focus()
    page.keyboard.press("Enter")
    expect(include).to_be_visible()
    button.click()
    expect(include).to_be_hidden()
    # The link above the results leads to the filters and opens them.
    page.get_by_role("link", name="Filters ↓").click()
    expect(include).to_be_visible()
    assert box(include)["y"] < 844


def test_include_suggests_tags_and_a_short_form_says_what_it_searched(
    page: Any, live_server: Any, alice: User
) -> None:
    seed(alice)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(SEARCH)
    include = page.get_by_label("Include tags")
    include.fill("Sherlock (TV), holm")
    suggestions = page.locator('[data-tags-for="search-include"]')
    expect(suggestions.get_by_role("button")).to_have_text(
        ["John Watson/Sherlock Holmes", "Sherlock Holmes"]
    )
    suggestions.get_by_role("button", name="Sherlock Holmes", exact=True).click()
    expect(include).to_have_value("Sherlock (TV), Sherlock Holmes, ")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="5 works found")).to_be_visible()

    include = page.get_by_label("Include tags")
    include.fill("Sherlock/John")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="1 work found")).to_be_visible()
    note = page.locator(".search-notes li")
    expect(note).to_have_text(
        re.compile(r"“Sherlock/John” is searched as John Watson/Sherlock Holmes\.")
    )
    expect(page.locator("li.blurb")).to_have_count(1)
    expect(page.locator("li.blurb")).to_contain_text("Baker Street Mornings")
