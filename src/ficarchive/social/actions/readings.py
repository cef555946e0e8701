from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Case, F, Q, Value, When

from ficarchive.social.actions.rules import require_readable
from ficarchive.social.models import ChapterRead, Reading
from ficarchive.works.models import Chapter, Work

if TYPE_CHECKING:
    from ficarchive.accounts.models import User


@transaction.atomic
def record_readings(visits: Sequence[tuple[int, int, int | None, datetime]]) -> int:
    """Add buffered visits (user, work, chapter, when) to the readers' histories.

    Readers who turned history off, and works or chapters deleted since, are skipped.
    """
    keeping = set(
        get_user_model()
        .objects.filter(pk__in={v[0] for v in visits}, keep_history=True)
        .values_list("pk", flat=True)
    )
    works = set(Work.objects.filter(pk__in={v[1] for v in visits}).values_list("pk", flat=True))
    chapters = set(
        Chapter.objects.filter(pk__in={v[2] for v in visits if v[2]}).values_list("pk", flat=True)
    )
    # Per reader and work: the last chapter opened and when, the last visit, the visits.
    latest: dict[tuple[int, int], tuple[int | None, datetime, datetime, int]] = {}
    for user_id, work_id, chapter_id, when in sorted(visits, key=lambda v: v[3]):
        if user_id in keeping and work_id in works:
            chapter, opened, _, count = latest.get((user_id, work_id), (None, when, when, 0))
            if chapter_id in chapters:
                chapter, opened = chapter_id, when
            latest[(user_id, work_id)] = (chapter, opened, when, count + 1)
    Reading.objects.bulk_create(
        [Reading(user_id=user_id, work_id=work_id) for user_id, work_id in latest],
        ignore_conflicts=True,
    )
    for (user_id, work_id), (chapter_id, opened, when, count) in latest.items():
        reading = Reading.objects.filter(user_id=user_id, work_id=work_id)
        reading.update(viewed_at=when, visits=F("visits") + count, updated_at=when)
        if chapter_id is None:
            continue  # the work's page: not a place in it (the reader may continue from it)
        # Opening a chapter is a place in the work (its start, or the paragraph the page's
        # script reported in it), unless a later place was kept meanwhile.
        reading.filter(Q(position_at__isnull=True) | Q(position_at__lte=opened)).update(
            paragraph=Case(When(chapter_id=chapter_id, then=F("paragraph")), default=Value(0)),
            chapter_id=chapter_id,
            position_at=opened,
        )
    return len(latest)


@transaction.atomic
def mark_for_later(user: User, work: Work, later: bool = True) -> Reading:
    require_readable(user, work)
    reading, _ = Reading.objects.get_or_create(user=user, work=work)
    reading.is_later = later
    reading.save(update_fields=["is_later", "updated_at"])
    return reading


@transaction.atomic
def clear_history(user: User) -> int:
    """Forget the user's reading history and places (works marked for later stay marked)."""
    Reading.objects.filter(user=user, is_later=False).delete()
    ChapterRead.objects.filter(user=user).delete()
    return Reading.objects.filter(user=user).update(
        viewed_at=None, visits=0, chapter=None, paragraph=0, position_at=None
    )
