"""The load test of issue 14: many signed-in clients writing at once, then a count of what the
archive kept against what it acknowledged.

    python bench/bench_load.py                       SQLite, then PostgreSQL: 50 clients, 60 s each
    python bench/bench_load.py --seconds 20 --databases sqlite
    python bench/bench_load.py --quick               10 clients for 5 s on each database

For each database, in its own process: a new archive (SQLite in a temporary data folder, or a
new PostgreSQL database that is dropped at the end) with the demo content and a user and a write
token per client, served by `ficarchive serve` (gunicorn, 3 processes, the background worker on)
with the API and log-in limits raised for the run. The clients log in through the log-in form
and then, until the time is up, read pages, search, and post works, chapters, comments, kudos,
bookmarks and subscriptions, half through the pages (session and CSRF, as a browser without
JavaScript does) and half through the JSON API with their token. Halfway, one gunicorn worker is
killed with SIGKILL.

Every write the server acknowledged (a redirect or a 201/200 with the new object, or the success
message on the page it redirected to) carries a unique marker. At the end the database is read
directly: an acknowledged write that is missing is lost, a marker (or a user's kudos or
subscription on a work) stored twice is duplicated. Requests by status, 5xx with the first line
of their bodies and the server's tracebacks, 429s (counted apart: limits, not failures),
latency per kind and the machine go to bench/results/load.json. Exits 1 if a database lost or
duplicated a write or answered a 5xx.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import asdict
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "load.json"
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
DATABASES = ("sqlite", "postgresql")
WORKERS = 3
THREADS = 4
KILL_WINDOW = 3.0  # seconds after the kill in which a request without an answer is its doing
# The settings recorded with the results (the environment can set any of them for a run).
SETTINGS = ("FICARCHIVE_", "DATABASE_", "REDIS_URL", "WEB_")

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench.load_clients import LOG_IN, PASSWORD, USER_PREFIX, Ack, Client, Run, Targets  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


def latency(times: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(times), 1) if times else 0.0,
        "p95_ms": round(percentile(times, 0.95), 1),
        "p99_ms": round(percentile(times, 0.99), 1),
        "samples": len(times),
    }


# --- one database, in its own process --------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare(clients: int, prefix: str) -> tuple[list[dict[str, Any]], Targets]:
    """Migrate, load the demo, make a user and a write token per client; the works to answer."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")
    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connections

    from ficarchive.accounts.actions import create_user
    from ficarchive.api.actions import create_access_token
    from ficarchive.cli import ensure_database
    from ficarchive.demo.loader import archive_is_empty, load_demo
    from ficarchive.works.models import Chapter, CommentPolicy, Work

    ensure_database()
    if archive_is_empty():
        load_demo()
    users = []
    for index in range(clients):
        user = create_user(f"{USER_PREFIX}{index:02d}", f"{prefix}{index}@example.org", PASSWORD)
        _, key = create_access_token(user, "load test", "write")
        users.append({"id": user.pk, "username": user.username, "token": key})
    open_works = list(
        Work.objects.listed_for(AnonymousUser())
        .filter(comment_policy=CommentPolicy.EVERYONE)
        .values_list("pk", flat=True)
    )
    chapters: dict[int, list[int]] = defaultdict(list)
    for work_id, chapter_id in Chapter.objects.filter(
        work_id__in=open_works, is_draft=False
    ).values_list("work_id", "pk"):
        chapters[work_id].append(chapter_id)
    connections.close_all()
    return users, Targets(open_works, dict(chapters))


def descendants(pid: int) -> dict[int, str]:
    """The processes under PID, with their command lines."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: dict[int, str] = {}
    todo = [pid]
    while todo:
        parent = todo.pop()
        for child, its_parent in parents.items():
            if its_parent == parent:
                try:
                    found[child] = (Path("/proc") / str(child) / "cmdline").read_text()
                except OSError:
                    found[child] = ""
                todo.append(child)
    return found


def gunicorn_workers(server_pid: int) -> list[int]:
    tree = descendants(server_pid)
    masters = [pid for pid, command in tree.items() if "gunicorn" in command]
    masters = [pid for pid in masters if pid not in set().union(*map(descendants, masters))]
    return sorted(pid for master in masters[:1] for pid in descendants(master))


def server_log_errors(log: Path) -> dict[str, Any]:
    """The server's error lines and the last line of each traceback, counted."""
    text = log.read_text(errors="replace") if log.exists() else ""
    lines = text.splitlines()
    exceptions: Counter[str] = Counter()
    for number, line in enumerate(lines):
        if line.startswith("Traceback"):
            end = number + 1
            while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end]):
                end += 1
            if end < len(lines):
                exceptions[lines[end][:300]] += 1
    logged = Counter(
        re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}", "", line)[:200]
        for line in lines
        if re.search(r"\[(ERROR|CRITICAL)\]|^Internal Server Error|^ERROR|database is locked", line)
    )
    return {
        "exceptions": dict(exceptions.most_common(20)),
        "error_lines": dict(logged.most_common(20)),
    }


