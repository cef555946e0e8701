"""Every Atom feed kind and every OPDS page kind through the W3C Feed Validator (`feedcheck`,
in the shared tools beside the project), over the real server (`ficarchive serve`).

The validator must report no error at all, except on OPDS pages the one "invalid character in a
URI" of the templated search link (`?q={searchTerms}`) that OPDS clients rely on. Where the
validator or its Python packages are missing the test skips and says why; in CI
(FICARCHIVE_REQUIRE_BROWSER=1) it fails instead.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.serving import server_errors, serving
from tests.tools import tool_missing

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="runs once, in the SQLite run: the feeds' XML is the same on every database",
)

ROOT = Path(__file__).resolve().parents[2]
# The shared tools sit beside the project's checkout: `python ../shared/tools/feedcheck URL…`.
FEEDCHECK = ROOT.parent / "shared" / "tools" / "feedcheck"
PACKAGES = ("lxml", "html5lib", "rdflib")


def feedcheck_command() -> list[str]:
    """How to run the validator, or skip (fail in CI) saying what is missing."""
    found = Path(os.environ.get("FEEDCHECK") or FEEDCHECK)
    if not found.is_file():
        tool_missing(
            f"The W3C Feed Validator is not at {found}: the shared tools' feedcheck sits beside "
            "the project as ../shared/tools/feedcheck (or set FEEDCHECK to its path)."
        )
    missing = [name for name in PACKAGES if importlib.util.find_spec(name) is None]
    if missing:
        tool_missing(f"The W3C Feed Validator needs {', '.join(missing)}: pip install -e '.[dev]'.")
    return [sys.executable, str(found)]


@dataclass(frozen=True)
class Event:
    level: str  # ERROR or warning
    name: str
    line: int
    column: int
    text: str


EVENT = re.compile(r"^  (ERROR|warning) (\w+): line (\d+), column (\d+): (.*)$")


def validate(urls: list[str]) -> dict[str, list[Event]]:
    """Run feedcheck on URLS at once; the events it reported for each."""
    done = subprocess.run(
        [*feedcheck_command(), *urls], capture_output=True, text=True, timeout=300
    )
    report: dict[str, list[Event]] = {}
    current = ""
    for line in done.stdout.splitlines():
        if not line.startswith("  "):
            current = line.rsplit(": ", 1)[0]
            report[current] = []
            continue
        matched = EVENT.match(line)
        assert matched, f"unexpected validator output: {line}\n{done.stdout}{done.stderr}"
        level, name, row, column, text = matched.groups()
        report[current].append(Event(level, name, int(row), int(column), text))
    assert set(report) == set(urls), done.stdout + done.stderr
    return report


def is_search_template(url: str, event: Event) -> bool:
    """Whether EVENT is the one invalid-URI error of the templated search link, and only it:
    the validator reports the first occurrence of each error at the end of its element, with
    the number of further ones."""
    if event.name != "InvalidUriChar" or "occurrences" in event.text:
        return False
    with urllib.request.urlopen(url, timeout=60) as answer:
        lines = answer.read().decode().splitlines()
    before = lines[event.line - 1][: event.column]
    return "{searchTerms}" in before[before.rfind("<link") :]


SETUP = """
from ficarchive.accounts.actions import create_user
from ficarchive.exporting.actions import create_feed_token
from ficarchive.social.actions.bookmarks import BookmarkDetails, save_bookmark
from ficarchive.social.actions.readings import mark_for_later
from ficarchive.social.actions.subscriptions import subscribe
from ficarchive.works.models import Series, Work

