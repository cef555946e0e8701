"""The search benchmark of issue 5: the engine against SQLite, PostgreSQL and tantivy, on the same
AO3-shaped corpus, with the same answers checked, and the search page over HTTP.

    python bench/search.py                 100,000 works (what `make bench` runs)
    python bench/search.py 20k 1M          each size in its own process, one after the other
    python bench/search.py 1M --no-baselines --no-http

For each size: the corpus is generated (its measured shape is kept), loaded with
`ficarchive works load`'s loader, the engine's index built (time and resident memory), and a fixed
mix of queries timed (p50/p95 per kind and overall). The baselines are filled from the loaded
archive and answer the same queries; every answer (total, page ids, facets) is compared with the
engine's. Then `ficarchive serve` (gunicorn) answers the search page to 8 concurrent clients.
Results are merged into bench/results/search.json, which also says, for every target of the
issue, whether it is met and by how much, and estimates the index memory at AO3's 17M works.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "search.json"
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
ENGINE_REPEAT = 7
BASELINE_REPEAT = 3
SLOW_MS = 1000
AO3_WORKS = 17_000_000
SIZES = {"k": 1_000, "m": 1_000_000}
HTTP_CLIENTS = 8
HTTP_ROUNDS = 2

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")

SORTS = ("relevance", "updated", "published", "title", "creator", "words", "chapters", "kudos",
         "comments", "bookmarks", "hits")  # fmt: skip
QUERIES: dict[str, list[str]] = {
    "everything": ["", "sort=kudos"],
    "big fandom": ["include=Fandom 0", "include=Fandom 0&sort=hits"],
    "several includes": [
        "include=Fandom 0,Explicit,M/M",
        "include=Fandom 1&include=No Archive Warnings Apply&complete=true",
        "include=Fandom 3,Teen And Up Audiences,Character 3-0",
    ],
    "excludes": [
        "include=Fandom 0&exclude=Explicit,Major Character Death",
        "exclude=Fandom 0",
        "exclude=Explicit,Mature&lang=en",
    ],
    "ranges": [
        "words=1000-5000&kudos=10-",
        "include=Fandom 2&published=2015-01-01..2018-12-31",
        "hits=1000-&sort=hits",
        "updated=2020-01-01..&words=-2000",
    ],
    "sorts": [f"include=Fandom 0&sort={sort}" for sort in SORTS] + ["sort=title", "sort=creator"],
    "free text": [
        "q=storm harbour&sort=kudos",
        'q="slow burn" -war&sort=kudos',
        "q=coffee OR tea&include=Fandom 0&sort=kudos",
        "q=dragon&sort=updated",
    ],
    "deep pages": [
        "page=200&per_page=50",
        "include=Fandom 0&page=100&sort=kudos",
        "page=1000&per_page=100&sort=words",
    ],
}
HTTP_QUERIES = [q for kind in ("big fandom", "several includes", "excludes", "ranges", "sorts")
                for q in QUERIES[kind]]  # fmt: skip


def size_of(text: str) -> int:
    text = text.strip().lower().replace("_", "").replace(",", "")
    if text[-1] in SIZES:
        return int(float(text[:-1]) * SIZES[text[-1]])
    return int(text)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


def summary(times: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(times), 3) if times else 0.0,
        "p95_ms": round(percentile(times, 0.95), 3),
        "samples": len(times),
    }


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


# --- one size, in this process -----------------------------------------------------------------
def run_size(
    works: int, data: Path, baselines: bool, http: bool, save: Callable[[dict[str, Any]], Any]
) -> dict[str, Any]:
    import django

    os.environ["FICARCHIVE_DATA"] = str(data)
    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.http import QueryDict

    from ficarchive.cli import ensure_database
    from ficarchive.search import index_keeper
    from ficarchive.search.query import SearchQuery

    result: dict[str, Any] = {"works": works, "started": time.strftime("%Y-%m-%d %H:%M UTC")}
    ensure_database()
    loaded = data / "loaded.json"
    if loaded.exists():  # --keep: the archive of an earlier run, corpus and load figures kept
        result.update(json.loads(loaded.read_text()))
        assert result["corpus"]["works"] == works, "the kept archive holds another size"
        print(f"[{works:,}] reusing the archive in {data}", flush=True)
    else:
        result.update(make_archive(works, data))
        loaded.write_text(json.dumps({k: result[k] for k in ("corpus", "load")}))

    # The engine's own figures: an index built and held by this process (bench_index_sharing.py
    # measures the snapshot that server processes map).
    settings.SEARCH_SNAPSHOTS = False
    index_keeper.reset_index()
    gc.collect()
    before = rss_bytes()
    started = time.perf_counter()
    index_keeper.get_index().answers.kept = 0  # the engine, not the answers kept for a page
    build_seconds = time.perf_counter() - started
    gc.collect()
    result["index"] = {
        "build_seconds": round(build_seconds, 2),
        "memory_mb": round((rss_bytes() - before) / 2**20, 1),
        "process_rss_mb": round(rss_bytes() / 2**20, 1),
    }
    print(f"[{works:,}] index built in {build_seconds:.1f} s", flush=True)

    guest = AnonymousUser()
    parsed = {
        kind: [(text, SearchQuery.from_params(QueryDict(text))) for text in texts]
        for kind, texts in QUERIES.items()
    }
    answers: dict[str, tuple[int, list[int], dict[str, list[tuple[str, int]]]]] = {}
    kinds: dict[str, Any] = {}
    every: list[float] = []
    engine_took: list[float] = []
    for kind, queries in parsed.items():
        times: list[float] = []
        for text, query in queries:
            found = index_keeper.search(query, guest)  # warm (and the answer to check)
            answers[text] = (found.total, found.ids, found.facets)
            for _ in range(ENGINE_REPEAT):
                started = time.perf_counter()
                found = index_keeper.search(query, guest)
                times.append((time.perf_counter() - started) * 1000)
                engine_took.append(found.took_ms)
        every += times
        kinds[kind] = summary(times)
    result["engine"] = {
        "kinds": kinds,
        "overall": summary(every),
        "took_ms_overall": summary(engine_took),
        "note": "wall time of engine.search() (includes the change-log poll); took_ms is the "
        "engine's own figure",
    }
    result["queries"] = {text: {"total": answers[text][0]} for text in answers}
    print(f"[{works:,}] engine: {result['engine']['overall']}", flush=True)

    save(result)
    # tantivy, HTTP, PostgreSQL, SQLite: saved as each ends.
    result["baselines"] = {}
    if baselines:
        result["baselines"] |= run_baselines(data, parsed, answers, ["tantivy"])
        save(result)
    if http:
        result["http"] = run_http(data)
        save(result)
    for name in ("postgresql", "sqlite") if baselines else ():
        result["baselines"] |= run_baselines(data, parsed, answers, [name])
        save(result)
    return result


def make_archive(works: int, data: Path) -> dict[str, Any]:
    """Write the corpus and load it into the (empty) archive; the corpus's shape and load time."""
    from bench.corpus import CorpusStats
    from bench.corpus import works as corpus
    from ficarchive.search.loading import load_works

    stats = CorpusStats()
    path = data / "corpus.jsonl"
    started = time.perf_counter()
    if path.exists():  # --keep: a corpus written before, measured again as it is read
        with path.open() as lines:
            for line in lines:
                stats.measure(json.loads(line))
    else:
        with path.open("w") as out:
            for work in corpus(works, stats=stats):
                out.write(json.dumps(work) + "\n")
    shape = {**stats.summary(), "seconds": round(time.perf_counter() - started, 1)}
    print(f"[{works:,}] corpus written", flush=True)
    started = time.perf_counter()
    with path.open() as lines:
        report = load_works(lines)
    seconds = time.perf_counter() - started
    assert not report.bad, report.bad[:3]
    print(f"[{works:,}] loaded in {seconds:.0f} s", flush=True)
    path.unlink()
    return {
        "corpus": shape,
        "load": {
            "seconds": round(seconds, 1),
            "works_per_second": round(works / seconds),
            "database_mb": round(_database_bytes(data) / 2**20),
        },
    }


