from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F

from ficarchive.social.actions.rules import require_readable
from ficarchive.social.models import Reading
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
    latest: dict[tuple[int, int], tuple[int | None, datetime, int]] = {}
    for user_id, work_id, chapter_id, when in sorted(visits, key=lambda v: v[3]):
        if user_id in keeping and work_id in works:
            count = latest.get((user_id, work_id), (None, when, 0))[2]
            chapter = chapter_id if chapter_id in chapters else None
            latest[(user_id, work_id)] = (chapter, when, count + 1)
    Reading.objects.bulk_create(
        [Reading(user_id=user_id, work_id=work_id) for user_id, work_id in latest],
        ignore_conflicts=True,
    )
    for (user_id, work_id), (chapter_id, when, count) in latest.items():
        Reading.objects.filter(user_id=user_id, work_id=work_id).update(
            viewed_at=when, visits=F("visits") + count, chapter_id=chapter_id, updated_at=when
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
    """Forget the user's reading history (works marked for later stay marked)."""
    Reading.objects.filter(user=user, is_later=False).delete()
    return Reading.objects.filter(user=user).update(viewed_at=None, visits=0, chapter=None)
