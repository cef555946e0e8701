"""Many machines, one archive (issue 17): how soon a write through one node shows on the others.

    python bench/bench_cluster.py [--seconds 30] [--writers 4]
        (writes bench/results/cluster.json)

Three app nodes (`ficarchive serve`, each with a data folder of its own, 2 processes) on one
PostgreSQL database it creates and drops (`BENCH_POSTGRES`, default
postgresql://postgres@127.0.0.1:5432) and one Redis (`BENCH_REDIS`, default
redis://127.0.0.1:6379/15, emptied), a task worker of its own: the cluster of the README and of
tests/test_cluster.py. For SECONDS, WRITERS clients comment as fast as they can through nodes a
and c (the write load), while a prober posts a work through node a, or gives kudos to one
through node c, and asks node b and node c (or a) by the API until the work is found by its title,
or its kudos counted, and times it from the moment the write was acknowledged. Target: within
1 s, worst case. Every node is read 40 times first: a process's first API request is a cold
start (the API's modules loaded), not a write travelling.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "cluster.json"
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/15")
TARGET_SECONDS = 1.0
GIVE_UP = 30.0

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.serving import serving  # noqa: E402 (the tests' helpers)
from tests.test_cluster import api, new_work, start_worker, stop, two_accounts  # noqa: E402


def summary(delays: list[float]) -> dict[str, Any]:
    ordered = sorted(delays)
    return {
        "samples": len(ordered),
        "slowest_probe": delays.index(max(delays)) + 1 if delays else None,  # 1: the first
        "p50_s": round(statistics.median(ordered), 3) if ordered else None,
        "p95_s": round(ordered[int(len(ordered) * 0.95)], 3) if ordered else None,
        "max_s": round(ordered[-1], 3) if ordered else None,
    }


def titles(body: dict[str, Any]) -> list[str]:
    return [work["title"] for work in body["works"]]


def shows(base: str, key: str, path: str, check: Any) -> float:
    """Seconds until CHECK(answer of GET PATH on BASE) holds (GIVE_UP at most)."""
    started = time.perf_counter()
    while time.perf_counter() - started < GIVE_UP:
        status, body = api(base, key, "GET", path)
        if status == 200 and check(body):
            return time.perf_counter() - started
        time.sleep(0.01)
    return float("inf")


def run(seconds: int, writers: int) -> dict[str, Any]:
    import psycopg
    import redis

    name = f"ficarchive_bench_cluster_{os.getpid()}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    redis.Redis.from_url(REDIS).flushdb()
    env = {
        "DATABASE_URL": f"{POSTGRES.replace('postgresql://', 'postgres://')}/{name}",
        "REDIS_URL": REDIS,
        "SECRET_KEY": "one-secret-key-for-every-node-of-the-benchmark-0123456789",
        "SITE_URL": "https://archive.example.org",
        "FICARCHIVE_WORKER": "0",
        "FICARCHIVE_DEMO": "0",
        "WEB_CONCURRENCY": "2",
        "WEB_THREADS": "4",
        "FICARCHIVE_COMMENT_LIMIT": "1000000",
        "FICARCHIVE_API_RATE_LIMIT_USER": "1000000",
    }
    folders = {node: Path(tempfile.mkdtemp(prefix=f"bench-node-{node}-")) for node in "abc"}
    folders["worker"] = Path(tempfile.mkdtemp(prefix="bench-worker-"))
    try:
        with ExitStack() as stack:
            nodes = {n: stack.enter_context(serving(folders[n], **env)).base for n in "abc"}
            worker = start_worker(folders["worker"], env)
            stack.callback(stop, worker)
            key, reader_key = two_accounts(folders["a"], env)
            return measure(nodes, key, reader_key, seconds, writers)
    finally:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        redis.Redis.from_url(REDIS).flushdb()


def measure(
    nodes: dict[str, str], key: str, reader_key: str, seconds: int, writers: int
) -> dict[str, Any]:
    status, target = api(nodes["a"], key, "POST", "/works", new_work("Target of the load"))
    assert status == 201, target
    # Warm every process of every node (its first API request loads what the API needs: a
    # second or more, a cold start and not a write travelling), as traffic would have.
    for base in nodes.values():
        for _ in range(20):
            api(base, key, "GET", "/works?q=load")
            api(base, key, "GET", f"/works/{target['id']}")
    done = threading.Event()
    written = {"acknowledged": 0, "refused": 0}
    lock = threading.Lock()

    def writer(node: str) -> None:
        number = 0
        while not done.is_set():
            number += 1
            status, _ = api(nodes[node], key, "POST", f"/works/{target['id']}/comments",
                            {"text": f"Comment {number}: the light is lit again."})  # fmt: skip
            with lock:
                written["acknowledged" if status == 201 else "refused"] += 1

    threads = [threading.Thread(target=writer, args=("ac"[i % 2],)) for i in range(writers)]
    for thread in threads:
        thread.start()
    kinds = ["posted_on_a_found_on_b", "posted_on_a_found_on_c", "kudos_on_c_counted_on_a",
             "kudos_on_c_counted_on_b"]  # fmt: skip
    delays: dict[str, list[float]] = {kind: [] for kind in kinds}
    started = time.perf_counter()
    number = 0
    while time.perf_counter() - started < seconds:
        number += 1
        title = f"Probe{number:04d} Lighthouse"
        status, work = api(nodes["a"], key, "POST", "/works", new_work(title))
        assert status == 201, work
        search = f"/works?q={quote(title)}"
        for node in "bc":
            delays[f"posted_on_a_found_on_{node}"].append(
                shows(nodes[node], key, search, lambda body, t=title: titles(body) == [t])
            )
        status, _ = api(nodes["c"], reader_key, "POST", f"/works/{work['id']}/kudos")
        assert status == 201
        for node in "ab":
            delays[f"kudos_on_c_counted_on_{node}"].append(
                shows(nodes[node], key, f"/works/{work['id']}",
                      lambda body: body["stats"]["kudos"] == 1)
            )  # fmt: skip
    done.set()
    for thread in threads:
        thread.join()
    return {
        "nodes": 3,
        "processes_per_node": 2,
        "write_load": {"clients": writers, **written, "seconds": seconds},
        "delays": {kind: summary(values) for kind, values in delays.items() if values},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--writers", type=int, default=4)
    args = parser.parse_args()
    result = run(args.seconds, args.writers)
    worst = max(kind["max_s"] for kind in result["delays"].values())
    report = {
        "benchmark": "bench/bench_cluster.py",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "started": time.strftime("%Y-%m-%d %H:%M UTC"),
        **result,
        "target": {"shows_on_every_node_within_s": TARGET_SECONDS, "worst_s": worst,
                   "met": worst <= TARGET_SECONDS},
    }  # fmt: skip
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