def _database_bytes(data: Path) -> int:
    return sum(p.stat().st_size for p in data.glob("ficarchive.sqlite3*"))


def run_baselines(
    data: Path,
    parsed: dict[str, list[tuple[str, Any]]],
    answers: dict[str, tuple[int, list[int], dict[str, list[tuple[str, int]]]]],
    names: list[str],
) -> dict[str, Any]:
    from bench.search_docs import documents, tag_table
    from bench.search_sql import (
        TIMEOUT_SECONDS,
        PostgresBaseline,
        SQLiteBaseline,
        TimedOut,
        Unsupported,
    )
    from bench.search_tantivy import TantivyBaseline

    out: dict[str, Any] = {}
    makers: list[tuple[str, Any]] = [
        ("sqlite", lambda: SQLiteBaseline(data / "baseline.sqlite3")),
        ("postgresql", lambda: PostgresBaseline(POSTGRES, f"ficarchive_bench_{os.getpid()}")),
        ("tantivy", lambda: TantivyBaseline(data / "tantivy")),
    ]
    for name, make in [(name, make) for name, make in makers if name in names]:
        try:
            baseline = make()
        except Exception as exc:  # a server that is not there: say so in the results
            out[name] = {"not_run": f"{type(exc).__name__}: {exc}"}
            continue
        try:
            tags = tag_table()
            baseline.fill(documents(tags), tags)
            print(f"  {name}: filled in {baseline.fill_seconds:.0f} s", flush=True)
            kinds: dict[str, Any] = {}
            every: list[float] = []
            mismatches: list[dict[str, Any]] = []
            unsupported: dict[str, str] = {}
            timed_out: list[str] = []
            checked = 0
            for kind, queries in parsed.items():
                times: list[float] = []
                for text, query in queries:
                    try:
                        total, ids, facets, warm_ms = baseline.search(query)  # warm
                    except Unsupported as exc:
                        unsupported[text] = str(exc)
                        continue
                    except TimedOut:
                        timed_out.append(text)
                        times.append(TIMEOUT_SECONDS * 1000)  # a lower bound
                        continue
                    checked += 1
                    expected = answers[text]
                    if (total, ids, facets) != expected:
                        mismatches.append(_difference(text, expected, (total, ids, facets)))
                    # Slow answers are timed once more only, or a 1M run would take hours.
                    for _ in range(1 if warm_ms > SLOW_MS else BASELINE_REPEAT):
                        try:
                            times.append(baseline.search(query)[3])
                        except TimedOut:
                            times.append(TIMEOUT_SECONDS * 1000)  # a lower bound
                            timed_out.append(text)
                every += times
                kinds[kind] = summary(times)
            out[name] = {
                "fill_seconds": round(baseline.fill_seconds, 1),
                "kinds": kinds,
                "overall": summary(every),
                "answers_checked": checked,
                "answers_matching": checked - len(mismatches),
                "mismatches": mismatches[:5],
                "not_comparable": unsupported,
                "timed_out": timed_out,
                "timeout_note": f"a query stopped after {TIMEOUT_SECONDS:.0f} s counts as "
                f"{TIMEOUT_SECONDS:.0f} s: with any, the percentiles are lower bounds",
            }
            if name == "tantivy":
                out[name]["index_disk_mb"] = round(baseline.disk_bytes() / 2**20, 1)
            print(f"  {name}: {out[name]['overall']}, {len(mismatches)} mismatches", flush=True)
        finally:
            baseline.close()
    return out


