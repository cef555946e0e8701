"""Hits and history without a database write per page view: buffered in the cache.

A hit counts once per visitor per work per day. A new hit (or history visit) only touches the
cache: a "seen" key, and a numbered note of what happened. Every HITS_FLUSH_AT new notes, or
HITS_FLUSH_SECONDS after the last flush, one request writes them all at once, as its response
closes (after the page is sent: a locked database never holds up a page; the background upkeep
also flushes every minute), and a failed write leaves the notes for the next flush: hits with F()
expressions on the works' counters, visits into the readers' histories. Every process of the
machine buffers in the same cache (the machine-wide SQLite cache, or Redis), so the numbers are
the same whichever process answers, and the add/incr/decr used here are atomic in both.

A page shows the stored hits plus those not yet written (`hits_shown`). A flush writes the
hits to the database first and then takes them off the pending counters, marking the move in
the cache; a page that reads both while hits are moving reads them again, so the number shown
never goes down (nor up and back down) while hits move.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from ficarchive.db import without_waiting
from ficarchive.social.models import WorkStats, bump_counts
from ficarchive.works.models import Work

SEEN_FOR = 2 * 24 * 3600
VISIT_EVERY = 3600  # one history note per reader, work and chapter per hour at most
MAX_PER_FLUSH = 10_000
logger = logging.getLogger(__name__)
MOVING = "hits:moving"  # set while a flush moves hits from the cache to the database
MOVES = "hits:moves"  # how many such moves have ended
READ_TRIES = 20


def visitor_of(request: HttpRequest) -> str:
    """Who is reading: the account, or a keyed hash of a guest's address and browser.

    Guests get no cookie for this; the hash lives in the cache for two days at most.
    """
    if request.user.is_authenticated:
        return f"u{request.user.pk}"
    seen = f"{request.META.get('REMOTE_ADDR', '')}|{request.META.get('HTTP_USER_AGENT', '')}"
    return "g" + salted_hmac("ficarchive.social.hits", seen).hexdigest()[:20]


def _incr(key: str) -> int:
    cache.add(key, 0, None)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.add(key, 1, None)
        return 1


def _note(kind: str, value: object) -> None:
    number = _incr(f"{kind}:seq")
    cache.set(f"{kind}:note:{number}", value, None)


def record_hit(work_id: int, visitor: str) -> bool:
    """Count a visit; False when this visitor was already counted on this work today."""
    day = timezone.now().date().isoformat()
    if not cache.add(f"hits:seen:{day}:{work_id}:{visitor}", 1, SEEN_FOR):
        return False
    _incr(f"hits:pending:{work_id}")
    _note("hits", work_id)
    return True


def record_visit(user_id: int, work_id: int, chapter_id: int | None) -> bool:
    """Note a visit for the reader's history (the caller checks they keep one)."""
    if not cache.add(f"visits:seen:{user_id}:{work_id}:{chapter_id}", 1, VISIT_EVERY):
        return False
    _note("visits", [user_id, work_id, chapter_id, time.time()])
    return True


def _pending(kind: str) -> int:
    return int(cache.get(f"{kind}:seq", 0)) - int(cache.get(f"{kind}:flushed", 0))


def flush_is_due() -> bool:
    """True when HITS_FLUSH_AT notes wait, or HITS_FLUSH_SECONDS passed since the last flush."""
    return _due()


def flush_if_free() -> int:
    """`flush_buffers` for a page, never waiting: when another writer holds the lock (or the
    database is read-only) the notes stay for the next flush and the page shows what is stored."""
    if not _pending("hits") and not _pending("visits"):
        return 0
    try:
        with without_waiting():
            return flush_buffers()
    except DatabaseError:
        logger.info("Hits and history stay buffered: the database is busy.")
        return 0


def flush_after_response() -> None:
    """`flush_if_free` for a response's closing, once the page is sent."""
    flush_if_free()


def _due() -> bool:
    last = cache.get("buffers:last-flush")
    if last is None:
        cache.add("buffers:last-flush", time.time(), None)
        return False
    return (
        _pending("hits") + _pending("visits") >= settings.HITS_FLUSH_AT
        or time.time() - last >= settings.HITS_FLUSH_SECONDS
    )


def pending_hits(work_id: int) -> int:
    return int(cache.get(f"hits:pending:{work_id}") or 0)


def hits_shown(work_id: int) -> int:
    """The work's hits as a page shows them: stored plus pending, read while no hits move."""
    for _ in range(READ_TRIES):
        before = cache.get_many([MOVING, MOVES])
        pending = pending_hits(work_id)
        stored = WorkStats.objects.filter(work_id=work_id).values_list("hits", flat=True)
        shown = (stored.first() or 0) + pending
        if MOVING not in before and cache.get_many([MOVING, MOVES]) == before:
            return shown
        time.sleep(0.005)
    return shown  # hits kept moving (or a flush died mid-way): the best reading there is


def _take(kind: str) -> list[Any]:
    """The notes not yet flushed, removed from the cache."""
    flushed = int(cache.get(f"{kind}:flushed", 0))
    upto = min(int(cache.get(f"{kind}:seq", 0)), flushed + MAX_PER_FLUSH)
    keys = [f"{kind}:note:{number}" for number in range(flushed + 1, upto + 1)]
    notes = cache.get_many(keys)
    cache.delete_many(keys)
    cache.set(f"{kind}:flushed", upto, None)
    return [notes[key] for key in keys if key in notes]


def flush_buffers() -> int:
    """Write the buffered hits and visits to the database; returns how many hits."""
    if not cache.add("buffers:flush-lock", 1, 60):
        return 0  # another request is flushing
    try:
        cache.set("buffers:last-flush", time.time(), None)
        work_ids = {int(work_id) for work_id in _take("hits")}
        visits = _take("visits")
        try:
            written = _flush_hits(work_ids)
        except DatabaseError:
            _note_again(work_ids, visits)
            raise
        try:
            _flush_visits(visits)
        except DatabaseError:
            _note_again(set(), visits)
            raise
        return written
    finally:
        cache.delete("buffers:flush-lock")


def _note_again(work_ids: set[int], visits: list[Any]) -> None:
    """Put back the notes of a flush whose write failed (the pending counts stayed)."""
    for work_id in work_ids:
        _note("hits", work_id)
    for visit in visits:
        _note("visits", visit)


def _flush_hits(work_ids: set[int]) -> int:
    """Write the pending hits of WORK_IDS in one transaction, then take them off the pending
    counters (a failed write leaves them pending for the next flush: none is lost)."""
    counts = {work_id: pending_hits(work_id) for work_id in sorted(work_ids)}
    counts = {work_id: count for work_id, count in counts.items() if count}
    if not counts:
        return 0
    existing = set(Work.objects.filter(pk__in=counts).values_list("pk", flat=True))
    cache.set(MOVING, 1, 60)
    try:
        with transaction.atomic():
            for work_id, count in counts.items():
                if work_id in existing:
                    bump_counts(work_id, hits=count)
        for work_id, count in counts.items():
            cache.decr(f"hits:pending:{work_id}", count)
        _incr(MOVES)
    finally:
        cache.delete(MOVING)
    return sum(count for work_id, count in counts.items() if work_id in existing)


def _flush_visits(notes: list[Any]) -> None:
    from ficarchive.social.actions.readings import record_readings

    visits = [
        (int(user), int(work), int(chapter) if chapter else None, datetime.fromtimestamp(at, UTC))
        for user, work, chapter, at in notes
    ]
    if visits:
        record_readings(visits)
