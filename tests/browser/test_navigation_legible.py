"""The navigation's Log out button reads as the links beside it (the buttons' white text once
made it invisible on the header)."""

from __future__ import annotations

import pytest

from tests.browser.contrast import assert_legible
from tests.browser.test_readers_answer import log_in
from tests.conftest import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_log_out_has_the_colour_of_the_navigation_links(page):
    make_user("carol")
    log_in(page, "carol")
    colour = "element => getComputedStyle(element).color"
    button = page.get_by_role("button", name="Log out").evaluate(colour)
    link = page.locator("nav .nav a").first.evaluate(colour)
    header = page.locator("header").evaluate("element => getComputedStyle(element).backgroundColor")
    assert button == link
    assert button != header
    assert_legible(page)