def _difference(text: str, expected: Any, got: Any) -> dict[str, Any]:
    what = {"query": text}
    if expected[0] != got[0]:
        what["total"] = f"engine {expected[0]}, baseline {got[0]}"
    if expected[1] != got[1]:
        what["page"] = f"engine {expected[1][:5]}..., baseline {got[1][:5]}..."
    for kind in expected[2]:
        if expected[2][kind] != got[2].get(kind):
            what[f"facets {kind}"] = (
                f"engine {expected[2][kind][:3]}, baseline {got[2].get(kind, [])[:3]}"
            )
    return what


# --- HTTP ------------------------------------------------------------------------------------
def run_http(data: Path) -> dict[str, Any]:
    """`ficarchive serve` over the loaded archive; 8 clients on keep-alive connections."""
    import http.client
    import threading
    from urllib.parse import quote

    from bench.serving import NOT_ANSWERING, answers, served

    env = {**os.environ, "FICARCHIVE_DATA": str(data),
           # Every client comes from one address: the guest API limit would answer 429s.
           "FICARCHIVE_API_RATE_LIMIT_GUEST": "1000000"}  # fmt: skip
    env.pop("DJANGO_SETTINGS_MODULE", None)
    queries = [
        "&".join(f"{quote(k)}={quote(v)}" for k, v in (p.split("=", 1) for p in q.split("&") if p))
        for q in HTTP_QUERIES
    ]
    paths = [(kind, f"{prefix}?{q}") for q in queries
             for kind, prefix in (("page", "/works/search"), ("api", "/api/v1/works"))]  # fmt: skip
    with served(env) as (_, port):
        if not answers(port, "/works/search"):
            return NOT_ANSWERING
        warm_started = time.perf_counter()
        # Warm every gunicorn process (each maps the snapshot `ficarchive serve` wrote).
        first = [path for _, path in paths[:4]]
        warmers = [threading.Thread(target=_get_all, args=(port, first)) for _ in range(8)]
        for t in warmers:
            t.start()
        for t in warmers:
            t.join()
        warm_seconds = time.perf_counter() - warm_started
        times: dict[str, list[float]] = {"page": [], "api": []}
        by_round: dict[int, list[float]] = {n: [] for n in range(HTTP_ROUNDS)}  # pages
        errors: list[str] = []
        lock = threading.Lock()

        def client(offset: int) -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            mine: list[tuple[str, int, float]] = []
            for round_ in range(HTTP_ROUNDS):
                for i in range(len(paths)):
                    kind, path = paths[(i + offset * 3 + round_) % len(paths)]
                    started = time.perf_counter()
                    connection.request("GET", path)
                    response = connection.getresponse()
                    response.read()
                    mine.append((kind, round_, (time.perf_counter() - started) * 1000))
                    if response.status != 200:
                        with lock:
                            errors.append(f"{response.status} {path}")
            with lock:
                for kind, round_, took in mine:
                    times[kind].append(took)
                    if kind == "page":
                        by_round[round_].append(took)

        started = time.perf_counter()
        clients = [threading.Thread(target=client, args=(i,)) for i in range(HTTP_CLIENTS)]
        for t in clients:
            t.start()
        for t in clients:
            t.join()
        elapsed = time.perf_counter() - started
        return {
            "clients": HTTP_CLIENTS,
            "server": "ficarchive serve (gunicorn, WEB_CONCURRENCY=2 processes x 4 threads)",
            "requests": sum(len(t) for t in times.values()),
            "requests_per_second": round(sum(len(t) for t in times.values()) / elapsed, 1),
            "latency": summary(times["page"]),
            "api_latency": summary(times["api"]),
            # The first round meets every page for the first time in each server process:
            # its blurbs, form and tag links are drawn then, and kept for the later rounds.
            "latency_by_round": {str(n + 1): summary(t) for n, t in by_round.items()},
            "errors": errors[:5],
            "warm_up_seconds": round(warm_seconds, 1),
            "note": "the clients run on the same 2 cores as the server",
        }


