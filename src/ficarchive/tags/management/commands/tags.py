"""`ficarchive tags load FILE.csv` and `ficarchive tags dump FILE.csv`: tags in and out as CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ficarchive.tags.actions import load_tags
from ficarchive.tags.csvfile import HEADER, dump_tags


class Command(BaseCommand):
    help = (
        f"Load tags from a CSV file or dump them into one. The header is {','.join(HEADER)}; "
        "lists are separated by |. Loading is all or nothing and can be repeated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="load|dump")
        load = commands.add_parser("load", help="load tags from FILE (all or nothing)")
        load.add_argument("file", help="a CSV file")
        dump = commands.add_parser("dump", help="write every tag to FILE ('-' for the screen)")
        dump.add_argument("file", help="a CSV file to write, or -")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "load":
            self.load(Path(options["file"]))
        else:
            self.dump(options["file"])

    def load(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        try:
            report = load_tags(data, path.name)
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(
                f"{path.name}: {len(exc.messages)} problem{'s' if len(exc.messages) > 1 else ''}; "
                "nothing was loaded."
            ) from exc
        self.stdout.write(
            f"Loaded {path.name}: {report.created} tags created, {report.changed} changed, "
            f"{report.unchanged} unchanged."
        )

    def dump(self, target: str) -> None:
        try:
            text = dump_tags()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if target == "-":
            self.stdout.write(text, ending="")
            return
        try:
            Path(target).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot write {target}: {exc.strerror}.") from exc
        rows = text.count("\n") - 1
        self.stdout.write(f"Wrote {rows} tags to {target}.")
