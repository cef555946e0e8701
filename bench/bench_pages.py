"""Every page kind over HTTP, not only search: server CPU per warm page and latency with 8 clients.

    python bench/bench_pages.py 100k                 load (or reuse) an archive of 100,000 works
    python bench/bench_pages.py 1M --data /tmp/b1m   the archive `bench/search.py 1M --keep` left

For each size: `ficarchive serve` (gunicorn, its default processes and threads, the snapshot
of the search index mapped by each) over the archive, as a guest. Each page kind (the home page,
the works index and a deep page of it, a big and a small tag's works, a fandom page, the
fandoms of a medium, the OPDS root and its listings, a tag's Atom feed, a creator's works, a
work page by chapter and whole, an EPUB download, the search page) is first asked once by one
client on each path (cold: blurbs not drawn yet, pages and feeds not kept), then asked again by
one client in turn (warm), measuring both times the CPU the server's processes spent per
request (from /proc: user and system time of every process in the server's group) and the wall
time; then 8 clients ask the kind's paths at once (p50/p95, requests a second). The clients run
on the same 2 cores as the server.

Then every kind is measured again, warm and with 8 clients, while the archive changes: a
process of its own gives a guest's kudos to a random work WRITES_PER_SECOND times a second
(through the actions layer and the change log, as the kudos button does), so that every server
process reads the log, reads the works again and answers afresh (search/answers.py keeps an
answer only until the index changes).

Results go to bench/results/pages.json under the size, with each target of issue 17 (warm CPU
under 20 ms for listing pages, p95 under 100 ms with 8 clients) met or missed and by how much.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import text_sample_ids  # noqa: E402
from bench.serving import NOT_ANSWERING, answers, served  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "pages.json"
SIZES = {"k": 1_000, "m": 1_000_000}
CLIENTS = 8
WARM_ROUNDS = 10
LOAD_ROUNDS = 8
CPU_TARGET_MS = 20.0
P95_TARGET_MS = 100.0
TICKS = os.sysconf("SC_CLK_TCK")
WRITES_PER_SECOND = 10


def _works(size: str) -> int:
    return int(float(size[:-1]) * SIZES[size[-1].lower()]) if size[-1].isalpha() else int(size)


def page_kinds(works: int) -> dict[str, dict[str, Any]]:
    """Each page kind: its paths (the bench corpus's names) and whether it is a listing. Work
    pages and downloads are of works in the corpus's text sample (chapters and text of the
    sizes they claim), past the adult notice."""
    sample = text_sample_ids(works)
    ids = sample[:: max(1, len(sample) // 6)][:6]

    def q(text: str) -> str:
        return quote(text)

    return {
        "home": {"listing": True, "paths": ["/"]},
        "works index": {"listing": True, "paths": ["/works", "/works?page=2", "/works?page=3"]},
        "works index, deep page": {
            "listing": True,
            "paths": [f"/works?page={works // 40}", f"/works?page={works // 25}"],
        },
        "big tag's works": {
            "listing": True,
            "paths": [
                f"/tags/{q('Fandom 0')}/works",
                f"/tags/{q('Fandom 0')}/works?page=5",
                f"/tags/{q('Explicit')}/works",
            ],
        },
        "small tag's works": {
            "listing": True,
            "paths": [f"/tags/{q(f'Fandom {n}')}/works" for n in (900, 1500, 2400)],
        },
        "fandom page": {
            "listing": True,
            "paths": [f"/fandoms/{q('Fandom 0')}", f"/fandoms/{q('Fandom 40')}"],
        },
        "fandoms of a medium": {"listing": True, "paths": ["/media"]},
        "OPDS root": {"listing": True, "paths": ["/opds"]},
        "OPDS recent": {"listing": True, "paths": ["/opds/recent", "/opds2/recent"]},
        "OPDS tag": {
            "listing": True,
            "paths": [f"/opds/tags/{q('Fandom 0')}", f"/opds/tags/{q('Fandom 40')}"],
        },
        "tag's Atom feed": {
            "listing": True,
            "paths": [f"/tags/{q('Fandom 0')}/feed.atom", f"/tags/{q('Fandom 40')}/feed.atom"],
        },
        "creator's works": {
            "listing": True,
            "paths": ["/users/writer0/works", "/users/writer7/works"],
        },
        "work page": {"listing": False, "paths": [f"/works/{n}?view_adult=true" for n in ids]},
        "whole work page": {
            "listing": False,
            "paths": [f"/works/{n}?view_adult=true&view_full_work=true" for n in ids],
        },
        "EPUB download": {"listing": False, "paths": [f"/downloads/works/{n}.epub" for n in ids]},
        "search page": {
            "listing": False,
            "paths": [
                f"/works/search?include={q('Fandom 0')}",
                f"/works/search?include={q('Fandom 1')}&sort=kudos",
            ],
        },
    }


def text_sample_words(data: Path, works: int) -> dict[str, Any]:
    """How many words the sample works' chapters hold in the archive (none: loaded before the
    corpus had text)."""
    import sqlite3

    ids = text_sample_ids(works)
    with sqlite3.connect(data / "ficarchive.sqlite3") as db:
        marks = ",".join("?" * len(ids))
        row = db.execute(
            f"SELECT COUNT(DISTINCT work_id), COUNT(*), SUM(word_count), MAX(LENGTH(body)) "
            f"FROM works_chapter WHERE work_id IN ({marks}) AND body != ''",
            ids,
        ).fetchone()
    return {
        "works_with_text": row[0],
        "chapters": row[1],
        "words": row[2] or 0,
        "longest_chapter_bytes": row[3] or 0,
    }


def _group_cpu_seconds(group: int) -> float:
    """User and system CPU of every live process in the process group GROUP."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # pgrp
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def _get(connection: http.client.HTTPConnection, path: str) -> tuple[int, float]:
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return response.status, (time.perf_counter() - started) * 1000


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 1),
        "samples": len(ordered),
    }


