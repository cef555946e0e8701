"""Posting an imported work through the works app's own actions.

A work whose file states a title, rating, warnings and fandom is posted; anything less is kept
as a draft for its uploader to finish, with placeholders where the archive requires a value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction

from ficarchive.accounts.standing import require_good_standing
from ficarchive.importing.inference import infer
from ficarchive.importing.invitations import queue_invitation
from ficarchive.importing.parsed import INFERRED, ParsedWork, UnreadableFile
from ficarchive.importing.readers import read_many
from ficarchive.moderation.permissions import require
from ficarchive.tags.models import CHOSE_NOT_TO_WARN, NOT_RATED
from ficarchive.works import actions as works
from ficarchive.works.models import LANGUAGES, Series, Work

if TYPE_CHECKING:
    from ficarchive.accounts.models import User

UNKNOWN_FANDOM = "Unknown Fandom"


@dataclass(frozen=True)
class ForAuthor:
    """The author an archivist imports a work for (with their permission)."""

    name: str
    email: str


def metadata_complete(parsed: ParsedWork) -> bool:
    """Whether the file itself says everything a posted work needs."""
    return bool(
        parsed.title
        and parsed.rating
        and parsed.rating_source != INFERRED
        and parsed.warnings
        and parsed.fandoms
        and "fandoms" not in parsed.inferred
    )


def _fit(parsed: ParsedWork, name: str, value: str, limit: int) -> str:
    if len(value) <= limit:
        return value
    parsed.problem(f"The {name} was longer than {limit:,} characters and was shortened.")
    return value[:limit]


COMMA_LOOKALIKE = "\u201a"  # what AO3 itself puts in tag names for a comma


def _tags(parsed: ParsedWork, names: list[str]) -> list[str]:
    """Tag names as the archive takes them: commas separate tags, so one inside a name
    becomes a lookalike."""
    fixed = []
    for name in names:
        if "," in name:
            parsed.problem(f"The tag {name!r} had commas; they were replaced by lookalikes.")
            name = name.replace(",", COMMA_LOOKALIKE)
        fixed.append(name)
    return fixed


def work_details(parsed: ParsedWork) -> works.WorkDetails:
    known_languages = {code for code, _ in LANGUAGES}
    chapters = len(parsed.chapters)
    expected = parsed.expected_chapters
    if parsed.complete is True:
        expected = max(expected or chapters, chapters)
    elif expected is not None:
        expected = max(expected, chapters)
    return works.WorkDetails(
        title=_fit(parsed, "title", parsed.title or parsed.source, works.MAX_TITLE),
        rating=parsed.rating or NOT_RATED,
        warnings=_tags(parsed, parsed.warnings) or [CHOSE_NOT_TO_WARN],
        fandoms=_tags(parsed, parsed.fandoms) or [UNKNOWN_FANDOM],
        categories=_tags(parsed, parsed.categories),
        relationships=_tags(parsed, parsed.relationships),
        characters=_tags(parsed, parsed.characters),
        freeforms=_tags(parsed, parsed.freeforms),
        summary=_fit(parsed, "summary", parsed.summary, works.MAX_SUMMARY),
        begin_notes=_fit(parsed, "beginning notes", parsed.begin_notes, works.MAX_NOTES),
        end_notes=_fit(parsed, "end notes", parsed.end_notes, works.MAX_NOTES),
        language=parsed.language if parsed.language in known_languages else "en",
        expected_chapters=expected,
    )


def read_uploads(
    files: Iterable[tuple[str, bytes]], text: str = ""
) -> list[ParsedWork | UnreadableFile]:
    """Uploaded files (and pasted text) read and completed by inference, for a preview. FILES
    is read one at a time, and each file's bytes are let go once it is read."""
    results: list[ParsedWork | UnreadableFile] = []
    for name, data in files:
        results.extend(_read_inferred(name, data))
        del data
    if text.strip():
        results.extend(_read_inferred("pasted text.txt", text.encode("utf-8")))
    return results


def _read_inferred(name: str, data: bytes) -> list[ParsedWork | UnreadableFile]:
    return [r if isinstance(r, UnreadableFile) else infer(r) for r in read_many(name, data)]


def import_work(
    user: User,
    parsed: ParsedWork,
    *,
    draft: bool | None = None,
    for_author: ForAuthor | None = None,
    invite: bool = True,
) -> Work:
    """Create the work and all its chapters in one transaction, as a draft unless the file's
    metadata is complete (or as DRAFT says). Raises ValidationError (nothing is written) when
    the archive refuses it.

    With FOR_AUTHOR, USER (an archivist) imports it for its author, who is credited and, once
    it commits, invited to claim it (unless INVITE is false: a batch invites once at its end,
    through `invite_external_authors`)."""
    require_good_standing(user)
    if for_author is not None:
        require(user, "import_for_others")
        works.check_author(for_author.name, for_author.email)
    if draft is None:
        draft = not metadata_complete(parsed)
    details = work_details(parsed)
    credits = [works.CreditDetails(role=c.role, name=c.name[:100]) for c in parsed.credits]
    chapters = [
        works.ChapterDetails(
            body=chapter.body,
            title=chapter.title[: works.MAX_TITLE],
            summary=chapter.summary[: works.MAX_SUMMARY],
            begin_notes=chapter.begin_notes[: works.MAX_NOTES],
            end_notes=chapter.end_notes[: works.MAX_NOTES],
        )
        for chapter in parsed.chapters
    ]
    series_title = parsed.series.name[: works.MAX_TITLE] if parsed.series else ""
    with transaction.atomic():
        series = (
            Series.objects.by_user(user).filter(title=series_title).first()
            if series_title
            else None
        )
        work = works.post_work(  # as a draft: posted below with all its chapters, checked once
            user,
            [user.default_pseud],
            details,
            chapters[0],
            draft=True,
            credits=credits,
            series=series,
            new_series=series_title if series is None else "",
        )
        for chapter in chapters[1:]:
            works.add_chapter(user, work, chapter, draft=True)
        # The author an archivist imports for is in the byline: not again as "originally by".
        credited = for_author.name.casefold() if for_author is not None else None
        others = [name for name in parsed.creators if name.strip().casefold() != credited]
        works.keep_original(user, work, others, parsed.published, parsed.updated)
        if for_author is not None:
            external = works.archive_work(user, work, for_author.name, for_author.email)
            if invite:
                invite_external_authors([external.name.author_id])
        if not draft:
            works.post_draft_work(user, work)
    work.refresh_from_db()
    return work


def invite_external_authors(author_ids: Iterable[int]) -> None:
    """Once the transaction commits, queue one invitation per external author. Each mail lists
    every work of theirs not yet mailed, so a batch for one author is one mail; works posted one
    by one in a sitting are gathered by the queue's short wait (`invitations.INVITATION_DELAY`)."""
    for author_id in sorted(set(author_ids)):
        transaction.on_commit(partial(queue_invitation, author_id))
