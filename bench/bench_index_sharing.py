"""One search index per machine (issue 17): what the snapshot that every process maps saves.

    python bench/bench_index_sharing.py [SIZE] [--data DIR] [--processes 4]
        (default 100k works in a temporary archive; DIR: an archive kept by
        `bench/search.py SIZE --keep DIR`; writes bench/results/index_sharing.json)

In one run, on one archive, each in a process of its own:

- the baseline: a process builds and holds its own index (snapshots off, as every process did
  before); its memory is the growth of its anonymous resident memory over the build and the
  query mix of bench/search.py, whose p50/p95 it also times. It then writes the snapshot.
- N processes started at once map that snapshot and run the same mix. While all N are alive,
  each reports the proportional set size (PSS) of its mapping of the file plus the growth of its
  anonymous memory (what it unpickled and its caches): summed, the machine's index memory, to
  set against N times the baseline's and the target of 1.25 times one index. Each also reports
  how long its first search took from the moment it asked for the index (map and answer) and
  from its start (Python and Django imported, as a new gunicorn process does).
- Every process has the environment `ficarchive serve` gives its server processes (malloc's
  fixed thresholds, serve.server_environment), the baseline too, and gives its heap's free
  pages back after the mix as a server process does after a request (search/heap.py). Each
  times the engine itself: the answers a process keeps for a query asked again are off.
- `ficarchive serve` (2 processes) started on the archive with no snapshot (it builds one) and
  again with that snapshot: seconds from start to the first search page answered.

At 17M works (AO3), the machine's index memory is extrapolated from the sizes in the results
file: the snapshot in proportion to works from the largest; each process's own part as its
budgeted caches (sort walks, tag bitmaps read, text answers) full, plus the rest of it by a line
(a constant and a part per work) through every size. A process's own part is measured from
after it opened its database connection, which it has with or without an index.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "index_sharing.json"
AO3_WORKS = 17_000_000
REPEAT = 5
TARGET_SHARE = 1.25  # N processes' index memory against one process's
TARGET_FIRST_SEARCH_S = 1.0
TARGET_RESTART_S = 5.0
TARGET_MACHINE_GB_AT_17M = 4.0
BEFORE_MS = {"p50": 1.5, "p95": 6.8}  # the engine at 1M before this change (issue 17)

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")


# --- in a child process ------------------------------------------------------------------------
def _anon_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no RssAnon in /proc/self/status")


def _mapping(path: str) -> dict[str, int]:
    """PSS and RSS (bytes) of this process's mappings of PATH."""
    found = {"pss": 0, "rss": 0}
    inside = False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        if not line[0].isupper() or " " in line.split(":", 1)[0]:  # a mapping's first line
            inside = line.rstrip().endswith(path)
        elif inside and line.startswith(("Pss:", "Rss:")):
            found[line.split(":")[0].lower()] += int(line.split()[1]) * 1024
    return found