def _get_all(port: int, paths: list[str]) -> None:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    for path in paths:
        connection.request("GET", path)
        connection.getresponse().read()


# --- the report --------------------------------------------------------------------------------
def targets(runs: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Each target of the issue at 1M works (or the largest size run, said so)."""
    sizes = sorted(runs, key=int)
    if not sizes:
        return []
    size = "1000000" if "1000000" in runs else sizes[-1]
    run = runs[size]
    at = f"at {int(size):,} works" + ("" if size == "1000000" else " (1M was not run)")
    engine = run["engine"]["overall"]
    base = run.get("baselines", {})
    rows: list[dict[str, Any]] = []

    def target(name: str, value: float | None, goal: float, below: bool, why: str) -> None:
        if value is None:
            rows.append({"target": name, "at": at, "met": None, "why": why})
            return
        met = value < goal if below else value >= goal
        by = (goal / value if below else value / goal) if value else float("inf")
        row = {"target": name, "at": at, "value": round(value, 2), "goal": goal, "met": met}
        row["margin"] = f"{by:.2f}x {'better than' if met else 'short of'} the goal"
        if not met:
            row["why"] = why
        rows.append(row)

    slowest = max(run["engine"]["kinds"].items(), key=lambda kv: kv[1]["p95_ms"])
    why_slow = f"slowest kind: {slowest[0]} (p95 {slowest[1]['p95_ms']} ms)"
    target("engine p50 < 5 ms", engine["p50_ms"], 5, True, why_slow)
    target("engine p95 < 15 ms", engine["p95_ms"], 15, True, why_slow)
    target("index memory < 300 MB", run["index"]["memory_mb"], 300, True,
           "resident growth while building, Python objects per work included")  # fmt: skip
    target("index build < 30 s", run["index"]["build_seconds"], 30, True,
           "reading every work, its tags and creators from the database")  # fmt: skip
    for name, goal in (("postgresql", 50), ("tantivy", 10)):
        other = base.get(name, {})
        ratio = None
        why = other.get("not_run", f"{name} was not run (--no-baselines)")
        if "overall" in other and engine["p95_ms"]:
            ratio = other["overall"]["p95_ms"] / engine["p95_ms"]
            why = (
                f"engine p95 {engine['p95_ms']} ms against {name} p95 "
                f"{other['overall']['p95_ms']} ms; the engine's {why_slow}"
            )
        target(f"p95 at least {goal}x faster than {name}", ratio, goal, False, why)
    http_run = run.get("http", {})
    page = http_run.get("latency", {}).get("p95_ms")
    why = http_run.get("not_run", "the HTTP test was not run (--no-http)")
    if page is not None:
        rounds = http_run.get("latency_by_round", {})
        first, later = rounds.get("1", {}), rounds.get(str(HTTP_ROUNDS), {})
        why = (
            f"the engine answers in p95 {engine['p95_ms']} ms; the page's p95 is "
            f"{first.get('p95_ms')} ms in the first round (each server process draws each "
            f"page's blurbs, form and tag links once) and {later.get('p95_ms')} ms in the "
            f"last (drawn from the cache); the JSON API, same queries and server, p95 "
            f"{http_run['api_latency']['p95_ms']} ms. 8 clients, 2 gunicorn processes of 4 "
            "threads and the clients themselves share 2 cores: at "
            f"{http_run['requests_per_second']} requests a second, 8 clients that never pause "
            f"wait {HTTP_CLIENTS * 1000 / http_run['requests_per_second']:.0f} ms a request on "
            "average (Little's law), so a p95 under 50 ms needs well over "
            f"{HTTP_CLIENTS * 1000 // 50} requests a second from these 2 cores"
        )
    target("search page p95 < 50 ms with 8 clients", page, 50, True, why)
    return rows


def memory_estimate(runs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    points = sorted((int(n), r["index"]["memory_mb"]) for n, r in runs.items() if "index" in r)
    if not points:
        return {}
    if len(points) >= 2:
        (n1, m1), (n2, m2) = points[-2], points[-1]
        per_work = (m2 - m1) / (n2 - n1)
        fixed = m1 - per_work * n1
    else:
        (n2, m2) = points[-1]
        per_work, fixed = m2 / n2, 0.0
    return {
        "works": AO3_WORKS,
        "formula": "memory_mb = fixed_mb + per_work_mb * works, fitted on the two largest sizes",
        "fixed_mb": round(fixed, 1),
        "per_work_bytes": round(per_work * 2**20, 1),
        "estimate_mb": round(fixed + per_work * AO3_WORKS),
        "from_sizes": [n for n, _ in points[-2:]],
    }


def write_results(new: dict[str, Any], skipped: dict[str, str]) -> dict[str, Any]:
    old = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    runs = {str(r["works"]): r for r in old.get("runs", [])}
    runs[str(new["works"])] = new
    not_run = {**old.get("not_run", {}), **skipped}
    for size in runs:
        not_run.pop(size, None)
    report = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "system": platform.platform(terse=True),
        },
        "targets": targets(runs),
        "memory_at_17m_works": memory_estimate(runs),
        "not_run": not_run,
        "runs": sorted(runs.values(), key=lambda r: r["works"]),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    return report


def figures_table(report: dict[str, Any]) -> str:
    """The README's table: per size, the engine and the baselines' p50/p95, build and memory."""
    lines = [
        "| works | load | index build | index memory | engine p50 / p95 | PostgreSQL p50 / p95 "
        "| SQLite p50 / p95 | tantivy p50 / p95 | page over HTTP p50 / p95 (API) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]

    def pair(block: dict[str, Any] | None) -> str:
        if not block or ("overall" not in block and "p50_ms" not in block):
            return "not run"
        figures = block.get("overall", block)
        return f"{figures['p50_ms']:,.1f} / {figures['p95_ms']:,.1f} ms"

    for run in report["runs"]:
        base = run.get("baselines", {})
        http_run = run.get("http", {})
        page = pair(http_run.get("latency"))
        if "api_latency" in http_run:
            page += f" ({pair(http_run['api_latency'])})"
        lines.append(
            f"| {run['works']:,} | {run['load']['seconds']:,.0f} s "
            f"({run['load']['works_per_second']:,}/s) | {run['index']['build_seconds']} s "
            f"| {run['index']['memory_mb']} MB | {pair(run['engine'])} "
            f"| {pair(base.get('postgresql'))} | {pair(base.get('sqlite'))} "
            f"| {pair(base.get('tantivy'))} | {page} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", default=["100k"], help="corpus sizes: 20k 100k 1M 3M")
    parser.add_argument("--no-baselines", action="store_true", help="time the engine only")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP load test")
    parser.add_argument("--keep", metavar="DIR", help="keep the loaded archive in DIR (one "
                        "size), and reuse it if it is there")  # fmt: skip
    parser.add_argument("--skip", action="append", default=[], metavar="SIZE=REASON",
                        help="record a size as not run, and why")  # fmt: skip
    parser.add_argument("--table", action="store_true", help="print the README's table of "
                        "the latest results, and stop")  # fmt: skip
    args = parser.parse_args()
    if args.table:
        print(figures_table(json.loads(RESULTS.read_text())))
        return
    skipped = {str(size_of(s.split("=", 1)[0])): s.split("=", 1)[1] for s in args.skip}
    sizes = [size_of(s) for s in args.sizes]
    wanted = (not args.no_baselines, not args.no_http)
    if len(sizes) > 1:  # Django reads its settings once per process: one process per size
        flags = [
            f for f in ("--no-baselines", "--no-http") if getattr(args, f[2:].replace("-", "_"))
        ]
        flags += [f"--skip={s}" for s in args.skip]
        for size in sizes:
            subprocess.run([sys.executable, __file__, str(size), *flags], check=True)
        return

    def save(result: dict[str, Any]) -> dict[str, Any]:
        return write_results(result, skipped)

    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
        result = run_size(sizes[0], Path(args.keep).resolve(), *wanted, save)
    else:
        with tempfile.TemporaryDirectory(prefix="ficarchive-search-bench-") as data:
            result = run_size(sizes[0], Path(data), *wanted, save)
    report = write_results(result, skipped)
    print(
        json.dumps({"engine": result["engine"]["overall"], "targets": report["targets"]}, indent=1)
    )


if __name__ == "__main__":
    main()
