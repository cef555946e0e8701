"""The real server (`ficarchive serve`, three gunicorn processes) builds the search index once,
every process maps that one file, and a restart maps it again instead of reading the archive."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from ficarchive.serve import MALLOC_THRESHOLDS
from tests.serving import Browser, server_errors, serving, work_links

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="runs once, in the SQLite run of the suite"
)
SNAPSHOT = Path("search-index") / "index.snapshot"


def processes_mapping(path: Path) -> set[int]:
    """The processes of this machine that map PATH."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                maps = (entry / "maps").read_text()
            except OSError:
                continue
            if str(path) in maps:
                found.add(int(entry.name))
    return found


def searched(browser: Browser) -> list[str]:
    page = browser.get("/works/search?q=&sort=title")
    assert page.status == 200
    return work_links(page.text)


def test_three_processes_map_one_index_and_a_restart_maps_it_again(tmp_path: Path) -> None:
    file = tmp_path / SNAPSHOT
    env = {"WEB_CONCURRENCY": "3", "WEB_THREADS": "2"}
    with serving(tmp_path, **env) as browser:
        before = searched(browser)
        assert before, "the demo works are found"
        written = os.stat(file)
        for _ in range(10):
            assert searched(browser) == before
        deadline = time.monotonic() + 30  # gunicorn starts its processes one after another
        while len(processes_mapping(file)) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
        workers = processes_mapping(file)
        assert len(workers) >= 3, "each server process maps the snapshot"
        for pid in workers:  # with malloc's thresholds fixed (serve.server_environment)
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            for name, value in MALLOC_THRESHOLDS.items():
                assert f"{name}={value}".encode() in environ
        assert os.stat(file).st_ino == written.st_ino, "no process wrote another"
    log = (tmp_path / "server.log").read_text()
    assert re.search(r"Built the search index: \d+ works in [\d.]+ s\.", log)
    assert not server_errors(tmp_path), server_errors(tmp_path)

    with serving(tmp_path, **env) as browser:  # a restart
        assert searched(browser) == before
        assert os.stat(file).st_ino == written.st_ino, "the restart mapped the same file"
    log = (tmp_path / "server.log").read_text()
    assert "Mapping the search index written " in log
    assert "Built the search index" not in log
    assert not server_errors(tmp_path), server_errors(tmp_path)