def _query_mix() -> tuple[list[float], Any]:
    """The search benchmark's queries, each warmed once then timed REPEAT times (ms)."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import QueryDict

    from bench.search import QUERIES
    from ficarchive.search.index_keeper import search
    from ficarchive.search.query import SearchQuery

    guest, times = AnonymousUser(), []
    for texts in QUERIES.values():
        for text in texts:
            query = SearchQuery.from_params(QueryDict(text))
            search(query, guest)
            for _ in range(REPEAT):
                started = time.perf_counter()
                search(query, guest)
                times.append((time.perf_counter() - started) * 1000)
    return times, guest


def child(mode: str, started_at: float) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.http import QueryDict

    from bench.search import summary
    from ficarchive.search import snapshot
    from ficarchive.search.heap import give_back
    from ficarchive.search.index_keeper import get_index, search
    from ficarchive.search.query import SearchQuery

    settings.SEARCH_SNAPSHOTS = mode == "mapped"
    snapshot.database_key()  # the connection, which a process has with or without an index
    anon_before = _anon_bytes()
    ready_at = time.time()
    started = time.perf_counter()
    index = get_index()
    got = time.perf_counter() - started
    index.answers.kept = 0  # the engine is timed, not the answers a page asked again gets
    first = search(SearchQuery.from_params(QueryDict("include=Fandom 0")), AnonymousUser())
    first_s = time.perf_counter() - started
    anon_first = _anon_bytes() - anon_before
    if mode == "mapped":  # the mixes run one process after another, as on an idle machine
        print(json.dumps({"mapped": True}), flush=True)
        sys.stdin.readline()
    times, _ = _query_mix()
    give_back()  # as a server process does after a request, every 10 seconds at most
    report: dict[str, Any] = {
        "index_seconds": round(got, 3),
        "first_search_seconds": round(first_s, 3),
        "from_process_start_seconds": round(time.time() - started_at, 2),
        "python_and_django_seconds": round(ready_at - started_at, 2),
        "first_total": first.total,
        "anon_after_first_search_mb": round(anon_first / 2**20, 1),
        "engine": summary(times),
    }
    if mode == "private":
        report["anon_mb"] = round((_anon_bytes() - anon_before) / 2**20, 1)
        started = time.perf_counter()
        written = snapshot.write(index)
        assert written is not None, "the archive's database can be shared"
        report["write_seconds"] = round(time.perf_counter() - started, 3)
        report["snapshot_mb"] = round(written.stat().st_size / 2**20, 1)
        print(json.dumps(report), flush=True)
        return
    assert index.origin is not None, "the process mapped the snapshot"
    print(json.dumps({"ready": True}), flush=True)
    sys.stdin.readline()  # every process is ready: measure while all of them map the file
    shared = _mapping(str(snapshot.path()))
    report |= {
        "anon_mb": round((_anon_bytes() - anon_before) / 2**20, 1),
        "caches_mb": {name: round(size / 2**20, 1) for name, size in get_index().held().items()},
        "budgets_mb": budgets_mb(),
        "mapping_pss_mb": round(shared["pss"] / 2**20, 1),
        "mapping_rss_mb": round(shared["rss"] / 2**20, 1),
    }
    print(json.dumps(report), flush=True)


# --- the parent --------------------------------------------------------------------------------
def _spawn(mode: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, __file__, "--child", mode, "--started-at", repr(time.time())],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def _tell(process: subprocess.Popen[str], what: str) -> None:
    assert process.stdin is not None
    process.stdin.write(what + "\n")
    process.stdin.flush()


def _line(process: subprocess.Popen[str]) -> dict[str, Any]:
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        raise RuntimeError(f"a child process stopped (exit {process.wait()})")
    return json.loads(line)


def measure_processes(env: dict[str, str], processes: int) -> dict[str, Any]:
    private = _spawn("private", env)
    baseline = _line(private)
    private.wait()
    print(f"  one process's own index: {baseline}", flush=True)
    mapped = [_spawn("mapped", env) for _ in range(processes)]  # started at once
    for process in mapped:
        assert _line(process) == {"mapped": True}
    for process in mapped:
        _tell(process, "run")
        assert _line(process) == {"ready": True}
    for process in mapped:
        _tell(process, "measure")
    each = [_line(process) for process in mapped]
    for report in each:
        print(f"  a mapping process: {report}", flush=True)
    for process in mapped:
        process.wait()
    assert {e["first_total"] for e in each} == {baseline["first_total"]}, "the same answers"
    machine = sum(e["mapping_pss_mb"] + e["anon_mb"] for e in each)
    worst = baseline["snapshot_mb"] + sum(e["anon_mb"] for e in each)
    one = baseline["anon_mb"]
    first = max(e["first_search_seconds"] for e in each)
    return {
        "one_process_own_index": baseline,
        "mapped_processes": each,
        "machine_index_mb": round(machine, 1),
        "machine_index_mb_every_page_touched": round(worst, 1),
        "before_this_change_mb": round(one * processes, 1),
        "targets": {
            f"{processes}_processes_at_most_{TARGET_SHARE}x_one_index": {
                "measured_x": round(machine / one, 3),
                "met": machine <= TARGET_SHARE * one,
            },
            "first_search_under_1_s": {"measured_s": first, "met": first < TARGET_FIRST_SEARCH_S},
            "engine_p50_p95_no_worse_than_built": {
                "mapped_ms": [max(e["engine"]["p50_ms"] for e in each),
                              max(e["engine"]["p95_ms"] for e in each)],
                "built_ms": [baseline["engine"]["p50_ms"], baseline["engine"]["p95_ms"]],
                "before_this_change_at_1M_ms": [BEFORE_MS["p50"], BEFORE_MS["p95"]],
            },
        },
    }  # fmt: skip


def time_serve(env: dict[str, str]) -> dict[str, Any]:
    """Seconds from `ficarchive serve` starting to its first search page answered."""
    from bench.serving import NOT_ANSWERING, answers, served

    started = time.perf_counter()
    said: list[str] = []
    with served(env, output=True) as (server, port):
        assert server.stdout is not None
        output = server.stdout

        def listen() -> None:
            while select.select([output], [], [], 0)[0]:
                line = output.readline()
                if not line:
                    break
                if "search index" in line:
                    said.append(line.strip())

        if not answers(port, "/works/search?include=Fandom+0", meanwhile=listen):
            return NOT_ANSWERING
        return {"seconds": round(time.perf_counter() - started, 2), "said": said}


def _fitted(points: list[tuple[int, float]]) -> tuple[float, float]:
    """A line (constant, per work) through (works, MB) POINTS by least squares; through the
    origin when there is one point, and never below it."""
    if len(points) < 2:
        works, mb = points[0]
        return 0.0, mb / works
    xs = [float(x) for x, _ in points]
    ys = [y for _, y in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    constant = mean_y - slope * mean_x
    if constant < 0 or slope < 0:  # no line with a part of each: in proportion to the largest
        works, mb = max(points)
        return 0.0, mb / works
    return constant, slope


def budgets_mb() -> dict[str, float]:
    """The most each of a process's budgeted caches holds, whatever the archive's size."""
    from ficarchive.search.bitmaps import TagBitmaps
    from ficarchive.search.documents import TextMatcher
    from ficarchive.search.ordering import WALK_IDS

    return {"walks": WALK_IDS * 4 / 2**20, "tag_bitmaps_read": TagBitmaps.READ_BUDGET / 2**20,
            "text_answers": TextMatcher.BUDGET / 2**20}  # fmt: skip


def _uncached_mb(process: dict[str, Any]) -> float:
    """A mapping process's own memory less what its budgeted caches held."""
    budgeted = process["budgets_mb"]
    return process["anon_mb"] - sum(
        mb for name, mb in process["caches_mb"].items() if name in budgeted
    )


