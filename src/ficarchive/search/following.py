"""Following the change log: each process's index reads the rows it has not seen (its own
process's changes at once, others' at most POLL_EVERY later), asks again for ids skipped by
transactions that had not committed yet, and knows when it has been silent too long to trust
the log. A part of `engine.Index` (a mixin: the index holds the data)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db.models import Q

from ficarchive.search.actions import KEEP_CHANGES, recorded
from ficarchive.search.models import SearchChange

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from ficarchive.search.documents import TextMatcher

# Changes younger than this are read again on every poll: with PostgreSQL a change with a lower
# id can commit after one with a higher id, and must not be missed.
LATE_COMMIT_SECONDS = 10.0
MAX_HOLES = 10_000
# An index that has not read the change log for this long builds itself again: the log keeps
# KEEP_CHANGES of rows, and pruning (by the background upkeep, every minute; a read never
# writes) may have dropped what it missed.
MAX_SILENCE = (KEEP_CHANGES - timedelta(minutes=10)).total_seconds()
# Other processes' changes are read from the log at most this long after they commit (this
# process's own changes at once): a query does not pay for a database read every time.
POLL_EVERY = 0.25
STAMP = "stamp"  # the column of each work's last change (see Result.stamps)
# The column holds a change id less the index's `stamp_base` (0: no change since the build), in
# 32 bits: four thousand million changes between two builds of the index (snapshots are built
# again every few minutes) before it has to move its base.
_STAMP_ROOM = 2**32 - 1


class ChangeLogFollowing:
    """The change log reading of `engine.Index`."""

    lock: threading.RLock
    text: TextMatcher
    columns: dict[str, NDArray[Any]]
    last_change: int
    generation: int
    stamp_base: int
    holes: dict[int, float]
    polled_at: float
    seen_recorded: int
    current_at: float

    def apply(self, work_ids: Iterable[int]) -> None:
        raise NotImplementedError

    def _load_tags(self, ids: list[int] | None = None) -> None:
        raise NotImplementedError

    def _regroup(self) -> None:
        raise NotImplementedError

    def catch_up(self) -> None:
        """Poll when another process has recorded changes, or at least every POLL_EVERY
        seconds: what a search (or anything reading the index as one) does first."""
        if recorded() != self.seen_recorded or time.monotonic() - self.polled_at > POLL_EVERY:
            self.poll()

    def poll(self) -> None:
        """Apply the change log rows this index has not seen (one indexed query).

        Ids skipped on the way (a transaction that took an id and has not committed yet, or
        rolled back) are asked for again on each poll for LATE_COMMIT_SECONDS.
        """
        now = time.monotonic()
        current_at = time.time()
        self.seen_recorded = recorded()
        self.holes = {cid: t for cid, t in self.holes.items() if now - t < LATE_COMMIT_SECONDS}
        wanted = Q(id__gt=self.last_change)
        if self.holes:
            wanted |= Q(id__in=list(self.holes))
        rows = list(SearchChange.objects.filter(wanted).order_by("id").values_list("id", "work_id"))
        self.polled_at = now
        if not rows:
            self.current_at = current_at
            return
        work_ids = {work_id for _, work_id in rows if work_id is not None}
        with self.lock:
            if any(work_id is None for _, work_id in rows):
                self._load_tags()
                self._regroup()
                self.text.clear()  # a full reindex logs a row without a work too
                self.generation = max(cid for cid, work_id in rows if work_id is None)
            if work_ids:
                self.apply(work_ids)
                self._stamp(rows)
            for cid, _ in rows:
                self.holes.pop(cid, None)
                if cid > self.last_change:
                    self._note_holes(self.last_change + 1, cid, now)
                    self.last_change = cid
            self.current_at = current_at

    def _stamp(self, rows: list[tuple[int, int | None]]) -> None:
        """Each changed work's stamp: the latest change id of it (ROWS: change id, work id)."""
        stamps = self.columns[STAMP]
        newest = max(cid for cid, _ in rows)
        if newest - self.stamp_base > _STAMP_ROOM:  # out of room: every work's stamp moves on
            stamps[:] = 0
            self.generation = self.stamp_base = max(self.generation, newest)
        for cid, work_id in rows:
            if work_id is not None and cid - self.stamp_base > int(stamps[work_id]):
                stamps[work_id] = cid - self.stamp_base

    def stamps_of(self, work_ids: list[int]) -> list[int]:
        """Per work, a number that changes whenever the work does, the same in every process
        that read the same change log since the same build (Result.stamps)."""
        if not work_ids:
            return []
        changed = self.columns[STAMP][work_ids].astype(np.int64) + self.stamp_base
        return np.maximum(changed, self.generation).tolist()

    def _note_holes(self, first: int, stop: int, now: float) -> None:
        for cid in range(max(first, stop - MAX_HOLES), stop):
            self.holes[cid] = now

    def is_stale(self) -> bool:
        """True when the change log may have been pruned past what this index has read."""
        return time.monotonic() - self.polled_at > MAX_SILENCE
