"""The nastiest XSS vectors in headless Chromium: pages holding them open, and nothing runs.

The vectors that set `window.__xss` (and others that call alert()) are posted in every field;
Chromium then loads the pages that show them, as a guest, a reader and the author. No dialog may
open, `window.__xss` must stay unset and no request may go to the vectors' hosts. The
Content-Security-Policy is bypassed, so that what is proved is the markup, not the policy.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from tests.conftest import make_user
from tests.hostile.archive import build_hostile_archive
from tests.hostile.vectors import nastiest, xss_vectors

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ATTACKER_HOSTS = ("xss.example", "evil.example")
SETTLE_MS = 200


def _chosen() -> list[int]:
    """The vectors that set the flag, and one of each other kind that calls alert()."""
    kinds = ("<script", "<img", "<svg", "<math", "<a ", "<iframe", "<form", '"', "'")
    others = [
        next(n for n, v in enumerate(xss_vectors()) if v.startswith(kind) and "alert(" in v)
        for kind in kinds
    ]
    return sorted(set(nastiest()) | set(others))


class Watch:
    """What a page did that it must not: dialogs, the flag, requests to the attacker."""

    def __init__(self, context: Any) -> None:
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        context.route("**/*", self._route)
        self.page = context.new_page()
        self.page.set_default_timeout(15_000)
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route: Any) -> None:
        url = route.request.url
        if any(host in url for host in ATTACKER_HOSTS):
            self.requests.append(url)
            route.abort()
        else:
            route.continue_()

    def open(self, url: str) -> list[str]:
        """Load URL and return what went wrong there."""
        response = self.page.goto(url, wait_until="load")
        assert response is not None and response.status == 200, url
        return self.problems(url)

    def problems(self, url: str) -> list[str]:
        # Handlers fire on load, on failed images and on autofocus: all within a few frames.
        self.page.wait_for_timeout(SETTLE_MS)
        problems = []
        if self.page.evaluate("() => window.__xss"):
            problems.append(f"{url}: window.__xss was set")
        if self.dialogs:
            problems.append(f"{url}: dialogs opened: {self.dialogs}")
        if self.requests:
            problems.append(f"{url}: requests to the attacker: {self.requests}")
        self.dialogs.clear()
        self.requests.clear()
        return problems


@pytest.fixture
def contexts(browser: Any, live_server: Any) -> Iterator[Any]:
    opened: list[Any] = []

    def open_context(user: Any = None) -> Any:
        context = browser.new_context(base_url=live_server.url, bypass_csp=True)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies["sessionid"].value
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


def test_pages_holding_the_nastiest_vectors_run_nothing(contexts: Any):
    # The watch sees a vector that runs, and a dialog.
    watch = Watch(contexts())
    watch.page.set_content('<img src="x" onerror="window.__xss=1; alert(2)">')
    assert len(watch.problems("a page of raw vectors")) == 2

    alice, carol = make_user("alice"), make_user("carol")
    archive = build_hostile_archive(alice, carol, _chosen())
    problems: list[str] = []
    for user, urls in (
        (None, [f"/works/{w.pk}?view_full_work=true" for w in archive.works]),
        (None, [f"/series/{s.pk}" for s in archive.series]),
        (None, ["/works", "/works/search?q=title", "/users/carol/bookmarks", "/users/alice"]),
        (carol, ["/inbox", f"/works/{archive.works[0].pk}/chapters/{archive.chapters[0][1].pk}"]),
        (alice, ["/inbox", f"/works/{archive.works[0].pk}/edit"]),
    ):
        watch = Watch(contexts(user))
        for url in urls:
            problems.extend(watch.open(url))
    assert not problems, "\n".join(problems)
