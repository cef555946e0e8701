"""One state for the whole machine: three server processes count, limit and cache as one.

Each test starts the real server (`ficarchive serve`, gunicorn with three processes) and talks
to it over HTTP, once with the default machine-wide SQLite cache and once with Redis.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.serving import Browser, empty_redis, redis_db, server_errors, serving, work_links

# The servers started here choose their own databases: once, in the SQLite run of the suite.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="runs once, in the SQLite run of the suite"
)
PROCESSES = "3"
LOGIN_LIMIT = 4
FLUSH_AT = "7"  # hits move to the database every few views, so that moves happen while reading
REQUESTS = 45


@pytest.fixture(scope="module", params=["machine", "redis"])
def server(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[Browser]:
    tmp_path = tmp_path_factory.mktemp(f"serve-{request.param}")
    env = {
        "WEB_CONCURRENCY": PROCESSES,
        "WEB_THREADS": "2",
        "FICARCHIVE_HITS_FLUSH_AT": FLUSH_AT,
        "FICARCHIVE_LOGIN_FAILURE_LIMIT": str(LOGIN_LIMIT),
        "FICARCHIVE_LOGIN_FAILURE_LIMIT_PER_ADDRESS": "1000",
    }
    if request.param == "redis":
        number = redis_db(0)
        empty_redis(number)
        env["REDIS_URL"] = f"redis://127.0.0.1:6379/{number}"
    with serving(tmp_path, **env) as browser:
        yield browser
    if request.param == "redis":
        empty_redis(number)
    assert not server_errors(tmp_path), server_errors(tmp_path)


def hits_on(page: str) -> int:
    found = re.search(r"<dt>Hits:</dt><dd>([\d,]+)</dd>", page)
    assert found, "the work page shows its hits"
    return int(found.group(1).replace(",", ""))


def a_work_page(browser: Browser) -> str:
    """The address of a demo work that a guest reads without an adult-content notice."""
    for link in work_links(browser.get("/").text):
        if "<dt>Hits:</dt>" in browser.get(link).text:
            return link
    raise AssertionError("no demo work page shows its hits")


def test_hits_only_ever_grow_and_count_every_visitor(server: Browser):
    page = a_work_page(server)
    first = hits_on(Browser(server.base, agent="reader-first").get(page).text)

    def reader(number: int) -> list[int]:
        """One reader's reloads, each as a new visitor (a new browser)."""
        return [
            hits_on(Browser(server.base, agent=f"reader-{number}-{view}").get(page).text)
            for view in range(REQUESTS)
        ]

    with ThreadPoolExecutor(3) as pool:
        seen = list(pool.map(reader, range(3)))
    for shown in seen:
        assert shown == sorted(shown), f"hits went down on a reload: {shown}"
        assert shown[0] >= first + 1
    last = hits_on(Browser(server.base, agent="reader-last").get(page).text)
    assert last == first + 1 + 3 * REQUESTS, "every visitor counted once, by whichever process"


@pytest.mark.parametrize("kind", ["work", "home", "search", "feed"])
def test_a_valid_etag_gets_304_from_every_process(server: Browser, kind: str):
    page = {"work": a_work_page(server), "home": "/", "search": "/works/search?sort=kudos",
            "feed": "/opds/recent"}[kind]  # fmt: skip
    server.get(page)  # a work's first view counts a hit, which the page then shows
    etag = server.get(page).headers["ETag"]
    answers = [server.get(page, **{"If-None-Match": etag}).status for _ in range(REQUESTS)]
    assert answers == [304] * REQUESTS


def test_the_login_limit_is_the_configured_number(server: Browser):
    def attempt(name: str, number: int) -> str:
        browser = Browser(server.base, agent=f"attempt-{number}")
        browser.get("/login")
        answer = browser.post("/login", {"username": name, "password": f"wrong {number}"})
        if "do not match an account" in answer.text:
            return "refused"
        assert "Too many failed log-ins" in answer.text
        return "limited"

    one_by_one = [attempt("admin", number) for number in range(LOGIN_LIMIT + 8)]
    assert one_by_one == ["refused"] * LOGIN_LIMIT + ["limited"] * 8
    with ThreadPoolExecutor(6) as pool:
        at_once = list(pool.map(lambda number: attempt("someone", number), range(18)))
    assert at_once.count("refused") == LOGIN_LIMIT, "all at once, still only the limit"


def test_guessed_koreader_keys_meet_the_same_limit_in_every_process(server: Browser):
    """Wrong device keys count as failed log-ins of the name, whichever process answers."""

    def guess(name: str, number: int) -> int:
        browser = Browser(server.base, agent=f"koreader-{number}")
        headers = {
            "accept": "application/vnd.koreader.v1+json",
            "x-auth-user": name,
            "x-auth-key": f"{number:032x}",
        }
        return browser.get("/kosync/users/auth", **headers).status

    one_by_one = [guess("kobo-owner", number) for number in range(LOGIN_LIMIT + 6)]
    assert one_by_one == [401] * LOGIN_LIMIT + [429] * 6
    with ThreadPoolExecutor(6) as pool:
        at_once = list(pool.map(lambda number: guess("kindle-owner", number), range(18)))
    assert at_once.count(401) == LOGIN_LIMIT, "all at once, still only the limit"
    assert at_once.count(429) == 18 - LOGIN_LIMIT


def kudos_shown(page: str, work_id: int) -> int:
    """The kudos the blurb of the work WORK_ID shows on a listing page."""
    blurb = page.split(f'id="work_{work_id}"', 1)[1].split('<li class="blurb"', 1)[0]
    found = re.search(r"<dt>Kudos:</dt><dd>([\d,]+)</dd>", blurb)
    return int(found.group(1).replace(",", "")) if found else 0


def test_a_kept_page_is_one_page_in_every_process_and_follows_a_change_at_once(server: Browser):
    """The guest's search page and the feeds are kept whole in the machine's shared cache:
    every process serves the same bytes, and a change through one process shows in every
    process as soon as it has read the change log (other processes' changes: within
    POLL_EVERY, a quarter of a second), never an older page after that."""
    work = a_work_page(server)
    work_id = int(re.search(r"/works/(\d+)", work).group(1))
    search, feed = "/works/search?sort=kudos&per_page=100", "/opds/recent"

    def every_answer(path: str) -> set[str]:
        with ThreadPoolExecutor(6) as pool:
            return set(pool.map(lambda n: Browser(server.base, agent=f"g{n}").get(path).text,
                                range(REQUESTS)))  # fmt: skip

    pages = every_answer(search)
    assert len(pages) == 1
    before = kudos_shown(next(iter(pages)), work_id)
    assert len(every_answer(feed)) == 1
    tags = {Browser(server.base).get(feed).headers["ETag"] for _ in range(REQUESTS)}
    assert len(tags) == 1
    guest = Browser(server.base, agent="kudos-giver")
    guest.get(work)
    assert guest.post(f"/works/{work_id}/kudos", {}).status in (200, 302)
    deadline = time.monotonic() + 10
    while {kudos_shown(page, work_id) for page in every_answer(search)} != {before + 1}:
        assert time.monotonic() < deadline, "every process shows the kudos"
    assert {kudos_shown(page, work_id) for page in every_answer(search)} == {before + 1}
    changed = {Browser(server.base).get(feed).headers["ETag"] for _ in range(REQUESTS)}
    assert len(changed) == 1 and changed != tags, "the feed names the change, in every process"
