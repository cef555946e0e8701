"""Where a reader is in a work: the place to continue from and the chapters new since.

`places_of(user, work_ids)` answers for a page of works in three queries (their readings,
their chapters read to the end, their posted chapters), so listings, history and
subscriptions show "Continue reading: Chapter 5" and "2 new chapters since you read" at a
fixed cost. The place is the chapter and paragraph last in view; when that chapter was read to
its end and a later chapter is posted, the place is the start of the next one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from ficarchive.social.models import ChapterRead, Reading
from ficarchive.works.models import Chapter

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ficarchive.works.models import Work


@dataclass(frozen=True)
class Place:
    work_id: int
    chapter_id: int
    number: int  # the chapter's number among the posted chapters
    paragraph: int  # 0: the chapter's start
    new_chapters: int  # posted since the reader was last in the work
    read: frozenset[int]  # ids of the chapters read to their end

    @property
    def url(self) -> str:
        address = reverse("works:chapter", args=[self.work_id, self.chapter_id])
        return f"{address}#p-{self.paragraph}" if self.paragraph else address


@dataclass(frozen=True)
class _Posted:
    id: int
    position: int
    published_at: datetime | None


def _place(reading: Reading, chapters: list[_Posted], read: frozenset[int]) -> Place | None:
    at = next((c for c in chapters if c.id == reading.chapter_id), None)
    if at is None:
        return None
    paragraph = reading.paragraph
    if at.id in read:
        following = [c for c in chapters if c.position > at.position]
        if following:
            at, paragraph = following[0], 0
    since = reading.position_at
    new = sum(1 for c in chapters if since and c.published_at and c.published_at > since)
    number = chapters.index(at) + 1  # as readers number the posted chapters
    return Place(reading.work_id, at.id, number, paragraph, new, read)


def places_of(user: Any, work_ids: Iterable[int]) -> dict[int, Place]:
    """{work id: the reader's place} for the works among WORK_IDS they have started."""
    ids = list(work_ids)
    if not getattr(user, "is_authenticated", False) or not user.keep_history or not ids:
        return {}
    readings = list(
        Reading.objects.filter(user=user, work_id__in=ids, chapter__isnull=False).only(
            "work_id", "chapter_id", "paragraph", "position_at"
        )
    )
    if not readings:
        return {}
    started = [reading.work_id for reading in readings]
    read: dict[int, set[int]] = defaultdict(set)
    for work_id, chapter_id in ChapterRead.objects.filter(
        user=user, work_id__in=started
    ).values_list("work_id", "chapter_id"):
        read[work_id].add(chapter_id)
    chapters: dict[int, list[_Posted]] = defaultdict(list)
    posted = Chapter.objects.filter(work_id__in=started, is_draft=False).order_by("position")
    rows = posted.values_list("work_id", "id", "position", "published_at")
    for work_id, chapter_id, position, published_at in rows:
        chapters[work_id].append(_Posted(chapter_id, position, published_at))
    found = {}
    for reading in readings:
        place = _place(reading, chapters[reading.work_id], frozenset(read[reading.work_id]))
        if place is not None:
            found[reading.work_id] = place
    return found


def place_in(user: Any, work: Work) -> Place | None:
    return places_of(user, [work.pk]).get(work.pk)


def read_chapters(user: Any, work: Work) -> frozenset[int]:
    """The ids of WORK's chapters USER read to their end (or marked read)."""
    found = ChapterRead.objects.filter(user=user, work=work).values_list("chapter_id", flat=True)
    return frozenset(found)
