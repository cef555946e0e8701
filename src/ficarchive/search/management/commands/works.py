"""`ficarchive works load FILE.jsonl`: bulk-load works from JSON Lines (see search/loading.py)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ficarchive.search.loading import BATCH, load_works


class Command(BaseCommand):
    help = "Bulk-load works from a JSON Lines file, one work per line; bad lines are reported."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="load")
        load = commands.add_parser("load", help="load works from FILE.jsonl")
        load.add_argument("file", help="a JSON Lines file")
        load.add_argument("--batch", type=int, default=BATCH, help="works per transaction")
        load.add_argument("--quiet", action="store_true", help="no progress line")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        started = time.perf_counter()

        def progress(lines: int) -> None:
            if not options["quiet"]:
                rate = lines / max(time.perf_counter() - started, 1e-6)
                sys.stderr.write(f"\r{lines:,} lines read ({rate:,.0f}/s)")
                sys.stderr.flush()

        try:
            with path.open(encoding="utf-8") as lines:
                report = load_works(lines, batch=options["batch"], progress=progress)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        if not options["quiet"]:
            sys.stderr.write("\n")
        for number, reason in report.bad:
            self.stderr.write(f"line {number}: {reason}")
        self.stdout.write(f"Loaded {report.loaded} works; {len(report.bad)} bad lines skipped.")
        if report.bad:
            raise CommandError(f"{len(report.bad)} bad lines (listed above).")
