"""The cache backends side by side: operations a second, counting from several processes, and
a work page's latency with each.

Run by `make bench` (or `python bench/bench_cache.py`). In one run, on this machine:
- local memory (Django's LocMemCache: per process, so wrong for several server processes, but
  the fastest there is: the baseline),
- the machine-wide SQLite cache (ficarchive.machine_cache, the default),
- Django's DatabaseCache on a SQLite file of its own (the alternative the issue names),
- Redis on 127.0.0.1:6379 (database 1, emptied; skipped with a note when unreachable),
each doing the operations the archive does: get and set of a counter, add, incr, twenty blurbs
at once with get_many and set_many, a 1 MB download kept and read back. Then 3 processes
add-and-incr one counter 2,000 times each: what counts is that the total is 6,000 (an incr that
is not atomic across processes loses steps). Then a work page and the search page, drawn by
Django's test client with each backend (every view a new visitor, so each counts a hit).
Results go to bench/results/cache.json.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "cache.json"
DATA = Path(tempfile.mkdtemp(prefix="ficarchive-bench-cache-"))
REDIS_URL = "redis://127.0.0.1:6379/1"
OPS = 3_000
PROCESSES = 3
PER_PROCESS = 2_000
PAGE_VIEWS = 200

sys.path.insert(0, str(ROOT))
os.environ["FICARCHIVE_DATA"] = str(DATA)
os.environ["FICARCHIVE_DEMO"] = "1"
os.environ.pop("REDIS_URL", None)
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")


def backends() -> dict[str, dict[str, Any]]:
    found = {
        "locmem": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
        "machine_sqlite": {
            "BACKEND": "ficarchive.machine_cache.MachineCache",
            "LOCATION": str(DATA / "bench-cache.sqlite3"),
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
        "django_database_cache": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "bench_cache_table",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            found["redis"] = {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
            }
    except OSError:
        pass
    return found


def _rate(operation: Callable[[int], Any], count: int = OPS) -> float:
    start = time.perf_counter()
    for number in range(count):
        operation(number)
    return round(count / (time.perf_counter() - start), 1)


def operations(cache: Any) -> dict[str, float]:
    """Operations a second for what the archive does with its cache."""
    cache.clear()
    blurb = "<li class='blurb'>" + "x" * 3_000 + "</li>"
    blurbs = {f"blurb:{number}": blurb for number in range(20)}
    download = os.urandom(1 << 20)
    cache.set("counter", 0, None)
    rates = {
        "set_counter": _rate(lambda n: cache.set("counter", n, None)),
        "get_counter": _rate(lambda n: cache.get("counter")),
        "add_new_key": _rate(lambda n: cache.add(f"seen:{n}", 1, 3600)),
        "incr": _rate(lambda n: cache.incr("counter")),
        "set_many_20_blurbs": _rate(lambda n: cache.set_many(blurbs, 3600), OPS // 10),
        "get_many_20_blurbs": _rate(lambda n: cache.get_many(list(blurbs)), OPS // 10),
        "set_1mb_download": _rate(lambda n: cache.set(f"file:{n % 5}", download, 3600), 50),
        "get_1mb_download": _rate(lambda n: cache.get(f"file:{n % 5}"), 50),
    }
    cache.clear()
    return rates


def _count_from_a_process(name: str, start: Any) -> None:
    _setup_django()
    from django.core.cache import caches

    cache = caches[name]
    start.wait()
    for _ in range(PER_PROCESS):
        cache.add("shared", 0, None)
        cache.incr("shared")


def counted_by_processes(name: str) -> dict[str, Any]:
    from django.core.cache import caches
    from django.db import connections

    caches[name].delete("shared")
    connections.close_all()  # each process opens its own
    context = multiprocessing.get_context("fork")
    start = context.Event()
    workers = [
        context.Process(target=_count_from_a_process, args=(name, start)) for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    began = time.perf_counter()
    start.set()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - began
    expected = PROCESSES * PER_PROCESS
    got = caches[name].get("shared")
    return {
        "expected": expected,
        "seen_by_the_parent": got,
        "steps_a_second": round(expected / seconds, 1),
        "one_state": got == expected,
    }


def page_latency(names: list[str]) -> dict[str, Any]:
    """A work page and the search page through Django's test client with each cache, the
    backends taking turns view by view so that a busy machine slows them all alike."""
    from django.core.cache import caches
    from django.test import Client
    from django.test.utils import override_settings

    from ficarchive.works.models import Work

    work = next(work for work in Work.objects.order_by("pk") if not work.is_adult)
    pages = {"work_page": f"/works/{work.pk}", "search_page": "/works/search?sort=kudos"}
    times: dict[str, dict[str, list[float]]] = {
        name: {page: [] for page in pages} for name in names
    }
    for name in names:
        with override_settings(CACHES={"default": backends()[name]}):
            caches["default"].clear()
    for view in range(PAGE_VIEWS):
        for name in names:
            with override_settings(CACHES={"default": backends()[name]}):
                for page, address in pages.items():
                    client = Client(HTTP_USER_AGENT=f"reader-{view}", HTTP_HOST="localhost")
                    begun = time.perf_counter()
                    response = client.get(address)
                    times[name][page].append((time.perf_counter() - begun) * 1000)
                    assert response.status_code == 200, (address, response.status_code)
    found: dict[str, Any] = {}
    for name, by_page in times.items():
        found[name] = {}
        for page, taken in by_page.items():
            taken.sort()
            found[name][page] = {
                "p50_ms": round(statistics.median(taken), 2),
                "p95_ms": round(taken[int(len(taken) * 0.95)], 2),
            }
    return found


def _setup_django() -> None:
    import django
    from django.conf import settings

    settings.CACHES.update(backends())
    django.setup()


def main() -> None:
    _setup_django()
    from django.core.cache import caches
    from django.core.management import call_command

    from ficarchive.serve import setup

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    setup()
    names = [name for name in backends() if name != "default"]
    results: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "operations_a_second": {name: operations(caches[name]) for name in names},
        "three_processes_counting": {name: counted_by_processes(name) for name in names},
        "page_latency": page_latency(names),
    }
    if "redis" not in names:
        results["note"] = f"Redis was not reachable at {REDIS_URL}: not measured"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
