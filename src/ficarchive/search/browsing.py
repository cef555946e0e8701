"""Counts for the Fandoms pages and the catalog's tag lists, from the search index, so that they
respect what the reader may see: a guest does not count restricted works, nobody counts drafts
or hidden works (the index lists neither), and a reader's standing filters and mutes leave their
works out."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, overload
from weakref import WeakKeyDictionary

import numpy as np
from django.core.cache import cache
from pyroaring import BitMap

from ficarchive.search.engine import FACET_TYPES, Index
from ficarchive.search.index_keeper import get_index
from ficarchive.search.query import SearchQuery
from ficarchive.tags.models import Tag, TagType

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from numpy.typing import NDArray

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


@dataclass
class _Counted:
    last_change: int
    at: float  # time.time(): the processes sharing it share the clock
    cost: float  # seconds
    counts: dict[int, int]  # canonical fandom -> works
    # Every group (canonical tag, or an unwrangled tag by itself) and its works, kept in this
    # process only (it holds every tag of the archive), and the groups of some types by use.
    tops: NDArray[np.int64] | None = None
    uses: NDArray[np.int64] | None = None
    ranked: dict[tuple[int, ...], tuple[NDArray[np.int64], NDArray[np.int64]]] = field(
        default_factory=dict
    )

    def usable(self, last_change: int) -> bool:
        if last_change == self.last_change:
            return True
        return self.cost > SLOW_COUNT and time.time() - self.at < self.cost * LAG_FACTOR

    def __getstate__(self) -> dict[str, object]:
        """What the shared cache keeps: the fandoms' counts, not every tag's."""
        return {**self.__dict__, "tops": None, "uses": None, "ranked": {}}


_kept: WeakKeyDictionary[Index, dict[bool, _Counted]] = WeakKeyDictionary()


def _fresh_index() -> Index:
    """This process's index, having read the changes since it last looked (as a search does)."""
    index = get_index()
    with index.lock:
        index.catch_up()
    return index


def _count(index: Index, user: AnyUser, *, every_tag: bool) -> _Counted:
    """The counts for USER (a kept one when it may serve; the caller holds the index's
    lock). EVERY_TAG: with every group's, not only the fandoms'."""
    visible = BitMap(index.live)
    if not user.is_authenticated:
        visible -= index.restricted
    hidden = index.hidden_from(user)
    kept = _kept.setdefault(index, {})
    member = user.is_authenticated
    if not hidden:
        mine = kept.get(member)
        if mine is not None and mine.usable(index.last_change):
            if mine.tops is not None or not every_tag:
                return mine
        elif not every_tag:
            shared = cache.get(SHARED_KEY.format(member=member))
            if isinstance(shared, _Counted) and shared.usable(index.last_change):
                kept[member] = shared  # one object from now on: its summaries are kept too
                return shared
    started = time.time()
    visible -= hidden
    tops, counts = index.count_by_works(visible)  # the index's own counting
    fandoms = index.tag_type[tops] == FANDOM_KIND if len(tops) else np.zeros(0, dtype=bool)
    found = dict(zip(tops[fandoms].tolist(), counts[fandoms].tolist(), strict=True))
    counted = _Counted(index.last_change, started, time.time() - started, found, tops, counts)
    if not hidden:
        kept[member] = counted
        cache.set(SHARED_KEY.format(member=member), counted, KEEP_SECONDS)
    return counted


def fandom_work_counts(user: AnyUser) -> dict[int, int]:
    """Canonical fandom id -> how many works the reader may see carry it or a synonym of it
    (a work counts once per fandom). Fandoms with no such work are left out."""
    index = _fresh_index()
    with index.lock:
        return _count(index, user, every_tag=False).counts


def groups_by_use(
    user: AnyUser, types: Sequence[str]
) -> tuple[NDArray[np.int64], NDArray[np.int64], tuple[int, float]]:
    """The canonical tags of TYPES (and unwrangled tags, each by itself) that works the reader
    may see carry, and how many of those works each (through synonyms), most used first, then
    oldest tag first: counted from the index as the Fandoms pages are, and kept as they are.
    Third, what names the counts: the change log's id and the moment they were made."""
    index = _fresh_index()
    kinds = tuple(sorted(FACET_TYPES.index(kind) for kind in types))
    with index.lock:
        counted = _count(index, user, every_tag=True)
        ranked = counted.ranked.get(kinds)
        if ranked is None:
            assert counted.tops is not None and counted.uses is not None
            tops, uses = counted.tops, counted.uses
            wanted = np.isin(index.tag_type[tops], kinds) if len(tops) else tops.astype(bool)
            tops, uses = tops[wanted], uses[wanted]
            order = np.lexsort((tops, -uses))
            ranked = counted.ranked[kinds] = (tops[order], uses[order])
        return (*ranked, (counted.last_change, counted.at))


class TagsByUse(Sequence[Tag]):
    """`groups_by_use` as a sequence of tags (each with `uses`) that `pages.paginate` slices:
    a page reads its own tags, by primary key, and nothing else."""

    def __init__(self, user: AnyUser, types: Sequence[str]) -> None:
        self.tops, self.uses, self.state = groups_by_use(user, types)

    def __len__(self) -> int:
        return len(self.tops)

    @overload
    def __getitem__(self, index: int) -> Tag: ...
    @overload
    def __getitem__(self, index: slice) -> list[Tag]: ...
    def __getitem__(self, index: int | slice) -> Tag | list[Tag]:
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        ids = self.tops[index].tolist()
        found = Tag.objects.in_bulk(ids)
        tags = []
        for tag_id, uses in zip(ids, self.uses[index].tolist(), strict=True):
            if tag_id in found:  # (a tag deleted since it was counted is left out)
                found[tag_id].uses = uses  # type: ignore[attr-defined]
                tags.append(found[tag_id])
        return tags


def top_tags_in_fandom(name: str, user: AnyUser) -> tuple[int, dict[str, list[tuple[str, int]]]]:
    """The works the reader may see under the fandom NAME (through synonyms and sub-fandoms),
    and the top ten tags of each type among them, by work count: the search's facets."""
    result = get_index().search(SearchQuery(include=(name,), per_page=1), user)
    return result.total, result.facets
