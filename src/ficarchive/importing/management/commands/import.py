"""`ficarchive import FILE... [--dry-run] [--json] [--as USER] [--for-name NAME --for-email
EMAIL]`: read fan fiction files and post them as works (drafts unless the file's metadata is
complete); an archivist imports them for their author, who gets one invitation to claim them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ficarchive.accounts.models import User
from ficarchive.importing.actions import ForAuthor, import_work, invite_external_authors
from ficarchive.importing.inference import infer
from ficarchive.importing.parsed import ParsedWork, UnreadableFile
from ficarchive.importing.readers import read_many
from ficarchive.importing.safety import max_file_bytes, too_large
from ficarchive.moderation.permissions import may
from ficarchive.works.actions import check_author
from ficarchive.works.archived import ExternalAuthor


def _author_id(email: str) -> int:
    return ExternalAuthor.objects.values_list("pk", flat=True).get(email=email)


class Command(BaseCommand):
    help = (
        "Import fan fiction files (.txt, .html, .epub, .docx, .md, or a .zip of them) as "
        "works. Each file is imported in its own transaction: a refused file does not stop "
        "the rest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", help="files to import")
        parser.add_argument(
            "--dry-run", action="store_true", help="read the files and report; create nothing"
        )
        parser.add_argument("--json", action="store_true", help="one JSON object per work")
        parser.add_argument("--as", dest="username", help="the user who posts the works")
        parser.add_argument(
            "--for-name",
            dest="for_name",
            help="archivists: the name of the author the works are imported for",
        )
        parser.add_argument(
            "--for-email",
            dest="for_email",
            help="archivists: the author's email address, where they are invited to claim them",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run: bool = options["dry_run"]
        as_json: bool = options["json"]
        user = None
        if not dry_run:
            if not options["username"]:
                raise CommandError("Name the user to post as with --as USER, or use --dry-run.")
            user = User.objects.filter(username__iexact=options["username"]).first()
            if user is None:
                raise CommandError(f"There is no user {options['username']!r}.")
        for_author = _for_author(user, options["for_name"], options["for_email"])
        files: list[str] = options["files"]
        counts = {"posted": 0, "drafts": 0, "read": 0, "refused": 0}
        imported = 0
        for number, path in enumerate(files, start=1):
            if len(files) > 1 and not as_json:
                self._progress(number, len(files), path)
            for result in self._read(path):
                if isinstance(result, UnreadableFile):
                    counts["refused"] += 1
                    self._refused(result, as_json)
                    continue
                record = infer(result).as_json()
                if user is not None:
                    try:
                        work = import_work(user, result, for_author=for_author, invite=False)
                    except (ValidationError, PermissionDenied) as exc:
                        counts["refused"] += 1
                        self._refused(UnreadableFile(result.source, _reason(exc)), as_json)
                        continue
                    record["id"] = work.pk
                    imported += 1
                    record["problems"] = result.problems
                    counts["drafts" if work.is_draft else "posted"] += 1
                else:
                    counts["read"] += 1
                self._report(record, result, as_json)
        if for_author is not None and imported:  # one invitation for the whole batch
            invite_external_authors([_author_id(for_author.email)])
        self._summary(counts, dry_run, as_json)

    def _read(self, path: str) -> list[ParsedWork | UnreadableFile]:
        file = Path(path)
        try:
            size = file.stat().st_size
            if size > max_file_bytes():
                return [UnreadableFile(path, too_large(size, max_file_bytes()))]
            with file.open("rb") as handle:  # no further than the limit, if it grew meanwhile
                data = handle.read(max_file_bytes() + 1)
        except OSError as exc:
            return [UnreadableFile(path, f"the file cannot be read ({exc.strerror}).")]
        return read_many(file.name, data)

    def _progress(self, number: int, total: int, path: str) -> None:
        width = 30
        done = width * number // total
        bar = "#" * done + "-" * (width - done)
        self.stderr.write(f"[{bar}] {number}/{total} {Path(path).name}")

    def _refused(self, error: UnreadableFile, as_json: bool) -> None:
        if as_json:
            line = {"source": error.name, "error": error.reason}
            self.stdout.write(json.dumps(line, ensure_ascii=False))
        else:
            self.stderr.write(f"Refused {error}")

    def _report(self, record: dict[str, Any], work: ParsedWork, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(record, ensure_ascii=False))
            return
        state = ""
        if "id" in record:
            state = f" → work {record['id']}"
        self.stdout.write(
            f"{work.source}: {work.title or '(no title)'} ({work.format}, "
            f"{len(work.chapters)} chapters, {work.words:,} words){state}"
        )
        for problem in work.problems:
            self.stdout.write(f"  problem: {problem}")

    def _summary(self, counts: dict[str, int], dry_run: bool, as_json: bool) -> None:
        if dry_run:
            text = f"Read {counts['read']} works; refused {counts['refused']} files."
        else:
            text = (
                f"Imported {counts['posted'] + counts['drafts']} works "
                f"({counts['posted']} posted, {counts['drafts']} drafts); "
                f"refused {counts['refused']}."
            )
        (self.stderr if as_json else self.stdout).write(text)
        sys.stdout.flush()


def _for_author(user: User | None, name: str | None, email: str | None) -> ForAuthor | None:
    """The author an archivist imports for, or a CommandError saying what is missing or wrong."""
    if name is None and email is None:
        return None
    if user is None:
        raise CommandError("Importing for someone else needs --as ARCHIVIST (not --dry-run).")
    if not may(user, "import_for_others"):
        raise CommandError(
            f"{user.username} is not an archivist: only archivists may import for someone else "
            "(--for-name, --for-email)."
        )
    if not name or not email:
        raise CommandError("Give both --for-name NAME and --for-email EMAIL.")
    try:
        name, email = check_author(name, email)
    except ValidationError as exc:
        raise CommandError(" ".join(exc.messages)) from exc
    return ForAuthor(name, email)


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and hasattr(exc, "message_dict"):
        parts = [f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()]
        return "the archive refused the work (" + "; ".join(parts) + ")."
    return f"the archive refused the work ({exc})."