def verify(acks: list[Ack], prefix: str) -> dict[str, Any]:
    """Compare the acknowledged writes with what the database holds."""
    from ficarchive.social.models import Bookmark, Comment, Kudos, Subscription
    from ficarchive.works.models import Chapter, Work

    works = Work.objects.filter(title__startswith=prefix)
    chapters = Chapter.objects.filter(title__startswith=prefix)
    comments = Comment.objects.filter(body_source__startswith=prefix)
    notes = Bookmark.objects.filter(notes__contains=prefix).values_list("notes", flat=True)
    stored: dict[str, Counter[str]] = {
        "work": Counter(works.values_list("title", flat=True)),
        "chapter": Counter(chapters.values_list("title", flat=True)),
        "comment": Counter(comments.values_list("body_source", flat=True)),
        "bookmark": Counter(
            found.group(0) for text in notes if (found := re.search(rf"{prefix}\w+", text))
        ),
    }
    for kind, model in (("kudos", Kudos), ("subscription", Subscription)):
        pairs = model.objects.filter(user__username__startswith=USER_PREFIX, work__isnull=False)
        stored[kind] = Counter(f"{u}:{w}" for u, w in pairs.values_list("user_id", "work_id"))
    ids = {
        "work": dict(works.values_list("title", "pk")),
        "chapter": dict(chapters.values_list("title", "pk")),
        "comment": dict(comments.values_list("body_source", "pk")),
    }
    lost = [a for a in acks if stored[a.kind][a.key] == 0]
    wrong_id = [
        a for a in acks
        if a.kind in ids and a.object_id is not None and a.key in ids[a.kind]
        and ids[a.kind][a.key] != a.object_id
    ]  # fmt: skip
    duplicated = [
        f"{kind} {key} x{n}" for kind, c in stored.items() for key, n in c.items() if n > 1
    ]
    acked = {(a.kind, a.key) for a in acks}
    unacknowledged = sum(1 for kind, c in stored.items() for key in c if (kind, key) not in acked)
    return {
        "acknowledged": len(acks),
        "acknowledged_by_kind": dict(Counter(a.kind for a in acks)),
        "stored_by_kind": {kind: sum(c.values()) for kind, c in stored.items()},
        "lost": len(lost),
        "lost_samples": [asdict(a) for a in lost[:10]],
        "duplicated": len(duplicated),
        "duplicated_samples": duplicated[:10],
        "answered_with_another_id": len(wrong_id),
        # Stored, but no acknowledgment the clients took as one reached them: the answer was cut
        # off, or a comment waits for moderation (its redirect names no comment).
        "stored_without_an_acknowledgment": unacknowledged,
        # Half-written: a work stored without its first chapter.
        "works_without_a_chapter": works.filter(chapters__isnull=True).count(),
    }


def run_one(database: str, clients: int, seconds: float, kill: bool) -> dict[str, Any]:
    """Everything for one database; runs in a process of its own (Django is set up once)."""
    data = Path(tempfile.mkdtemp(prefix="ficarchive-load-"))
    # Limits raised: every client comes from one address, and a limit's 429 is not a failure.
    unlimited = "1000000"
    env = {
        "FICARCHIVE_DATA": str(data),
        "FICARCHIVE_DEMO": "1",
        "FICARCHIVE_API_RATE_LIMIT_USER": unlimited,
        "FICARCHIVE_API_RATE_LIMIT_GUEST": unlimited,
        "FICARCHIVE_LOGIN_FAILURE_LIMIT_PER_ADDRESS": unlimited,
    }
    database_name = ""
    if database == "postgresql":
        database_name = f"ficarchive_load_{os.getpid()}"
        try:
            postgres_command(f"CREATE DATABASE {database_name}")
        except Exception as exc:  # no server: say so in the results
            shutil.rmtree(data, ignore_errors=True)
            return {"not_run": f"no PostgreSQL server at {POSTGRES}: {exc}"}
        env["DATABASE_URL"] = f"{POSTGRES.rstrip('/')}/{database_name}"
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    prefix = f"loadtest{random.randrange(16**6):06x}x"
    try:
        started = time.monotonic()
        users, targets = prepare(clients, prefix)
        run = Run(prefix, users, targets)
        run.phases["prepare"] = round(time.monotonic() - started, 1)
        result = serve_and_load(run, data, clients, seconds, kill)
        started = time.monotonic()
        result["writes"] = verify(run.tally.acks, prefix)
        run.phases["verify"] = round(time.monotonic() - started, 1)
        result["phases_seconds"] = run.phases
        from django.db import connections

        connections.close_all()
        return {"database": database, **result}
    finally:
        if database_name:
            postgres_command(f"DROP DATABASE IF EXISTS {database_name} WITH (FORCE)")
        shutil.rmtree(data, ignore_errors=True)


