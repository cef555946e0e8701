"""`ficarchive restore PATH`: a backup back into an empty FICARCHIVE_DATA or database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ficarchive.backups.manifest import BackupError
from ficarchive.backups.restoring import VENDOR_NAMES, RestoreSummary, restore_backup

# What the summary names first, as (model, plural).
HEADLINE = [
    ("accounts.User", "users"),
    ("works.Work", "works"),
    ("works.Chapter", "chapters"),
    ("tags.Tag", "tags"),
    ("social.Comment", "comments"),
    ("social.Bookmark", "bookmarks"),
    ("social.Kudos", "kudos"),
]


class Command(BaseCommand):
    help = (
        "Restore a backup made by `ficarchive backup` into an empty FICARCHIVE_DATA (SQLite) or "
        "an empty database (DATABASE_URL; created if it does not exist)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the backup file")
        parser.add_argument(
            "--reindex",
            action="store_true",
            help="write every work's text document again even when the text index matches",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = restore_backup(Path(options["path"]), reindex=options["reindex"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.report(Path(options["path"]), summary, int(options["verbosity"]))

    def report(self, path: Path, summary: RestoreSummary, verbosity: int) -> None:
        manifest = summary.manifest
        self.stdout.write(
            f"Restored {path}, made {manifest.created} by ficarchive {manifest.archive_version} "
            f"on {VENDOR_NAMES[manifest.vendor]}:"
        )
        named = []
        for label, plural in HEADLINE:
            table = apps.get_model(label)._meta.db_table
            named.append(f"{summary.tables.get(table, 0)} {plural}")
        self.stdout.write("  " + ", ".join(named))
        self.stdout.write(
            f"  {sum(summary.tables.values())} rows in {len(summary.tables)} tables, "
            f"{summary.media_files} uploaded files, the secret key"
        )
        if verbosity > 1:
            for table, rows in sorted(summary.tables.items()):
                self.stdout.write(f"    {table}: {rows}")
        if summary.migrated:
            self.stdout.write(f"  applied {summary.migrated} migrations (the backup was older)")
        self.stdout.write(f"  search: {summary.search}")
        for warning in summary.warnings:
            self.stderr.write(f"Warning: {warning}")
