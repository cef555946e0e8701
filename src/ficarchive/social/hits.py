"""Hits and history without a database write per page view: buffered in the cache.

A hit counts once per visitor per work per day. A new hit (or history visit) only touches the
cache: a "seen" key, and a numbered note of what happened. Every HITS_FLUSH_AT new notes, or
HITS_FLUSH_SECONDS after the last flush, one request writes them all at once: hits with F()
expressions on the works' counters, visits into the readers' histories. With a shared cache
(Redis) all processes buffer together; with the default local-memory cache each process
buffers and flushes its own.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from ficarchive.social.models import bump_counts
from ficarchive.works.models import Work

SEEN_FOR = 2 * 24 * 3600
VISIT_EVERY = 3600  # one history note per reader, work and chapter per hour at most
MAX_PER_FLUSH = 10_000


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
    if _due():
        flush_buffers()


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
        written = _flush_hits({int(work_id) for work_id in _take("hits")})
        _flush_visits(_take("visits"))
        return written
    finally:
        cache.delete("buffers:flush-lock")


def _flush_hits(work_ids: set[int]) -> int:
    existing = set(Work.objects.filter(pk__in=work_ids).values_list("pk", flat=True))
    written = 0
    for work_id in sorted(work_ids):
        count = pending_hits(work_id)
        if not count:
            continue
        cache.decr(f"hits:pending:{work_id}", count)
        if work_id in existing:
            with transaction.atomic():
                bump_counts(work_id, hits=count)
            written += count
    return written


def _flush_visits(notes: list[Any]) -> None:
    from ficarchive.social.actions.readings import record_readings

    visits = [
        (int(user), int(work), int(chapter) if chapter else None, datetime.fromtimestamp(at, UTC))
        for user, work, chapter, at in notes
    ]
    if visits:
        record_readings(visits)