def extrapolate(runs: dict[str, Any]) -> dict[str, Any]:
    """The machine's index memory at AO3's size. The snapshot (once per machine, at most) in
    proportion to works from the largest size measured: its bytes per work only fall as the
    archive grows. Each process's own part: its budgeted caches full (they fill as the archive
    grows, and stop at their budgets), and the rest by a line through every size measured."""
    largest = max(runs.values(), key=lambda r: r["works"])
    shared_gb = largest["one_process_own_index"]["snapshot_mb"] * AO3_WORKS / largest["works"]
    shared_gb /= 1024
    own = sorted(
        (r["works"], max(_uncached_mb(e) for e in r["mapped_processes"])) for r in runs.values()
    )
    constant, per_work = _fitted(own)
    caches = largest["mapped_processes"][0]["budgets_mb"]
    own_gb = (constant + per_work * AO3_WORKS + sum(caches.values())) / 1024
    machine = {n: round(shared_gb + n * own_gb, 2) for n in (1, 4, 8, 16)}
    return {
        "from_works": sorted(r["works"] for r in runs.values()),
        "snapshot_gb": round(shared_gb, 2),
        "each_process_own_gb": round(own_gb, 2),
        "each_process_caches_full_mb": caches,
        "each_process_rest_line": {"constant_mb": round(constant, 1),
                                   "bytes_per_work": round(per_work * 2**20, 1)},
        "machine_gb_by_processes": machine,
        "under_4_gb_with_8_processes": machine[8] < TARGET_MACHINE_GB_AT_17M,
        "under_4_gb_with_16_processes": machine[16] < TARGET_MACHINE_GB_AT_17M,
        "by_size_bytes_per_work": {
            size: {
                "snapshot": round(r["one_process_own_index"]["snapshot_mb"] * 2**20 / r["works"]),
                "each_process_own": round(
                    max(e["anon_mb"] for e in r["mapped_processes"]) * 2**20 / r["works"]
                ),
            }
            for size, r in sorted(runs.items(), key=lambda item: item[1]["works"])
        },
    }  # fmt: skip


def archive(works: int, data: Path) -> None:
    """Load an archive of WORKS into DATA unless `bench/search.py --keep` left one there."""
    if (data / "loaded.json").exists():
        return
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "search.py"), str(works), "--no-baselines",
         "--no-http", "--keep", str(data)],
        check=True,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", nargs="?", default="100k", help="works: 100k, 1M, 3M")
    parser.add_argument("--data", help="an archive kept by bench/search.py --keep")
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--started-at", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.started_at)
        return
    from bench.search import size_of
    from ficarchive.serve import server_environment

    works = size_of(args.size)
    data = Path(args.data or tempfile.mkdtemp(prefix="bench-index-sharing-")).resolve()
    archive(works, data)
    snapshots = Path(tempfile.mkdtemp(prefix="bench-snapshots-"))
    env = {**server_environment(), "FICARCHIVE_DATA": str(data), "FICARCHIVE_DEMO": "0",
           "FICARCHIVE_SEARCH_SNAPSHOT_DIR": str(snapshots)}  # fmt: skip
    env.pop("DJANGO_SETTINGS_MODULE", None)
    try:
        print(f"[{works:,}] {args.processes} processes", flush=True)
        run: dict[str, Any] = {"works": works, "started": time.strftime("%Y-%m-%d %H:%M UTC")}
        run |= measure_processes(env, args.processes)
        for leftover in snapshots.iterdir():
            leftover.unlink()
        run["serve_without_snapshot"] = time_serve(env)
        run["serve_restart_with_snapshot"] = restart = time_serve(env)
        run["targets"]["restart_serves_searches_under_5_s"] = {
            "measured_s": restart.get("seconds"),
            "met": restart.get("seconds", 1e9) < TARGET_RESTART_S,
        }
        print(json.dumps(run["targets"], indent=2), flush=True)
    finally:
        shutil.rmtree(snapshots, ignore_errors=True)
        if not args.data:
            shutil.rmtree(data, ignore_errors=True)
    old = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    runs = {**old.get("runs", {}), str(works): run}
    report = {
        "benchmark": "bench/bench_index_sharing.py",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "runs": runs,
        "at_17M_works": extrapolate(runs),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report["at_17M_works"], indent=2))


if __name__ == "__main__":
    main()