reader = create_user("reader", "reader@example.org", "a long pass phrase 77")
works = list(Work.objects.filter(is_draft=False, is_hidden=False).order_by("pk"))
series = Series.objects.order_by("pk").first()
subscribe(reader, work=works[0])
subscribe(reader, creator=works[1].creators[0].user)
subscribe(reader, series=series)
save_bookmark(reader, BookmarkDetails(notes="Lovely"), work=works[0])
save_bookmark(reader, BookmarkDetails(is_private=True), work=works[2])
mark_for_later(reader, works[3])
from ficarchive.collections.actions import CollectionDetails, add_work, create_collection
from ficarchive.social.actions.shelves import ShelfDetails, add_to_shelf, create_shelf
shelf = create_shelf(reader, ShelfDetails("To re-read", "Winter & spring <3"))
add_to_shelf(reader, shelf, works[1])
add_to_shelf(reader, shelf, works[0])
author = works[0].creators[0].user
fest = create_collection(author, CollectionDetails("spring_fest", "Spring & Fest"))
add_work(author, works[0], fest)
print(create_feed_token(reader).token, series.pk, shelf.pk)
"""


def shell(data: Path, code: str) -> str:
    """Run CODE against the server's database in a process of its own; its last line."""
    environment = {**os.environ, "FICARCHIVE_DATA": str(data)}
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL"):
        environment.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-m", "ficarchive.cli", "shell", "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_every_feed_and_catalog_page_passes_the_w3c_feed_validator(tmp_path):
    feedcheck_command()  # skip before starting a server when the validator is missing
    with serving(tmp_path, WEB_CONCURRENCY="2") as browser:
        assert browser.get("/").status == 200
        token, series, shelf = shell(tmp_path, SETUP).split()
        base = browser.base
        feeds = [
            f"{base}/tags/Original%20Work/feed.atom",
            f"{base}/users/hollowoak/feed.atom",
            f"{base}/users/quillfeather/pseuds/Marginalia/feed.atom",
            f"{base}/series/{series}/feed.atom",
            f"{base}/collections/spring_fest/feed.atom",
            f"{base}/works/1/feed.atom",
            f"{base}/feeds/personal/{token}.atom",
        ]
        catalog = f"{base}/opds/token/{token}"
        pages = [
            f"{base}/opds",
            f"{catalog}",
            f"{base}/opds/recent",
            f"{base}/opds/fandoms",
            f"{base}/opds/tags",
            f"{base}/opds/tags/Original%20Work?type=fandom",
            f"{base}/opds/users/hollowoak",
            f"{base}/opds/users/quillfeather/pseuds/Marginalia",
            f"{base}/opds/series/{series}",
            f"{base}/opds/collections/spring_fest",
            f"{base}/opds/search?q=salt",
            f"{catalog}/mine",
            f"{catalog}/bookmarks",
            f"{catalog}/later",
            f"{catalog}/shelves",
            f"{catalog}/shelves/{shelf}",
            f"{catalog}/search?q=lamp",
        ]
        for url in feeds + pages:
            assert browser.get(url.removeprefix(base)).status == 200, url
        report = validate([*feeds, *pages, f"{base}/opds/search.xml"])
        errors = {
            url: [event for event in events if event.level == "ERROR"]
            for url, events in report.items()
        }
        for url in pages:
            errors[url] = [event for event in errors[url] if not is_search_template(url, event)]
        assert not server_errors(tmp_path)
    assert {url: found for url, found in errors.items() if found} == {}
    for url in feeds:  # plain Atom feeds have no templated link
        assert not [event for event in report[url] if event.name == "InvalidUriChar"]


def test_without_the_validator_the_test_skips_saying_why(monkeypatch, tmp_path):
    monkeypatch.delenv("FICARCHIVE_REQUIRE_BROWSER", raising=False)
    monkeypatch.setenv("FEEDCHECK", str(tmp_path / "feedcheck"))
    with pytest.raises(pytest.skip.Exception, match=r"\.\./shared/tools/feedcheck"):
        feedcheck_command()


def test_ci_fails_without_the_validator(monkeypatch, tmp_path):
    monkeypatch.setenv("FICARCHIVE_REQUIRE_BROWSER", "1")
    monkeypatch.setenv("FEEDCHECK", str(tmp_path / "feedcheck"))
    with pytest.raises(pytest.fail.Exception, match="W3C Feed Validator"):
        feedcheck_command()
