"""Every page runs under the strict Content-Security-Policy without a single violation.

The policy allows only the archive's own script files, styles and images. A page that needed
an inline script or style would be broken for readers; Chromium reports each violation as a
`securitypolicyviolation` event, which this test gathers on every page it opens.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ficarchive.social.models import Kudos
from tests.conftest import PASSWORD, make_user, post_work

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def violations(page) -> list[str]:
    return page.evaluate("window.__violations || []")


def test_pages_and_their_scripts_work_under_the_policy(page):
    author = make_user("alice")
    make_user("ada", staff=True)
    work = post_work(
        author,
        "Salt and Lanterns",
        chapters=['<p style="text-align: center">The keeper climbed.</p>', "<p>Two.</p>"],
        freeforms=["Fluff"],
    )
    page.add_init_script(WATCH_VIOLATIONS)
    seen: dict[str, list[str]] = {}

    def visit(path: str) -> None:
        response = page.goto(path)
        assert response is not None and response.status < 400, path
        assert "script-src 'self'" in (response.headers.get("content-security-policy") or "")
        page.wait_for_load_state("networkidle")
        seen[path] = violations(page)

    for path in ("/", f"/works/{work.pk}", "/works/search?q=keeper", "/tags/Fluff/works",
                 "/users/alice", "/login", "/signup", "/api/v1/docs"):  # fmt: skip
        visit(path)

    page.goto("/login")
    page.get_by_label("User name or email").fill("ada")
    page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Log out").wait_for()
    for path in ("/works/new", "/preferences", "/admin/", "/admin/works/work/"):
        visit(path)

    # htmx still posts kudos in place under the policy.
    visit(f"/works/{work.pk}")
    page.get_by_role("button", name="Kudos ♥").click()
    expect(page.get_by_text("ada left kudos on this work!")).to_be_visible()
    assert Kudos.objects.filter(work=work).count() == 1
    seen["kudos"] = violations(page)

    assert {path: found for path, found in seen.items() if found} == {}