def measure_kind(port: int, group: int, paths: list[str]) -> dict[str, Any]:
    one = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    errors: list[str] = []
    cold = []
    cpu_before = _group_cpu_seconds(group)
    for path in paths:
        status, took = _get(one, path)
        cold.append(took)
        if status != 200:
            errors.append(f"{status} {path}")
    cold_cpu_ms = (_group_cpu_seconds(group) - cpu_before) * 1000 / len(cold)
    warm: list[float] = []
    cpu_before = _group_cpu_seconds(group)
    for _ in range(WARM_ROUNDS):
        for path in paths:
            warm.append(_get(one, path)[1])
    cpu_ms = (_group_cpu_seconds(group) - cpu_before) * 1000 / len(warm)
    times: list[float] = []
    lock = threading.Lock()

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        mine = []
        for n in range(LOAD_ROUNDS * len(paths)):
            status, took = _get(connection, paths[(n + offset) % len(paths)])
            mine.append(took)
            if status != 200:
                with lock:
                    errors.append(f"{status} {paths[(n + offset) % len(paths)]}")
        with lock:
            times.extend(mine)

    started = time.perf_counter()
    clients = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "cold_first_ms": round(max(cold), 1),
        "cold_cpu_ms_per_request": round(cold_cpu_ms, 1),
        "warm_one_client": _summary(warm),
        "warm_cpu_ms_per_request": round(cpu_ms, 1),
        # What the machine's cores could serve at most of this page warm, clients aside.
        "cores_bound_requests_per_second": round((os.cpu_count() or 1) * 1000 / cpu_ms)
        if cpu_ms
        else None,
        "clients_8": _summary(times) | {"requests_per_second": round(len(times) / elapsed, 1)},
        "errors": errors[:5],
    }


