"""An archive where every user-writable text field holds every XSS vector, posted through the
real actions.

The vectors go in batches, one work per batch: its title, summary and notes, its three chapters
(HTML, Markdown and plain text: title, summary, notes, body), its series (title, description,
notes), its tags of every type, credits, a reader's comment and the author's reply, guests'
comments (name and text), a reader's bookmark (notes and tags) and a pseud's description.
Each field holds the batch's vectors one after the other, each as `XV<number>-<field> <vector>`
(`vectors.labelled`), so a finding names the vector and the field. A batch is as long as the
shortest one-line field allows (a series title: 255 characters); fields holding one name each
(tags, credits, guest names, bookmark tags) get as many names as their vectors need.

Each vector alone goes through the sanitizer and the download converters in
`test_xss_isolated.py`; here they meet the templates, feeds and downloads together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from ficarchive.accounts.actions import create_pseud
from ficarchive.accounts.models import User
from ficarchive.social.actions import BookmarkDetails, post_comment, save_bookmark, subscribe
from ficarchive.social.actions.bookmarks import MAX_TAG as MAX_BOOKMARK_TAG
from ficarchive.social.actions.comments import GuestDetails
from ficarchive.social.models import Bookmark, Comment
from ficarchive.social.tasks import fan_out
from ficarchive.tags.actions import split_tag_names
from ficarchive.tags.models import GENERAL, MAX_TAG_LENGTH, NO_WARNINGS, Tag
from ficarchive.text import BodyFormat
from ficarchive.works import actions
from ficarchive.works.models import Chapter, Series, Work
from tests.hostile.vectors import labelled, xss_vectors

CHAPTER_FORMATS = (BodyFormat.HTML, BodyFormat.MARKDOWN, BodyFormat.PLAIN)
NAME_LIMIT = 100  # credit names, guest names
ONE_LINE_LIMIT = actions.MAX_TITLE  # work, chapter and series titles
WIDEST_ONE_LINE_FIELD = "series-title"


@dataclass
class HostileArchive:
    alice: User  # writes every work
    carol: User  # reads, comments, bookmarks, follows Alice
    batches: list[list[int]] = field(default_factory=list)  # vector numbers, one list a work
    works: list[Work] = field(default_factory=list)
    chapters: list[list[Chapter]] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    comments: list[list[Comment]] = field(default_factory=list)
    bookmarks: list[Bookmark] = field(default_factory=list)
    pseuds: list[str] = field(default_factory=list)  # pseud names

    def tags(self) -> list[Tag]:
        return list(
            Tag.objects.filter(taggings__work__in=self.works, name__startswith="XV").distinct()
        )


def batches(numbers: Iterable[int], limit: int = ONE_LINE_LIMIT) -> list[list[int]]:
    """The vector NUMBERS in runs whose labelled vectors fit one after the other in LIMIT."""
    runs: list[list[int]] = []
    length = limit + 1
    for number in numbers:
        size = len(labelled(number, WIDEST_ONE_LINE_FIELD))
        if runs and length + 1 + size <= limit:
            runs[-1].append(number)
            length += 1 + size
        else:
            runs.append([number])
            length = size
    return runs


def packed(numbers: list[int], name: str, separator: str = "\n\n") -> str:
    """One field holding the vectors NUMBERS, each labelled: as paragraphs, or on one line."""
    return separator.join(labelled(number, name) for number in numbers)


def names(numbers: list[int], name: str, limit: int, *, commas: bool = True) -> list[str]:
    """Name fields (tags, credits) holding the vectors NUMBERS: as many vectors to a name as
    fit in LIMIT. A tag field splits what was typed at commas, as its form does."""
    found: list[str] = []
    for number in numbers:
        pieces = split_tag_names(labelled(number, name)) if commas else [labelled(number, name)]
        for piece in pieces:
            if len(piece) > limit:
                continue  # the action refuses it; the form tests show that
            if found and len(found[-1]) + 1 + len(piece) <= limit:
                found[-1] += " " + piece
            else:
                found.append(piece)
    return found


def _work_details(numbers: list[int]) -> actions.WorkDetails:
    return actions.WorkDetails(
        title=packed(numbers, "title", " "),
        rating=GENERAL,
        warnings=[NO_WARNINGS],
        fandoms=names(numbers, "fandom", MAX_TAG_LENGTH),
        relationships=names(numbers, "relationship", MAX_TAG_LENGTH),
        characters=names(numbers, "character", MAX_TAG_LENGTH),
        freeforms=names(numbers, "freeform", MAX_TAG_LENGTH),
        summary=packed(numbers, "summary"),
        begin_notes=packed(numbers, "notes"),
        end_notes=packed(numbers, "end-notes"),
        expected_chapters=len(CHAPTER_FORMATS),
    )


def _chapter_details(numbers: list[int], body_format: str) -> actions.ChapterDetails:
    short = {BodyFormat.MARKDOWN: "md"}.get(body_format, str(body_format))
    return actions.ChapterDetails(
        body=packed(numbers, f"{short}-body"),
        body_format=body_format,
        title=packed(numbers, f"{short}-title", " "),
        summary=packed(numbers, f"{short}-summary"),
        begin_notes=packed(numbers, f"{short}-notes"),
        end_notes=packed(numbers, f"{short}-end-notes"),
    )


def _post(archive: HostileArchive, numbers: list[int]) -> None:
    alice, carol = archive.alice, archive.carol
    pseud = create_pseud(alice, f"v{numbers[0]}", packed(numbers, "pseud-description"))
    series = actions.create_series(
        alice,
        packed(numbers, "series-title", " "),
        summary=packed(numbers, "series-summary"),
        notes=packed(numbers, "series-notes"),
    )
    work = actions.post_work(
        alice,
        [pseud],
        _work_details(numbers),
        _chapter_details(numbers, CHAPTER_FORMATS[0]),
        credits=[
            actions.CreditDetails("beta", name)
            for name in names(numbers, "credit", NAME_LIMIT, commas=False)
        ],
        series=series,
    )
    for body_format in CHAPTER_FORMATS[1:]:
        actions.add_chapter(alice, work, _chapter_details(numbers, body_format))
    chapters = list(work.chapters.order_by("position"))
    comment = post_comment(
        carol, work, packed(numbers, "comment"), BodyFormat.HTML, chapter=chapters[0]
    )
    reply = post_comment(alice, work, packed(numbers, "reply"), parent=comment)
    comments = [comment, reply]
    for name in names(numbers, "guest-name", NAME_LIMIT, commas=False):
        guest = GuestDetails(name, "guest@example.org", f"192.0.2.{len(comments)}:{work.pk}")
        comments.append(
            post_comment(
                AnonymousUser(),
                work,
                packed(numbers, "guest-comment"),
                BodyFormat.HTML,
                guest=guest,
            )
        )
    archive.bookmarks.append(
        save_bookmark(
            carol,
            BookmarkDetails(
                notes=packed(numbers, "bookmark-notes"),
                tags=names(numbers, "bookmark-tag", MAX_BOOKMARK_TAG),
                is_rec=True,
            ),
            work=work,
        )
    )
    fan_out.call("work", work.pk)  # Carol, who follows Alice, hears of the work in her inbox
    subscribe(carol, series=series, email=False)  # her subscriptions page names the series
    archive.batches.append(numbers)
    archive.pseuds.append(pseud.name)
    archive.works.append(work)
    archive.chapters.append(chapters)
    archive.series.append(series)
    archive.comments.append(comments)


def build_hostile_archive(
    alice: User, carol: User, numbers: Iterable[int] | None = None
) -> HostileArchive:
    """Post every vector (or those NUMBERS) in every field; Carol follows Alice first."""
    archive = HostileArchive(alice, carol)
    subscribe(carol, creator=alice, email=False)
    for run in batches(numbers if numbers is not None else range(len(xss_vectors()))):
        _post(archive, run)
    return archive
