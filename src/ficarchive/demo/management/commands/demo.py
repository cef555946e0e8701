"""`ficarchive demo`: load the demo works and their authors into an empty archive."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ficarchive.demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo archive (a dozen short works by five demo authors) into an empty "
        "archive. Refuses if the archive already has works."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = load_demo()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Loaded the demo archive: {count} works.")
