"""`ficarchive search 'include=Fluff&sort=kudos' --json`: the search page's query, as a command.

With `--batch FILE` it reads one query per line and prints one JSON line per query, building the
index once. Queries run as a guest sees the archive.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import QueryDict

from ficarchive.search.engine import Index, Result, get_index
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

    def handle(self, *args: Any, **options: Any) -> None:
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
