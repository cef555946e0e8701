"""`ficarchive challenges match FILE.jsonl [--match fandoms=1 …] [--json]`: a gift exchange's
matching alone, as the background job runs it (`collections.matching`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ficarchive.collections.exchange_file import (
    ExchangeFileError,
    parse_rules,
    read_participants,
)
from ficarchive.collections.matching import match


class Command(BaseCommand):
    help = "Gift exchanges: `challenges match FILE.jsonl` assigns givers to recipients."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("verb", choices=["match"], help="match: run the matching alone")
        parser.add_argument("file", help="sign-ups, one JSON object a line ('-': standard input)")
        parser.add_argument(
            "--match",
            action="append",
            default=[],
            metavar="TYPE=COUNT",
            help="tags of each type an offer must share with a request (repeat; COUNT a "
            "number or all); default fandoms=1",
        )
        parser.add_argument("--json", action="store_true", help="print the answer as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["file"]
        try:
            rules = parse_rules(options["match"])
            if source == "-":
                people = read_participants(sys.stdin, "standard input")
            else:
                path = Path(source)
                if not path.is_file():
                    raise CommandError(f"{source}: no such file")
                with path.open(encoding="utf-8", errors="strict") as lines:
                    people = read_participants(lines, source)
        except UnicodeDecodeError as exc:
            raise CommandError(f"{source}: not UTF-8 text ({exc.reason})") from exc
        except ExchangeFileError as exc:
            raise CommandError(str(exc)) from exc
        result = match(people, rules)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        self.stdout.write(
            f"{len(result.assignments)} assignments for {len(people)} participants "
            f"({result.pairs} allowed pairs) in {result.took_s} s"
        )
        for assignment in result.assignments:
            self.stdout.write(
                f"  {assignment.giver} → {assignment.recipient} (offer {assignment.offer}, "
                f"request {assignment.request}, tags shared: {assignment.quality})"
            )
        for left in result.unmatched:
            self.stdout.write(f"  left out: {left.participant}: {'; '.join(left.why)}")
