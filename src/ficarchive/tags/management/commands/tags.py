"""`ficarchive tags load FILE.csv` and `ficarchive tags dump FILE.csv`: tags in and out as CSV.

`load` reads our own tags files and the tags file of the OTW's public data dump, telling them
apart by their header.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, NoReturn, TextIO

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ficarchive.tags.actions import load_tags
from ficarchive.tags.actions.vocabulary import load_otw_tags
from ficarchive.tags.csvfile import HEADER, dump_tags
from ficarchive.tags.otwfile import COLUMNS, file_format

PHASES = {"rows": "Reading rows", "synonyms": "Linking synonyms", "characters": "Characters"}


class ProgressLine:
    """How far a load is: on a terminal, one line redrawn in place (`Reading rows [####----]
    42%  5,900,000  85,000/s`); elsewhere, a plain line every EVERY seconds and at each phase's
    end."""

    def __init__(self, out: TextIO, *, tty: bool | None = None, every: float = 10.0) -> None:
        self.out = out
        self.tty = out.isatty() if tty is None else tty
        self.every = every
        self.phase = ""
        self.started = self.shown = self.last = time.monotonic()

    def __call__(self, phase: str, done: int, share: float) -> None:
        now = time.monotonic()
        if phase != self.phase:
            if self.phase and self.tty:
                self.out.write("\n")
            # A phase starts where the last one ended (or where the load did).
            self.phase, self.started, self.shown = phase, self.last, 0.0
        self.last = now
        rate = done / max(now - self.started, 1e-6)
        label = PHASES.get(phase, phase)
        if self.tty:
            bar = "#" * round(share * 30)
            self.out.write(f"\r{label} [{bar:-<30}] {share:4.0%}  {done:,}  {rate:,.0f}/s ")
        elif share >= 1.0 or now - self.shown >= self.every:
            self.out.write(f"{label}: {done:,} ({share:.0%}), {rate:,.0f}/s\n")
            self.shown = now
        self.out.flush()

    def close(self) -> None:
        if self.phase and self.tty:
            self.out.write("\n")


class Command(BaseCommand):
    help = (
        f"Load tags from a CSV file or dump them into one. The header is {','.join(HEADER)} "
        f"(lists separated by |), or {','.join(COLUMNS)} for the tags file of the OTW's data "
        "dump. Loading is all or nothing and can be repeated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="load|dump")
        load = commands.add_parser("load", help="load tags from FILE (all or nothing)")
        load.add_argument("file", help="a CSV file: ours, or the OTW data dump's tags file")
        load.add_argument("--quiet", action="store_true", help="no progress line")
        dump = commands.add_parser("dump", help="write every tag to FILE ('-' for the screen)")
        dump.add_argument("file", help="a CSV file to write, or -")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "load":
            self.load(Path(options["file"]), quiet=options["quiet"])
        else:
            self.dump(options["file"])

    def load(self, path: Path, *, quiet: bool = False) -> None:
        try:
            with path.open("rb") as stream:
                if file_format(stream, path.name) == "otw":
                    self.load_otw(stream, path, quiet=quiet)
                    return
                data = stream.read()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        except ValidationError as exc:
            self.fail(path, exc)
        try:
            report = load_tags(data, path.name)
        except ValidationError as exc:
            self.fail(path, exc)
        self.stdout.write(
            f"Loaded {path.name}: {report.created} tags created, {report.changed} changed, "
            f"{report.unchanged} unchanged."
        )

    def load_otw(self, stream: Any, path: Path, *, quiet: bool) -> None:
        # The stream under Django's wrapper, which would end every write with a new line.
        progress = None if quiet else ProgressLine(getattr(self.stderr, "_out", sys.stderr))
        try:
            report = load_otw_tags(stream, path.name, size=path.stat().st_size, progress=progress)
        except ValidationError as exc:
            if progress is not None:
                progress.close()
            self.fail(path, exc)
        if progress is not None:
            progress.close()
        for line in report.summary(path.name):
            self.stdout.write(line)

    def fail(self, path: Path, exc: ValidationError) -> NoReturn:
        for message in exc.messages:
            self.stderr.write(message)
        count = len(exc.messages)
        raise CommandError(
            f"{path.name}: {count} problem{'s' if count > 1 else ''}; nothing was loaded."
        ) from exc

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
