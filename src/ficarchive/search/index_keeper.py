"""This process's search index: mapped from the machine's snapshot, or built, and kept current.

`get_index()` answers with the index this process uses. The first call maps the machine's
snapshot (snapshot.py) when there is a usable one; otherwise the process builds the index
itself, in turn with the other processes of the machine (a process that waited for another's
build maps what that one wrote), writes it as the snapshot and maps that. With
`SEARCH_SNAPSHOTS` off (or a database in memory), each process builds and keeps its own.

Afterwards, at most every `LOOK_EVERY` seconds, a search looks at the snapshot file:

- a newer snapshot than the one this index came from: a background thread maps it, reads the
  change log up to now, and only then puts it in place (the old index answers meanwhile);
- no snapshot, or one older than `SEARCH_SNAPSHOT_MINUTES`: one process of the machine (the
  first to take the build lock) builds a new one in a background thread and writes it; every
  process then moves to it as above, so no request waits for a build and the copy-on-write
  pages a process made its own while applying changes are given back.

`ficarchive serve` writes a snapshot before it starts its workers when none is usable
(`prepare_snapshot`), and each worker maps it before it takes a request (`map_snapshot`), so a
server that starts answers its first search from the mapping.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connections
from django.db.models import Count, Min
from django.utils import timezone

from ficarchive.db import unlimited_statements
from ficarchive.search import snapshot
from ficarchive.search.engine import Index, Result
from ficarchive.search.models import SearchChange

if TYPE_CHECKING:
    from ficarchive.search.query import SearchQuery
    from ficarchive.works.models import AnyUser

logger = logging.getLogger(__name__)

LOOK_EVERY = 2.0  # seconds between looks at the snapshot file (a stat)

_index: Index | None = None
_index_lock = threading.Lock()
_looked_at = 0.0
_busy = threading.Lock()  # held by this process's background move or build


def _built() -> Index:
    index = Index()
    with unlimited_statements():  # a request's statement timeout is not for the build
        index.build()
    return index


def _sharing() -> bool:
    return settings.SEARCH_SNAPSHOTS and snapshot.database_key() is not None


def _fresh_index() -> Index:
    """The machine's snapshot mapped, or a build of this process's (written as the snapshot
    and mapped when the database's index can be shared)."""
    if not _sharing():
        return _built()
    found = snapshot.load()
    if found is not None:
        return found
    with snapshot.build_lock():
        found = snapshot.load()  # another process's build, finished while this one waited
        if found is not None:
            return found
        built = _built()
        snapshot.write(built)
    return snapshot.load() or built


def map_snapshot() -> bool:
    """For a server process about to take requests: map the machine's snapshot now, if there is
    a usable one, so that its first search does not wait (it never builds here)."""
    global _index
    if not _sharing():
        return False
    found = snapshot.load()
    if found is None:
        return False
    with _index_lock:
        if _index is None:
            _index = found
    return True


def get_index() -> Index:
    """This process's index: mapped or built on first use, then following the machine's
    snapshot. An index silent for longer than the change log is kept (`Index.is_stale`) is
    replaced in the background, and answers meanwhile: no request waits for a build but the
    first of a process that finds no snapshot (`ficarchive serve` writes one before)."""
    global _index
    with _index_lock:
        if _index is None:
            _index = _fresh_index()
        index = _index
    if index.is_stale():
        _in_background(_replace_stale)
    elif settings.SEARCH_SNAPSHOTS:
        _look_at_snapshot(index)
    return index


def _replace_stale() -> None:
    """Put a fresh index (the machine's snapshot mapped, else built) in place of the stale one,
    once it has read the change log up to now."""
    global _index
    with _index_lock:
        stale = _index
    if stale is None or not stale.is_stale():
        return
    found = _fresh_index()
    found.poll()
    with _index_lock:
        if _index is stale:
            _index = found


def _look_at_snapshot(index: Index) -> None:
    global _looked_at
    now = time.monotonic()
    if now - _looked_at < LOOK_EVERY or _busy.locked():
        return
    _looked_at = now
    on_disk = snapshot.identity()
    if on_disk is None or time.time() - on_disk.mtime_ns / 1e9 > _refresh_seconds():
        if _sharing():
            _in_background(_rebuild_snapshot)
    elif index.origin is None or index.origin.identity != on_disk:
        _in_background(_move_to_snapshot)


def _refresh_seconds() -> float:
    return settings.SEARCH_SNAPSHOT_MINUTES * 60


def _in_background(job: Callable[[], None]) -> None:
    """Run JOB in a thread of its own, unless this process already runs one."""
    if not _busy.acquire(blocking=False):
        return
    name = job.__name__.strip("_")

    def run() -> None:
        try:
            job()
        except Exception:
            logger.exception("The search index's background job %s failed", name)
        finally:
            connections.close_all()  # this thread's connections
            _busy.release()

    threading.Thread(target=run, name=f"search-{name}", daemon=True).start()


def _move_to_snapshot() -> None:
    """Map the newer snapshot, read the log up to now, then put it in place."""
    global _index
    found = snapshot.load()
    if found is None:
        return
    found.poll()
    with _index_lock:
        current = _index
        if current is None or current.origin is None or _newer(found, current):
            _index = found


def _newer(found: Index, current: Index) -> bool:
    assert found.origin is not None and current.origin is not None
    return found.origin.current_at >= current.origin.current_at


def _rebuild_snapshot() -> None:
    """Build the index from the database and write it as the machine's snapshot, unless
    another process of the machine is at it; then move to it."""
    with snapshot.build_lock(wait=False) as mine:
        if not mine:
            return
        on_disk = snapshot.identity()
        if on_disk is not None and time.time() - on_disk.mtime_ns / 1e9 < _refresh_seconds():
            return  # another process wrote one since this one looked
        snapshot.write(_built())
    _move_to_snapshot()


def prepare_snapshot() -> str:
    """Make sure the machine has a usable snapshot (building one if not), for a server about
    to start its workers; says what was done."""
    if not settings.SEARCH_SNAPSHOTS:
        return "Search snapshots are off: each server process builds its own index."
    if snapshot.database_key() is None:
        return "The database is in memory: each server process builds its own index."
    with snapshot.build_lock():
        found = snapshot.load()
        if found is not None:
            works = len(found.live)
            return f"Mapping the search index written {_age(found)} ago ({works:,} works)."
        started = time.perf_counter()
        built = _built()
        snapshot.write(built)
    took = time.perf_counter() - started
    return f"Built the search index: {len(built.live):,} works in {took:.1f} s."


def _age(index: Index) -> str:
    assert index.origin is not None
    seconds = max(0, round(time.time() - index.origin.current_at))
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


def reset_index(*, discard_snapshot: bool = False) -> None:
    """Forget this process's index (tests, or after a bulk load: then DISCARD_SNAPSHOT, as the
    machine's snapshot is wrong too); the next query maps or builds one."""
    global _index, _looked_at
    with _index_lock:
        _index = None
        _looked_at = 0.0
        if discard_snapshot:
            snapshot.discard()


@dataclass(frozen=True)
class Lag:
    """How far this process's index is behind the change log."""

    changes: int  # rows it has not applied
    seconds: float  # since the oldest of them was written (0 when none)


def index_lag() -> Lag | None:
    """This process's index against the change log, after it polls as a search would (unless
    another thread holds it: a build or a long change, which is then what shows); None when
    this process has no index it could use (the next search builds one)."""
    index = _index
    if index is None or index.is_stale():
        return None
    if index.lock.acquire(blocking=False):
        try:
            index.poll()
        finally:
            index.lock.release()
    behind = SearchChange.objects.filter(id__gt=index.last_change).aggregate(
        changes=Count("id"), oldest=Min("created_at")
    )
    oldest = behind["oldest"]
    seconds = 0.0 if oldest is None else max(0.0, (timezone.now() - oldest).total_seconds())
    return Lag(behind["changes"], seconds)


def search(query: SearchQuery, user: AnyUser) -> Result:
    return get_index().search(query, user)


def known_tag_names(names: set[str]) -> set[str]:
    """Of NAMES, those this process's index knows a tag for without asking the database (none
    before its first search)."""
    index = _index
    return index.known_names(names) if index is not None else set()
