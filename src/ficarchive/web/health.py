"""What /healthz checks: the database, the cache, this process's search index and the worker.

Each check is cheap (one query or one cache round trip; the index polls the change log as a
search does) and answers what a load balancer and the one reading its log need: `ok`, and
when not, `error` saying what failed, never a secret (no address, password or traceback).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils import timezone

from ficarchive.search.index_keeper import index_lag
from ficarchive.web.models import WORKER, Heartbeat

Check = dict[str, Any]


def _failed(exc: BaseException) -> Check:
    return {"ok": False, "error": f"{type(exc).__name__}"}


def database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return _failed(exc)
    return {"ok": True, "vendor": connection.vendor}


def cache_round_trip() -> Check:
    """A value written to the cache and read back (then deleted)."""
    key = f"healthz:{secrets.token_hex(8)}"
    value = secrets.token_hex(8)
    try:
        cache.set(key, value, 30)
        read = cache.get(key)
        cache.delete(key)
    except Exception as exc:  # any backend's failure is the answer
        return _failed(exc)
    if read != value:
        return {"ok": False, "error": "a value written to the cache did not read back"}
    return {"ok": True}


def search_index() -> Check:
    """This process's index: how far behind the change log it is, in changes and seconds."""
    try:
        lag = index_lag()
    except DatabaseError as exc:
        return _failed(exc)
    if lag is None:
        return {"ok": True, "built": False}
    limit = settings.HEALTH_INDEX_SECONDS
    check: Check = {
        "ok": True,
        "built": True,
        "changes_behind": lag.changes,
        "seconds_behind": round(lag.seconds, 1),
    }
    if limit and lag.seconds > limit:
        check |= {"ok": False, "error": f"the search index is over {limit} s behind"}
    return check


def worker() -> Check:
    """The background worker's heartbeat: its last upkeep (every minute, ficarchive.upkeep)."""
    limit = settings.HEALTH_WORKER_SECONDS
    try:
        beat = Heartbeat.objects.filter(name=WORKER).values_list("beat_at", flat=True).first()
    except DatabaseError as exc:
        return _failed(exc)
    if beat is None:
        check: Check = {"ok": not limit, "last_beat": None}
        return check if not limit else check | {"error": "no worker has run the upkeep yet"}
    age = max(0.0, (timezone.now() - beat).total_seconds())
    check = {"ok": True, "last_beat": beat.isoformat(), "seconds_ago": round(age, 1)}
    if limit and age > limit:
        check |= {"ok": False, "error": f"no upkeep for over {limit} s: is the worker running?"}
    return check


CHECKS: dict[str, Callable[[], Check]] = {
    "database": database,
    "cache": cache_round_trip,
    "search": search_index,
    "worker": worker,
}


def run_checks() -> tuple[bool, dict[str, Check]]:
    """Every check's answer, and whether all passed."""
    results = {name: check() for name, check in CHECKS.items()}
    return all(result["ok"] for result in results.values()), results
