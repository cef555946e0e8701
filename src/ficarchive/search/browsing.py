"""Counts for the Fandoms pages, from the search index, so that they respect what the reader
may see: a guest does not count restricted works, nobody counts drafts or hidden works (the
index lists neither), and a reader's standing filters and mutes leave their works out."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

import numpy as np
from django.core.cache import cache
from pyroaring import BitMap

from ficarchive.search.engine import FACET_TYPES, Index
from ficarchive.search.index_keeper import get_index
from ficarchive.search.query import SearchQuery
from ficarchive.tags.models import TagType

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User

    AnyUser = User | AnonymousUser

FANDOM_KIND = FACET_TYPES.index(TagType.FANDOM.value)

# The counts for readers without standing filters (guests; signed-in readers), kept until the
# index changes: counting reads every visible work's tags, once per change, not per request.
# Counts that cost more than SLOW_COUNT seconds to make (1.3 s at 1M works) are kept through
# changes for up to LAG_FACTOR times what they cost, so that an archive taking writes all the
# time does not count on every request: its fandom pages may then lag by that much. They are
# kept in the shared cache too, so that one process of the machine (or of the cluster, with
# Redis) counts for the others, which read what it counted (the change log's id says as of
# when, the same in every process).
SLOW_COUNT = 0.05
LAG_FACTOR = 60
SHARED_KEY = "fandom-counts:{member}"
KEEP_SECONDS = 3600


@dataclass(frozen=True)
class _Counted:
    last_change: int
    at: float  # time.time(): the processes sharing it share the clock
    cost: float  # seconds
    counts: dict[int, int]

    def usable(self, last_change: int) -> bool:
        if last_change == self.last_change:
            return True
        return self.cost > SLOW_COUNT and time.time() - self.at < self.cost * LAG_FACTOR


_kept: WeakKeyDictionary[Index, dict[bool, _Counted]] = WeakKeyDictionary()


def _fresh_index() -> Index:
    """This process's index, having read the changes since it last looked (as a search does)."""
    index = get_index()
    with index.lock:
        index.catch_up()
    return index


def fandom_work_counts(user: AnyUser) -> dict[int, int]:
    """Canonical fandom id -> how many works the reader may see carry it or a synonym of it
    (a work counts once per fandom). Fandoms with no such work are left out."""
    index = _fresh_index()
    with index.lock:
        visible = BitMap(index.live)
        if not user.is_authenticated:
            visible -= index.restricted
        hidden = index.hidden_from(user)
        kept = _kept.setdefault(index, {})
        member = user.is_authenticated
        if not hidden:
            if member in kept and kept[member].usable(index.last_change):
                return kept[member].counts
            shared = cache.get(SHARED_KEY.format(member=member))
            if isinstance(shared, _Counted) and shared.usable(index.last_change):
                kept[member] = shared  # one object from now on: its summaries are kept too
                return shared.counts
        started = time.time()
        visible -= hidden
        tops, counts = index.count_by_works(visible)  # the index's own counting
        fandoms = index.tag_type[tops] == FANDOM_KIND if len(tops) else np.zeros(0, dtype=bool)
        found = dict(zip(tops[fandoms].tolist(), counts[fandoms].tolist(), strict=True))
        if not hidden:
            counted = _Counted(index.last_change, started, time.time() - started, found)
            kept[member] = counted
            cache.set(SHARED_KEY.format(member=member), counted, KEEP_SECONDS)
        return found


def top_tags_in_fandom(name: str, user: AnyUser) -> tuple[int, dict[str, list[tuple[str, int]]]]:
    """The works the reader may see under the fandom NAME (through synonyms and sub-fandoms),
    and the top ten tags of each type among them, by work count: the search's facets."""
    result = get_index().search(SearchQuery(include=(name,), per_page=1), user)
    return result.total, result.facets
