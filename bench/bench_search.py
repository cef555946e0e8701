"""Search benchmark: load an AO3-shaped corpus, build the index, time a fixed mix of queries.

    python bench/bench_search.py [WORKS]      (default 20000; results in bench/results/search.json)

Reports, per corpus size: load time, index build time, index memory (resident growth while
building), and p50/p95 of the engine's time per query kind and overall (filter + facets + sort +
one page). The relational and tantivy baselines of the issue are not run yet; the JSON says so.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "search.json"
REPEAT = 5

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")

QUERIES: dict[str, list[str]] = {
    "everything": ["", "sort=kudos"],
    "big fandom": ["include=Fandom 0", "include=Fandom 0&sort=hits"],
    "several includes": [
        "include=Fandom 0,Explicit,M/M",
        "include=Fandom 1&include=No Archive Warnings Apply&complete=true",
    ],
    "excludes": ["include=Fandom 0&exclude=Explicit,Major Character Death", "exclude=Fandom 0"],
    "ranges": ["words=1000-5000&kudos=10-", "include=Fandom 2&published=2015-01-01..2018-12-31"],
    "sorts": [f"include=Fandom 0&sort={s}" for s in ("title", "creator", "words", "updated")],
    "free text": ["q=storm harbour", 'q="slow burn" -war', "q=coffee OR tea&include=Fandom 0"],
    "deep pages": ["page=200&per_page=50", "include=Fandom 0&page=100&sort=kudos"],
}


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def run(works: int) -> dict[str, Any]:
    from django.contrib.auth.models import AnonymousUser
    from django.http import QueryDict

    from bench.search_corpus import works as corpus
    from ficarchive.cli import ensure_database
    from ficarchive.search.engine import Index
    from ficarchive.search.loading import load_works
    from ficarchive.search.query import SearchQuery

    ensure_database()
    started = time.perf_counter()
    report = load_works(json.dumps(w) for w in corpus(works))
    load_seconds = time.perf_counter() - started
    assert not report.bad, report.bad[:3]

    before = _rss_bytes()
    started = time.perf_counter()
    index = Index()
    index.build()
    build_seconds = time.perf_counter() - started
    memory = _rss_bytes() - before

    guest = AnonymousUser()
    kinds: dict[str, dict[str, float]] = {}
    every: list[float] = []
    for kind, texts in QUERIES.items():
        times = []
        for text in texts:
            query = SearchQuery.from_params(QueryDict(text))
            index.search(query, guest)  # warm
            for _ in range(REPEAT):
                times.append(index.search(query, guest).took_ms)
        every += times
        kinds[kind] = {"p50_ms": round(statistics.median(times), 3),
                       "p95_ms": round(_percentile(times, 0.95), 3)}  # fmt: skip
    return {
        "works": works,
        "load_seconds": round(load_seconds, 1),
        "index_build_seconds": round(build_seconds, 2),
        "index_memory_mb": round(memory / 2**20, 1),
        "queries": kinds,
        "overall": {
            "p50_ms": round(statistics.median(every), 3),
            "p95_ms": round(_percentile(every, 0.95), 3),
        },
    }


def main() -> None:
    """One corpus size per run (Django reads its settings once per process)."""
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with tempfile.TemporaryDirectory(prefix="ficarchive-search-bench-") as data:
        os.environ["FICARCHIVE_DATA"] = data
        import django

        django.setup()
        result = run(size)
    print(json.dumps(result), flush=True)
    old = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    runs = {str(r["works"]): r for r in old.get("runs", [])}
    runs[str(size)] = result
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    summary = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "runs": sorted(runs.values(), key=lambda r: r["works"]),
        "targets": "at 1M works: p50 < 5 ms, p95 < 15 ms, memory < 300 MB, build < 30 s",
        "baselines": "not run yet (SQLite, PostgreSQL relational and tantivy)",
    }
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
