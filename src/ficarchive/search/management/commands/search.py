"""`ficarchive search 'include=Fluff&sort=kudos' --json`: the search page's query, as a command.

With `--batch FILE` it reads one query per line and prints one JSON line per query, building the
index once. Queries run as a guest sees the archive. `--prune` trims the change log (rows
older than an hour); `--reindex` writes every work's text document again and discards the
machine's search snapshot.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.http import QueryDict

from ficarchive.search.actions import prune_changes, record_change
from ficarchive.search.documents import rebuild_documents
from ficarchive.search.engine import Index, Result
from ficarchive.search.index_keeper import get_index, reset_index
from ficarchive.search.query import BadQuery, SearchQuery
from ficarchive.works.models import Work


class Command(BaseCommand):
    help = "Search works with the URL parameters of the search page, as a guest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "query", nargs="?", default="", help="URL parameters, e.g. 'q=storm&sort=kudos'"
        )
        parser.add_argument("--json", action="store_true", help="print the answer as JSON")
        parser.add_argument(
            "--batch", metavar="FILE", help="one query per line; one JSON line each"
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help="delete change log rows older than an hour (running indexes need no more)",
        )
        parser.add_argument(
            "--reindex",
            action="store_true",
            help="write every listed work's text document again (after raw bulk changes)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["prune"] or options["reindex"]:
            if options["reindex"]:
                with transaction.atomic():
                    count = rebuild_documents()
                    record_change([None])
                # The machine's snapshot holds what the raw changes did not tell the change
                # log: discarded, every process builds or maps a new one.
                reset_index(discard_snapshot=True)
                self.stdout.write(f"Wrote the text documents of {count} works.")
            if options["prune"]:
                self.stdout.write(f"Deleted {prune_changes()} old change log rows.")
            return
        index = get_index()
        if options["batch"]:
            try:
                lines = Path(options["batch"]).read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise CommandError(f"Cannot read {options['batch']}: {exc.strerror}.") from exc
            for number, line in enumerate(lines, start=1):
                try:
                    answer: dict[str, Any] = self.run(index, line.strip()).as_json()
                except BadQuery as exc:
                    answer = {"line": number, "error": str(exc)}
                self.stdout.write(json.dumps(answer))
            return
        try:
            result = self.run(index, options["query"])
        except BadQuery as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json()))
            return
        titles = dict(Work.objects.filter(id__in=result.ids).values_list("id", "title"))
        self.stdout.write(f"{result.total} works ({result.took_ms:.1f} ms)")
        for work_id in result.ids:
            self.stdout.write(f"{work_id:>8}  {titles.get(work_id, '')}")

    @staticmethod
    def run(index: Index, params: str) -> Result:
        query = SearchQuery.from_params(QueryDict(params.lstrip("?")))
        return index.search(query, AnonymousUser())
