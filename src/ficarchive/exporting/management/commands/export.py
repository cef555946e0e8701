"""`ficarchive export WORK_ID --format epub|html|txt [-o PATH]`: write a work's download file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from ficarchive.exporting.book import Site, work_book
from ficarchive.exporting.downloads import file_name
from ficarchive.exporting.formats import FORMATS
from ficarchive.works.models import Work

DEFAULT_SITE_URL = "http://localhost:8000"


class Command(BaseCommand):
    help = (
        "Write a posted work as EPUB, HTML or TXT, as its readers download it (posted chapters "
        "only). Hidden and restricted works export too: whoever runs this runs the archive."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("work_id", type=int, help="the work's number, as in /works/NUMBER")
        parser.add_argument("--format", choices=list(FORMATS), default="epub", dest="fmt")
        parser.add_argument(
            "-o",
            "--output",
            help="file or folder to write (default: 'Title - Creator.FORMAT' here; - for stdout)",
        )
        parser.add_argument(
            "--site-url",
            default=getattr(settings, "SITE_URL", "") or DEFAULT_SITE_URL,
            help="the archive's address, for the links in the file (default: SITE_URL)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        work = Work.objects.filter(pk=options["work_id"]).first()
        if work is None:
            raise CommandError(f"There is no work {options['work_id']}.")
        if work.is_draft:
            raise CommandError(f"Work {work.pk} is a draft; post it before exporting it.")
        fmt = FORMATS[options["fmt"]]
        site = Site(settings.SITE_NAME, options["site_url"].rstrip("/"))
        with translation.override(settings.LANGUAGE_CODE):  # the same file as a download
            book = work_book(work, AnonymousUser(), site)
            content = fmt.write(book)
        output = options["output"]
        if output == "-":
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
            return
        path = Path(output) if output else Path(file_name(book, fmt.EXTENSION))
        if path.is_dir():
            path = path / file_name(book, fmt.EXTENSION)
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror}.") from exc
        self.stdout.write(f"Wrote {path} ({len(content):,} bytes).")
