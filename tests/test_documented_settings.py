"""Every setting in the README's settings table works from a fresh install.

Each group of settings starts the real server (`ficarchive serve`) once and reads pages through
it: nothing may answer 5xx. The scaled-out group runs on PostgreSQL and Redis (both on this
machine, as in CI); the login limits and WEB_CONCURRENCY are exercised with three processes in
test_one_machine_state.py.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serving import Browser, empty_redis, redis_db, server_errors, serving, work_links
from tests.smtp_sink import Mailbox, smtp_sink
from tests.tools import tool_missing

# The servers started here choose their own databases: once, in the SQLite run of the suite.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="runs once, in the SQLite run of the suite"
)
PAGES = ["/", "/login", "/signup", "/works/search?q=love", "/password/reset", "/api/v1/works"]


def reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A new PostgreSQL database on 127.0.0.1:5432, dropped afterwards."""
    if not reachable(5432):
        tool_missing("PostgreSQL is not reachable on 127.0.0.1:5432")
    import psycopg

    name = f"ficarchive_settings_{os.getpid()}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def redis_url() -> Iterator[str]:
    if not reachable(6379):
        tool_missing("Redis is not reachable on 127.0.0.1:6379")
    number = redis_db(1)
    empty_redis(number)
    yield f"redis://127.0.0.1:6379/{number}"
    empty_redis(number)


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_sink() as box:
        yield box


def no_server_error(browser: Browser, paths: list[str]) -> dict[str, int]:
    statuses = {path: browser.get(path).status for path in paths}
    assert all(status < 500 for status in statuses.values()), statuses
    return statuses


def test_the_scaled_out_settings_serve_pages(
    tmp_path: Path, postgres_database: str, redis_url: str, mailbox: Mailbox
):
    import psycopg
    import redis

    env = {
        "DATABASE_URL": postgres_database,
        "REDIS_URL": redis_url,
        "HTTPS": "1",
        "SITE_NAME": "The Quiet Archive",
        "FICARCHIVE_SOURCE_URL": "https://code.example.org/quiet-archive",
        "SECRET_KEY": "a-secret-key-shared-by-several-servers-" + "x" * 20,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mailbox.port),
        "EMAIL_HOST_USER": "archive",
        "EMAIL_HOST_PASSWORD": "mail-password",
        "EMAIL_USE_TLS": "0",  # the test's SMTP server speaks no TLS
        "DEFAULT_FROM_EMAIL": "The Quiet Archive <noreply@example.org>",
        "WEB_CONCURRENCY": "2",
        "WEB_THREADS": "2",
        "FICARCHIVE_DEMO": "1",
        "FICARCHIVE_LOGIN_FAILURE_WINDOW": "60",
        "SITE_URL": "https://archive.example.org",
        "ALLOWED_HOSTS": "archive.example.org,127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": "https://archive.example.org",
        "SECURE_HSTS_SECONDS": "600",
        "FICARCHIVE_REMOTE_IMAGES": "proxy",
        "FICARCHIVE_REMOTE_IMAGE_MAX_BYTES": "100000",
        "FICARCHIVE_REMOTE_IMAGE_TIMEOUT": "2",
        "FICARCHIVE_STATEMENT_TIMEOUT_MS": "20000",
        "FICARCHIVE_SEARCH_SNAPSHOT_DIR": str(tmp_path / "index-elsewhere"),
        "FICARCHIVE_SEARCH_SNAPSHOT_MINUTES": "5",
    }
    with serving(tmp_path, **env) as plain:
        assert plain.get("/").status == 301, "HTTPS redirects plain requests"
        browser = Browser(plain.base, https=True)
        statuses = no_server_error(browser, PAGES)
        assert statuses["/"] == 200
        home = browser.get("/")
        assert "The Quiet Archive" in home.text
        assert "https://code.example.org/quiet-archive" in home.text
        assert "Secure" in browser.get("/login").headers["Set-Cookie"], "cookies only by HTTPS"
        no_server_error(browser, work_links(home.text)[:3])
        reset = browser.post("/password/reset", {"email": "admin@localhost"})
        assert reset.status == 302
        login = browser.post("/login", {"username": "admin", "password": "not it"})
        assert "do not match an account" in login.text
    assert not server_errors(tmp_path), server_errors(tmp_path)
    assert mailbox.logins == ["archive"]
    assert len(mailbox.messages) == 1, "the reset link went out by SMTP"
    assert "From: The Quiet Archive <noreply@example.org>" in mailbox.messages[0]
    assert "https://archive.example.org/password/reset/" in mailbox.messages[0]
    assert (tmp_path / "index-elsewhere" / "index.snapshot").exists(), "the search index's file"
    assert redis.Redis.from_url(redis_url).dbsize() > 0, "the cache is in Redis"
    assert not (tmp_path / "cache.sqlite3").exists()
    with psycopg.connect(postgres_database.replace("postgres://", "postgresql://")) as db:
        works = db.execute("SELECT count(*) FROM works_work").fetchone()
    assert works is not None and works[0] > 0, "the demo went into PostgreSQL"


def test_the_one_machine_defaults_and_debug_serve_pages(tmp_path: Path):
    env = {
        "DEBUG": "1",
        "FICARCHIVE_WORKER": "1",
        "WEB_CONCURRENCY": "1",
        "HOST": "127.0.0.1",
        "FICARCHIVE_CACHE_MB": "64",
        "FICARCHIVE_REMOTE_IMAGES": "show",
        "FICARCHIVE_SEARCH_SNAPSHOTS": "0",
    }
    with serving(tmp_path, **env) as browser:
        statuses = no_server_error(browser, PAGES)
        assert statuses["/"] == 200
        links = work_links(browser.get("/").text)
        assert links, "the demo archive is loaded"
        no_server_error(browser, links[:3])
        assert browser.get("/works/999999").status == 404
    assert not server_errors(tmp_path), server_errors(tmp_path)
    assert (tmp_path / "ficarchive.sqlite3").exists()
    assert (tmp_path / "cache.sqlite3").exists(), "the cache is the machine-wide file"
    assert not (tmp_path / "search-index").exists(), "each process built its own index"


def test_an_empty_archive_serves_pages(tmp_path: Path):
    with serving(tmp_path, FICARCHIVE_DEMO="0", WEB_CONCURRENCY="1") as browser:
        statuses = no_server_error(browser, PAGES)
        assert statuses["/"] == 200
        assert not re.findall(r'href="/works/\d+"', browser.get("/").text)
    assert not server_errors(tmp_path), server_errors(tmp_path)
