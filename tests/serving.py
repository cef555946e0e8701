"""The real server (`ficarchive serve`: gunicorn with several processes) started for a test,
and a small HTTP client for it that keeps cookies and sends the CSRF token as a browser does."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

START_SECONDS = 180


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass
class Browser:
    """One reader: its own cookies and user agent, no redirects followed. With `https`, every
    request comes as through an HTTPS proxy (`X-Forwarded-Proto: https`)."""

    base: str
    agent: str = "ficarchive-test"
    https: bool = False
    cookies: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None  # the server, leader of its process group

    def request(
        self,
        path: str,
        *,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        opener = urllib.request.build_opener(_NoRedirect())
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        sent = {"User-Agent": self.agent}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if self.https:
            sent["X-Forwarded-Proto"] = "https"
        if data is not None:
            origin = self.base.replace("http://", "https://") if self.https else self.base
            sent |= {"X-CSRFToken": self.cookies.get("csrftoken", ""), "Referer": origin + path}
        wanted = urllib.request.Request(self.base + path, data=body, headers=sent | (headers or {}))
        try:
            with opener.open(wanted, timeout=60) as answer:
                reply = Reply(answer.status, dict(answer.headers), answer.read().decode())
                set_cookies = answer.headers.get_all("Set-Cookie") or []
        except urllib.error.HTTPError as error:
            reply = Reply(error.code, dict(error.headers), error.read().decode())
            set_cookies = error.headers.get_all("Set-Cookie") or []
        for cookie in set_cookies:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        return reply

    def get(self, path: str, **headers: str) -> Reply:
        return self.request(path, headers=headers)

    def post(self, path: str, data: dict[str, str]) -> Reply:
        return self.request(path, data=data)


@contextmanager
def serving(data: Path, **env: str) -> Iterator[Browser]:
    """`ficarchive serve` on a free port with DATA as FICARCHIVE_DATA and ENV on top of the
    environment (SQLite unless ENV names a DATABASE_URL; no task worker unless asked for)."""
    port = free_port()
    environment = {**os.environ, "FICARCHIVE_WORKER": "0", "FICARCHIVE_DEMO": "1"}
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "PYTEST_XDIST_WORKER"):
        environment.pop(name, None)
    environment |= {"FICARCHIVE_DATA": str(data), "PORT": str(port), **env}
    log = (data / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "ficarchive.cli", "serve"],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a test can kill it with every process it started
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if server.poll() is not None:
                raise AssertionError(f"the server stopped: {(data / 'server.log').read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("the server did not answer") from None
                time.sleep(0.3)
        yield Browser(base, process=server)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def work_links(page: str) -> list[str]:
    return sorted(set(re.findall(r'href="(/works/\d+)"', page)))


SERVER_FAULTS = ("Internal Server Error", "Error handling request", "Exception in worker")


def server_errors(data: Path) -> str:
    """The server's log if it tells of a 5xx answer or a crashed process, else ""."""
    log = (data / "server.log").read_text()
    return log if any(fault in log for fault in SERVER_FAULTS) else ""


def redis_db(purpose: int) -> int:
    """A Redis database number of this test run's own for PURPOSE (0 or 1): xdist workers run
    side by side, each with its own numbers, from 2 to 15."""
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw6").removeprefix("gw")) % 7
    return 2 + 2 * worker + purpose


def empty_redis(number: int) -> None:
    """Empty Redis database NUMBER on 127.0.0.1:6379 (CI has it; elsewhere the test skips)."""
    import redis

    from tests.tools import tool_missing

    try:
        redis.Redis(host="127.0.0.1", port=6379, db=number).flushdb()
    except redis.ConnectionError:
        tool_missing("Redis is not reachable on 127.0.0.1:6379 (Debian's redis-server)")