def postgres_command(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES.rstrip('/')}/postgres", autocommit=True) as connection:
        connection.execute(sql)  # type: ignore[arg-type]


def serve_and_load(
    run: Run, data: Path, clients: int, seconds: float, kill: bool
) -> dict[str, Any]:
    port = free_port()
    env = {**os.environ, "PORT": str(port), "FICARCHIVE_WORKER": "1"}
    env.setdefault("WEB_CONCURRENCY", str(WORKERS))
    env.setdefault("WEB_THREADS", str(THREADS))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = data / "server.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("ficarchive")), "serve"],
            env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    killed: dict[str, Any] = {}
    try:
        mark = time.monotonic()
        wait_for(base, server)
        run.phases["server start"] = round(time.monotonic() - mark, 1)
        mark = time.monotonic()
        team = [Client(i, user, base, run) for i, user in enumerate(run.users)]
        logged_in = run_threads([lambda c=c: c.log_in() for c in team])
        if not all(logged_in):
            raise RuntimeError(f"{logged_in.count(False)} clients could not log in")
        run.phases["log in"] = round(time.monotonic() - mark, 1)
        load_before = os.getloadavg()
        started = time.monotonic()
        deadline = started + seconds
        killer = None
        if kill:
            killer = threading.Thread(target=kill_a_worker, args=(server.pid, seconds / 2, killed))
            killer.start()
        run_threads([lambda c=c: c.loop(deadline) for c in team])
        elapsed = time.monotonic() - started
        if killer:
            killer.join()
    finally:
        mark = time.monotonic()
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        run.phases["server stop"] = round(time.monotonic() - mark, 1)
    tally = run.tally
    requests_made = sum(tally.statuses.values()) + len(tally.connection_errors)
    classes = Counter(f"{status // 100}xx" for status in tally.statuses.elements())
    # The log-ins come before the clock starts: counted in the statuses, not in the rate.
    logins = len(tally.times.get(LOG_IN, []))
    every = [t for kind, times in tally.times.items() if kind != LOG_IN for t in times]
    return {
        "server": f"ficarchive serve: gunicorn, {env['WEB_CONCURRENCY']} processes x "
        f"{env['WEB_THREADS']} threads, the background worker beside it",
        "settings": {
            name: value
            for name, value in sorted(env.items())
            if name.startswith(SETTINGS) and name not in ("FICARCHIVE_DATA", "DATABASE_URL")
        },
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": requests_made,
        "log_in_requests": logins,
        "requests_per_second": round((requests_made - logins) / elapsed, 1),
        "by_status_class": dict(sorted(classes.items())),
        "by_status": {str(k): v for k, v in sorted(tally.statuses.items())},
        "server_errors_5xx": classes.get("5xx", 0),
        "server_error_samples": list(Counter(tally.server_errors).most_common(10)),
        "rate_limited_429": tally.statuses.get(429, 0),
        "refused_4xx_samples": list(Counter(tally.refusals).most_common(10)),
        "connection_errors": len(tally.connection_errors),
        **connection_errors(tally.connection_errors, started, killed),
        "writes_without_an_answer": tally.unanswered_writes,
        "client_errors": list(Counter(tally.client_errors).most_common(10)),
        "killed_worker": killed or None,
        # Clients and server share the machine; its load before the run says what else ran.
        "load_average_before": [round(x, 2) for x in load_before],
        "latency_ms": {
            "overall, log-ins left out": latency(every),
            "kinds": {kind: latency(times) for kind, times in sorted(tally.times.items())},
        },
        "server_log": server_log_errors(data / "server.log"),
    }


