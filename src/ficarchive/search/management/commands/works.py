"""`ficarchive works load FILE.jsonl`: bulk-load works from JSON Lines (see search/loading.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ficarchive.search.loading import BATCH, count_lines, load_works, progress_bar


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
        try:
            total = 0 if options["quiet"] else count_lines(path)
            progress = None if options["quiet"] else progress_bar(total, sys.stderr)
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
