"""What the site switches cost a request: `switches.current()` answered from the process's
one-second memo, against reading the row from the database every time (the baseline, in the
same run), on SQLite by default or on PostgreSQL with DATABASE_URL.

    python bench/bench_switches.py   (writes bench/results/switches-sqlite.json, or
                                      switches-postgresql.json with DATABASE_URL)
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CALLS = 5_000
ROUNDS = 5

sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("FICARCHIVE_DATA", tempfile.mkdtemp(prefix="ficarchive-bench-switches-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")


def per_call(function: Callable[[], object]) -> float:
    """The median over ROUNDS of the microseconds one call takes."""
    rounds = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for _ in range(CALLS):
            function()
        rounds.append((time.perf_counter() - started) / CALLS * 1e6)
    return statistics.median(rounds)


def main() -> None:
    import django

    django.setup()
    from django.db import connection

    from ficarchive.cli import ensure_database
    from ficarchive.moderation import switches
    from ficarchive.moderation.models import SiteSwitches

    ensure_database()
    SiteSwitches.objects.update_or_create(pk=SiteSwitches.ROW, defaults={"downloads": False})
    switches.current()
    results = {
        "database": connection.vendor,
        "python": platform.python_version(),
        "calls_per_round": CALLS,
        "read_from_the_database_us": round(per_call(switches.read), 2),
        "current_from_the_memo_us": round(per_call(switches.current), 3),
        "database_reads_per_second_per_process": 1 / switches.KEPT_SECONDS,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    written = RESULTS / f"switches-{connection.vendor}.json"
    written.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