def write_kudos(works: int, rate: float) -> None:
    """In a process of its own: a guest's kudos on a random listed work, RATE times a second,
    until stopped (SIGTERM); says how many it gave."""
    import random
    import signal
    import uuid

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")
    sys.path.insert(0, str(ROOT / "src"))
    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied, ValidationError

    from ficarchive.social.actions.kudos import give_kudos
    from ficarchive.works.models import Work

    given, stopping = 0, False

    def stop(*_: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    guest, chooser = AnonymousUser(), random.Random(17)
    started = time.monotonic()
    while not stopping:
        work = Work.objects.filter(pk=chooser.randint(1, works)).first()
        if work is not None:
            try:
                give_kudos(guest, work, guest_token=uuid.uuid4().hex)
                given += 1
            except (PermissionDenied, ValidationError):
                pass  # a draft, a restricted or hidden work: not a guest's to kudos
        time.sleep(max(0.0, started + given / rate - time.monotonic()))
    print(json.dumps({"kudos": given, "seconds": round(time.monotonic() - started, 1)}))


def run(data: Path, works: int) -> dict[str, Any]:
    env = {**os.environ, "FICARCHIVE_DATA": str(data), "FICARCHIVE_API_RATE_LIMIT_GUEST": "1000000"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    with served(env) as (server, port):
        if not answers(port, "/works/search"):
            return NOT_ANSWERING
        # Every server process maps the index before the kinds are timed.
        warmers = [
            threading.Thread(target=_get_all, args=(port, ["/works/search?include=Fandom+0"] * 4))
            for _ in range(CLIENTS)
        ]
        for thread in warmers:
            thread.start()
        for thread in warmers:
            thread.join()
        kinds = {}
        for name, kind in page_kinds(works).items():
            kinds[name] = {"listing": kind["listing"], "paths": kind["paths"]}
            kinds[name] |= measure_kind(port, server.pid, kind["paths"])
            print(name, json.dumps(kinds[name]), flush=True)
        writer = subprocess.Popen(
            [sys.executable, __file__, str(works), "--write-kudos", str(works)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            for name, kind in kinds.items():
                kind["while_writing"] = measure_kind(port, server.pid, kind["paths"])
                print(name, "while writing", json.dumps(kind["while_writing"]), flush=True)
        finally:
            writer.terminate()
            written = json.loads(writer.communicate(timeout=60)[0] or "{}")
        return {
            "works": works,
            "text_sample": text_sample_words(data, works),
            "kinds": kinds,
            "writes_while_writing": written | {"asked_per_second": WRITES_PER_SECOND},
            "targets": targets(kinds),
        }


def _get_all(port: int, paths: list[str]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    for path in paths:
        _get(connection, path)


def targets(kinds: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for name, kind in kinds.items():
        if not kind["listing"]:
            continue
        cpu = kind["warm_cpu_ms_per_request"]
        p95 = kind["clients_8"]["p95_ms"]
        writing = kind.get("while_writing", {})
        found.append(
            {
                "page": name,
                "warm_cpu_ms": cpu,
                "cpu_met": cpu <= CPU_TARGET_MS,
                "cpu_missed_by_ms": round(max(0.0, cpu - CPU_TARGET_MS), 1),
                "p95_ms_8_clients": p95,
                "p95_met": p95 <= P95_TARGET_MS,
                "p95_missed_by_ms": round(max(0.0, p95 - P95_TARGET_MS), 1),
                "while_writing": {
                    "warm_cpu_ms": writing.get("warm_cpu_ms_per_request"),
                    "p95_ms_8_clients": writing.get("clients_8", {}).get("p95_ms"),
                },
            }
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", help="the archive's size: 100k, 1M")
    parser.add_argument("--data", help="an archive `bench/search.py SIZE --keep DIR` left")
    parser.add_argument("--write-kudos", type=int, help=argparse.SUPPRESS)  # the writer
    args = parser.parse_args()
    if args.write_kudos:
        write_kudos(args.write_kudos, WRITES_PER_SECOND)
        return
    works = _works(args.size)
    data = Path(args.data or f"/tmp/ficarchive-bench-{args.size}")
    if not (data / "loaded.json").exists():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "search.py"),
                args.size,
                "--no-baselines",
                "--no-http",
                "--keep",
                str(data),
            ],
            check=True,
        )
    result = run(data, works) | {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
        "when": time.strftime("%Y-%m-%d"),
        "note": "guests; the clients share the server's 2 cores",
    }
    report = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    report[args.size] = result
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps(result.get("targets", result), indent=1))


if __name__ == "__main__":
    main()
