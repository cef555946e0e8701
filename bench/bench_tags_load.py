"""Loading a real vocabulary: a synthetic tags file in the format of the OTW's data dump,
loaded by `ficarchive tags load` (tags.actions.vocabulary.load_otw_tags).

    python bench/bench_tags_load.py                  1,000,000 rows on SQLite (and PostgreSQL
                                                     when DATABASE_URL is set)
    python bench/bench_tags_load.py --rows 100000 --databases sqlite

The file is made up, not copied: `id,type,name,canonical,cached_count,merger_id` with the dump's
proportions as far as they are known (most rows unwrangled or synonyms, many named "Redacted"),
names quoted when they hold a comma, unicode names, relationships named from their characters,
and synonyms whose canonical tag comes later in the file. For each database, in a process of its
own: a new, migrated archive (SQLite in a temporary data folder; a new PostgreSQL database,
dropped at the end), then one timed load. Reported per database: seconds, rows per second,
the loading process's peak resident memory above its resident memory before the load (VmHWM
reset), and the load's report. Results go to bench/results/tags_load.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "tags_load.json"
MB = 1024 * 1024

SYLLABLES = ["ka", "ri", "to", "mo", "ne", "sa", "lu", "vi", "zo", "én", "ðe", "ya", "qu", "il"]
KINDS = [  # (type, share of the rows)
    ("Freeform", 0.42),
    ("Character", 0.2),
    ("Relationship", 0.3),
    ("Fandom", 0.04),
    ("UnsortedTag", 0.04),
]


def _name(rng: random.Random, words: int) -> str:
    parts = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(words)]
    return " ".join(part.capitalize() for part in parts)


def make_dump(path: Path, rows: int, seed: int = 16) -> dict[str, int]:
    """Write ROWS rows of a synthetic dump tags file to PATH; how many of each kind."""
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    characters: list[str] = []
    canonical_ids: dict[str, list[int]] = {kind: [] for kind, _ in KINDS}
    pending: list[tuple[int, str, str]] = []  # synonyms waiting for a later canonical tag
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["id", "type", "name", "canonical", "cached_count", "merger_id"])
        writer.writerow([1, "Media", "TV Shows", "true", 1, ""])
        writer.writerow([2, "Rating", "Explicit", "true", 1, ""])
        written = 2
        tag_id = 10
        while written < rows:
            tag_id += rng.randint(1, 3)
            kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
            roll = rng.random()
            if roll < 0.35:  # hidden by the dump
                writer.writerow([tag_id, kind, "Redacted", "false", 0, ""])
                counts["redacted"] = counts.get("redacted", 0) + 1
                written += 1
                continue
            if kind == "Relationship" and len(characters) > 2:
                first, second = rng.sample(characters[-5000:], 2)
                name = f"{first}{rng.choice(['/', ' & '])}{second} {tag_id}"
            else:
                name = f"{_name(rng, rng.randint(1, 3))} {tag_id}"
                if rng.random() < 0.02:
                    name = f"{name} (Bench, {kind})"  # a comma: quoted, and left out
            if kind == "UnsortedTag" or roll < 0.55:
                writer.writerow([tag_id, kind, name, "false", rng.randint(0, 50), ""])
                counts["unwrangled"] = counts.get("unwrangled", 0) + 1
            elif roll < 0.75 and (canonical_ids[kind] or rng.random() < 0.3):
                if canonical_ids[kind] and rng.random() < 0.8:
                    merger = rng.choice(canonical_ids[kind][-20000:])
                    writer.writerow([tag_id, kind, name, "false", 1, merger])
                else:  # its canonical tag comes on a later row
                    pending.append((tag_id, kind, name))
                counts["synonym"] = counts.get("synonym", 0) + 1
            else:
                writer.writerow([tag_id, kind, name, "true", rng.randint(1, 5000), ""])
                canonical_ids[kind].append(tag_id)
                counts["canonical"] = counts.get("canonical", 0) + 1
                if kind == "Character":
                    characters.append(name)
                while pending and pending[-1][1] == kind:
                    synonym_id, _, synonym_name = pending.pop()
                    writer.writerow([synonym_id, kind, synonym_name, "false", 1, tag_id])
            written += 1
        for synonym_id, kind, synonym_name in pending:  # their canonical tag never came
            writer.writerow([synonym_id, kind, synonym_name, "false", 1, 99_999_999])
    counts["rows"] = written
    return counts


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def run_one(dump: Path) -> dict[str, Any]:
    """In this process: set up Django on the environment's database, migrate, load DUMP."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")
    django.setup()
    from django.db import connection

    from ficarchive.cli import ensure_database
    from ficarchive.tags.actions.vocabulary import load_otw_tags
    from ficarchive.tags.models import Tag

    ensure_database()
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current VmRSS
    idle = _status("VmRSS")
    started = time.perf_counter()
    with dump.open("rb") as stream:
        report = load_otw_tags(stream, dump.name, size=dump.stat().st_size)
    seconds = time.perf_counter() - started
    peak = _status("VmHWM")
    return {
        "database": connection.vendor,
        "seconds": round(seconds, 1),
        "rows_per_second": round(report.rows / seconds),
        "peak_memory_above_idle_mb": round((peak - idle) / MB, 1),
        "idle_memory_mb": round(idle / MB, 1),
        "tags_in_archive": Tag.objects.count(),
        "report": {
            "rows": report.rows,
            "created": report.created,
            "synonyms": report.synonyms,
            "unresolved": report.unresolved,
            "with_characters": report.with_characters,
            "skipped": dict(report.skipped),
        },
    }


def in_a_process(database: str, dump: Path) -> dict[str, Any]:
    data = Path(tempfile.mkdtemp(prefix="ficarchive-tags-bench-"))
    env = {**os.environ, "FICARCHIVE_DATA": str(data), "FICARCHIVE_DEMO": "0"}
    name = ""
    if database == "postgresql":
        import psycopg

        base = urlsplit(os.environ["DATABASE_URL"])
        name = f"ficarchive_tags_bench_{os.getpid()}"
        admin = urlunsplit(base._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
        env["DATABASE_URL"] = urlunsplit(base._replace(path=f"/{name}"))
    else:
        env.pop("DATABASE_URL", None)
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(dump)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            return {"database": database, "failed": done.stderr[-2000:]}
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return result
    finally:
        if name:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[arg-type]
        shutil.rmtree(data, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--databases", nargs="+", choices=("sqlite", "postgresql"))
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        sys.path.insert(0, str(ROOT / "src"))
        print(json.dumps(run_one(Path(args.one))))
        return 0
    databases = args.databases or (
        ["sqlite", "postgresql"] if os.environ.get("DATABASE_URL") else ["sqlite"]
    )
    work = Path(tempfile.mkdtemp(prefix="ficarchive-tags-dump-"))
    try:
        dump = work / "tags.csv"
        started = time.perf_counter()
        made = make_dump(dump, args.rows)
        took = time.perf_counter() - started
        print(f"made {dump.stat().st_size / MB:.0f} MB, {made} in {took:.0f} s")
        results = []
        for database in databases:
            result = in_a_process(database, dump)
            results.append(result)
            print(json.dumps(result))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "rows": args.rows,
                "file": made,
                "results": results,
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
            },
            indent=2,
        )
    )
    return 1 if any("failed" in result for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
