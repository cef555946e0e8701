"""`ficarchive backup PATH`: the whole archive in one tar file, while it serves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ficarchive.backups.making import make_backup
from ficarchive.backups.manifest import BackupError


class Command(BaseCommand):
    help = (
        "Write the database, the uploads and the secret key to one tar file, while the archive "
        "serves. PATH is a file name (.tar, or .tar.gz to compress) or a folder, which gets "
        "ficarchive-YYYYmmdd-HHMMSS.tar."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the backup file to write, or a folder to write it in")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = make_backup(Path(options["path"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(summary.tables.values())
        self.stdout.write(
            f"Wrote {summary.path} ({summary.size / 1_000_000:.1f} MB): {rows} rows in "
            f"{len(summary.tables)} tables, {summary.media_files} uploaded files and the secret "
            "key. Keep it where only admins can read it."
        )
