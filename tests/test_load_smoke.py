"""The load test of bench/bench_load.py in its quick mode, on this run's database (SQLite, or
PostgreSQL when DATABASE_URL names one): 10 signed-in clients read and write for 5 seconds
through the pages and the API while one server process is killed, then the database is read.
And the count itself: a write missing from the database is lost, one stored twice duplicated."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from tests.conftest import post_work

ROOT = Path(__file__).resolve().parent.parent


def test_no_acknowledged_write_is_lost_or_doubled_under_concurrent_writers(tmp_path):
    environment = dict(os.environ)
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PYTEST_XDIST_WORKER"):
        environment.pop(name, None)
    database = "sqlite"
    if os.environ.get("DATABASE_URL"):
        database = "postgresql"
        server = urlsplit(os.environ["DATABASE_URL"])
        environment["BENCH_POSTGRES"] = f"postgresql://{server.netloc}"
    output = tmp_path / "load.json"
    command = [sys.executable, str(ROOT / "bench" / "bench_load.py"), "--quick",
               "--databases", database, "--output", str(output)]  # fmt: skip
    subprocess.run(command, env=environment, capture_output=True, timeout=600, check=False)

    found = json.loads(output.read_text())["databases"][database]
    assert "requests" in found, found
    assert found["server_errors_5xx"] == 0, (found["server_error_samples"], found["server_log"])
    assert found["killed_worker"]["pid"], "a server process was killed halfway"
    assert found["client_errors"] == [], "every answer was one the clients understand"
    writes = found["writes"]
    assert writes["acknowledged"] > 0
    assert writes["lost"] == 0, writes["lost_samples"]
    assert writes["duplicated"] == 0, writes["duplicated_samples"]
    assert writes["answered_with_another_id"] == 0
    assert writes["works_without_a_chapter"] == 0


def test_the_load_test_counts_a_missing_write_as_lost_and_a_doubled_one_as_duplicated(alice):
    from bench.bench_load import verify
    from bench.load_clients import Ack

    prefix = "loadtest0000aax"
    kept = post_work(alice, f"{prefix}w00n1")
    post_work(alice, f"{prefix}w00n2")
    post_work(alice, f"{prefix}w00n2")
    acks = [Ack("work", f"{prefix}w00n1", kept.pk), Ack("work", f"{prefix}w00n3", kept.pk + 99)]

    found = verify(acks, prefix)

    assert found["lost"] == 1
    assert found["lost_samples"][0]["key"] == f"{prefix}w00n3"
    assert found["duplicated"] == 1
    assert found["duplicated_samples"] == [f"work {prefix}w00n2 x2"]
    assert found["stored_without_an_acknowledgment"] == 1