def connection_errors(
    errors: list[tuple[float, str]], started: float, killed: dict[str, Any]
) -> dict[str, Any]:
    """Requests without an answer: those the killed worker held, and every other one in full."""
    kill = killed.get("at_second", -100.0)
    at_kill = [what for when, what in errors if 0 <= when - started - kill < KILL_WINDOW]
    others = [f"{when - started:.1f} s: {what}" for when, what in sorted(errors)
              if not 0 <= when - started - kill < KILL_WINDOW]  # fmt: skip
    return {
        "connection_errors_when_the_worker_was_killed": len(at_kill),
        "connection_error_reasons": dict(Counter(e.rsplit(": ", 1)[-1] for _, e in errors)),
        "other_connection_errors": others,
    }


def wait_for(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped at start (exit {server.returncode})")
        try:
            if requests.get(base + "/login", timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError("the server did not answer within 5 minutes")


def run_threads(jobs: list[Any]) -> list[Any]:
    results: list[Any] = [None] * len(jobs)

    def job(index: int) -> None:
        results[index] = jobs[index]()

    threads = [threading.Thread(target=job, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def kill_a_worker(server_pid: int, after: float, killed: dict[str, Any]) -> None:
    """SIGKILL one gunicorn worker AFTER seconds; note whether gunicorn started another."""
    time.sleep(after)
    workers = gunicorn_workers(server_pid)
    if not workers:
        killed["error"] = "no gunicorn worker found"
        return
    victim = workers[0]
    os.kill(victim, signal.SIGKILL)
    killed.update({"pid": victim, "at_second": round(after, 1), "workers_before": len(workers)})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        now = gunicorn_workers(server_pid)
        if victim not in now and len(now) == len(workers):
            killed["replaced_after_seconds"] = round(time.monotonic() - deadline + 30, 1)
            return
        time.sleep(0.2)


# --- every database, one process each ---------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", nargs="+", choices=DATABASES, default=list(DATABASES))
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--quick", action="store_true", help="10 clients for 5 s")
    parser.add_argument("--no-kill", action="store_true", help="kill no gunicorn worker")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--one", choices=DATABASES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.clients, args.seconds = 10, 5.0
    if args.one:  # a child: one database, the result as JSON on stdout's last line
        result = run_one(args.one, args.clients, args.seconds, not args.no_kill)
        print(json.dumps(result))
        return 0

    report: dict[str, Any] = json.loads(args.output.read_text()) if args.output.exists() else {}
    report.setdefault("databases", {})
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
        capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    report["machine"] = {"cores": os.cpu_count(), "python": platform.python_version(),
                         "system": platform.platform()}  # fmt: skip
    failed = False
    for database in args.databases:
        print(f"[{database}] {args.clients} clients for {args.seconds:g} s…", flush=True)
        command = [sys.executable, __file__, "--one", database, "--clients", str(args.clients),
                   "--seconds", str(args.seconds), *(["--no-kill"] * args.no_kill)]  # fmt: skip
        child = subprocess.run(command, capture_output=True, text=True, check=False)
        try:
            result = json.loads(child.stdout.strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError):
            result = {"failed": child.stderr[-3000:] or f"exit {child.returncode}"}
        result["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        result["commit"] = commit
        report["databases"][database] = result
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(report, indent=2) + "\n")
        print(summary_line(database, result), flush=True)
        failed |= "failed" in result or bool(
            result.get("server_errors_5xx")
            or result.get("writes", {}).get("lost")
            or result.get("writes", {}).get("duplicated")
            or result.get("writes", {}).get("works_without_a_chapter")
        )
    print(f"Results in {args.output}")
    return 1 if failed else 0


def summary_line(database: str, result: dict[str, Any]) -> str:
    if "requests" not in result:
        return f"[{database}] not run: {result.get('not_run') or result.get('failed')}"
    writes = result["writes"]
    overall = result["latency_ms"]["overall, log-ins left out"]
    return (
        f"[{database}] {result['requests']:,} requests ({result['requests_per_second']}/s), "
        f"5xx {result['server_errors_5xx']}, 429 {result['rate_limited_429']}, "
        f"p50 {overall['p50_ms']} ms, p95 {overall['p95_ms']} ms; "
        f"{writes['acknowledged']:,} acknowledged writes, {writes['lost']} lost, "
        f"{writes['duplicated']} duplicated"
    )


if __name__ == "__main__":
    raise SystemExit(main())
