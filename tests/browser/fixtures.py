"""Browser fixtures, registered for every test by tests/conftest.py so that one Chromium serves
tests/browser and the hostile suite alike (two would each start Playwright's event loop in the
same thread). Browser tests drive Debian's chromium through Playwright against a live server.

Every page a test's `page` opens is checked for illegible controls (tests/browser/contrast.py)
in light and dark, when it loads and at the test's end; any under 4.5:1 fail the test.

Without chromium the tests skip and say what to install; with FICARCHIVE_REQUIRE_BROWSER=1 (set
by CI) a missing browser is a failure instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.contrast import PageChecker, illegible_in_both_schemes, report
from tests.tools import find_tool, tool_missing

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _chromium_path() -> str | None:
    path = find_tool("chromium", default=CHROMIUM)
    return path if path and os.access(path, os.X_OK) else None


@pytest.fixture(scope="session")
def browser(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    path = _chromium_path()
    if path is None:
        tool_missing(
            "Browser tests need Debian's chromium: `apt-get install chromium` "
            "(or set CHROMIUM to its path)."
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own database calls
    # are synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from django.db import connections

    wrappers = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        # Playwright's greenlet gives this thread a context of its own, where Django would open
        # new connections without the test database's serialized contents; keep the old ones.
        for alias, wrapper in wrappers.items():
            connections[alias] = wrapper
        browser = playwright.chromium.launch(executable_path=path, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    checker = PageChecker(browser)

    def loaded(loaded: Any) -> None:
        # Django's own admin pages wear Django's stylesheet, not ours.
        if not urlsplit(loaded.url).path.startswith("/admin/"):
            checker.loaded(loaded)

    page.on("load", loaded)
    yield page
    illegible = checker.found
    # What the test's last steps changed in place, on the page itself now that the test is done.
    if page.url.startswith(live_server.url) and not urlsplit(page.url).path.startswith("/admin/"):
        illegible.extend(illegible_in_both_schemes(page))
    checker.close()
    context.close()
    if illegible:
        pytest.fail(report(illegible), pytrace=False)
