"""Backup benchmark: how long `ficarchive backup` and `restore` take, and what a writer feels
while a backup runs, against the same writer without one (the baseline, in the same run).

    python bench/bench_backup.py [WORKS]   (default 20000; writes bench/results/backup.json)

SQLite by default; with DATABASE_URL set, PostgreSQL (the restore goes into a second database,
dropped afterwards). The writer commits one small row per transaction as fast as it can, for
a few seconds alone, then while `ficarchive backup` runs; its commit times are compared.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "backup.json"
BASELINE_SECONDS = 5.0

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")


class Writer(threading.Thread):
    """Commits one change log row per transaction, timing each commit, until stopped."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.times: list[tuple[float, float]] = []  # (finished at, seconds)

    def run(self) -> None:
        from django.db import connection, transaction

        from ficarchive.search.models import SearchChange

        try:
            while not self.stop.is_set():
                started = time.perf_counter()
                with transaction.atomic():
                    SearchChange.objects.create(work_id=None)
                done = time.perf_counter()
                self.times.append((done, done - started))
        finally:
            connection.close()

    def between(self, start: float, end: float) -> dict[str, float]:
        seconds = [s for at, s in self.times if start <= at <= end]
        ordered = sorted(seconds)
        return {
            "commits": len(seconds),
            "commits_per_second": round(len(seconds) / (end - start), 1),
            "p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p99_ms": round(ordered[int(len(ordered) * 0.99)] * 1000, 2),
            "max_ms": round(ordered[-1] * 1000, 2),
        }


def _cli(*args: str, **env: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    environment = {**os.environ, **env}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "ficarchive.cli", *args],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return time.perf_counter() - started, done


def run(size: int, work: Path) -> dict[str, Any]:
    from django.db import connection

    from bench.corpus import works as corpus
    from ficarchive.cli import ensure_database
    from ficarchive.search.loading import load_works

    ensure_database()
    report = load_works(json.dumps(w) for w in corpus(size))
    assert not report.bad, report.bad[:3]
    vendor = connection.vendor
    connection.close()

    writer = Writer()
    writer.start()
    time.sleep(BASELINE_SECONDS)
    backup_started = time.perf_counter()
    backup_seconds, _ = _cli("backup", str(work / "archive.tar"))
    backup_ended = time.perf_counter()
    writer.stop.set()
    writer.join()
    baseline = writer.between(backup_started - BASELINE_SECONDS, backup_started)
    during = writer.between(backup_started, backup_ended)

    restore_env = {"FICARCHIVE_DATA": str(work / "restored")}
    if vendor == "postgresql":
        restore_env["DATABASE_URL"] = os.environ["DATABASE_URL"] + "_bench_restored"
    restore_seconds, restored = _cli("restore", str(work / "archive.tar"), **restore_env)
    if vendor == "postgresql":
        _drop(connection.settings_dict, connection.settings_dict["NAME"] + "_bench_restored")
    start_seconds, _ = _cli("help")  # the CLI's own start, inside both figures above
    return {
        "works": size,
        "vendor": vendor,
        "backup_seconds": round(backup_seconds, 2),
        "backup_mb": round((work / "archive.tar").stat().st_size / 2**20, 1),
        "restore_seconds": round(restore_seconds, 2),
        "cli_start_seconds": round(start_seconds, 2),
        "writer_alone": baseline,
        "writer_during_backup": during,
        "restore_said": restored.stdout.strip().splitlines()[1:],
    }


def _drop(settings: dict[str, Any], name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        dbname="postgres",
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        autocommit=True,
    ) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with tempfile.TemporaryDirectory(prefix="ficarchive-backup-bench-") as data:
        os.environ["FICARCHIVE_DATA"] = str(Path(data) / "archive")
        import django

        django.setup()
        result = run(size, Path(data))
    print(json.dumps(result), flush=True)
    old = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    runs = {f"{r['vendor']}-{r['works']}": r for r in old.get("runs", [])}
    runs[f"{result['vendor']}-{size}"] = result
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    summary = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "runs": sorted(runs.values(), key=lambda r: (r["vendor"], r["works"])),
    }
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
