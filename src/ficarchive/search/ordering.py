"""The order of a search's results: a page of them by any sort, sorted on their own when few,
else walked from the head of a sorted list of every listed work. A part of `engine.Index` (a
mixin: the index holds the data)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from pyroaring import BitMap

from ficarchive.search.bitmaps import to_ids
from ficarchive.search.query import SearchQuery
from ficarchive.search.sorting import Ranks, Walk, best_first, first_in_order, walk

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from ficarchive.search.documents import TextMatcher

# Results up to this size, and under a quarter of the archive, are sorted on their own
# (200,000 works: 2.5 ms); larger ones walk the head of a sorted list of every listed work,
# kept per sort and order, and made again after many changes or for a deeper page. A head is
# its first WALK_HEAD works or more, picked in about 15 ms at 1M works (1.5 ms at 100k): the
# whole list took 100 to 240 ms to sort at 1M, in every process.
DIRECT_SORT = 200_000
DIRECT_SHARE = 4
WALK_HEAD = 65_536
# The walks a process keeps hold at most this many ids, all sorts together (16 MB): the least
# recently used go first. A page deeper than that sorts its results on its own. At 1M works
# four sorts' whole lists fit; at AO3's 17M a list of every work would take 68 MB in every
# process, for each sort and order.
WALK_IDS = 4 * 2**20


class PageOrdering:
    """The result ordering of `engine.Index`."""

    live: BitMap
    ranks: dict[str, Ranks]
    columns: dict[str, NDArray[Any]]
    text: TextMatcher
    direct_sort: int
    walk_head: int
    walk_ids: int
    _walks: dict[tuple[str, bool], Walk]

    def _keys(self, sort: str) -> NDArray[Any]:
        if sort in self.ranks:
            return self.ranks[sort].values
        return self.columns["updated" if sort == "relevance" else sort]

    def _walk_order(self, sort: str, desc: bool, need: int) -> Walk:
        """The listed works sorted by SORT: the first NEED of them or more (all, when that is
        most of them), and the works changed since (kept per sort and order, WALK_IDS at most
        of them in all)."""
        sort = "updated" if sort == "relevance" else sort
        walked = self._walks.pop((sort, desc), None)
        if (
            walked is None
            or len(walked.changed) > max(2000, len(walked.order) // 50)
            or (len(walked.order) < need and not walked.whole)
        ):
            live = to_ids(self.live)
            head = max(2 * need, self.walk_head)
            if head > len(live) // 2:
                head = len(live)
            head = min(head, self.walk_ids)
            order = first_in_order(live, self._keys(sort)[live], desc, head).astype(np.int32)
            walked = Walk(order, BitMap(), whole=len(order) == len(live))
        kept = len(walked.order)
        for key in list(self._walks):  # the least recently used first
            if kept + sum(len(w.order) for w in self._walks.values()) <= self.walk_ids:
                break
            del self._walks[key]
        self._walks[(sort, desc)] = walked
        return walked

    def _too_deep(self, need: int) -> bool:
        """Whether a walk as deep as NEED would hold more than the walks may."""
        return need > self.walk_ids and self.walk_ids < len(self.live)

    def _page(self, found: BitMap, query: SearchQuery) -> list[int]:
        k = query.offset + query.per_page
        desc = query.order == "desc"
        if query.sort == "relevance" and query.positive_words:
            ids = to_ids(found)
            score = np.zeros(len(ids), dtype=np.int64)
            for word in set(query.positive_words):
                in_title = self.text.match("title", (((word,),),)) & found
                score[np.searchsorted(ids, to_ids(in_title))] += 1
            best = best_first(ids, score, desc, k)
        elif len(found) <= min(self.direct_sort, len(self.live) // DIRECT_SHARE):
            ids = to_ids(found)
            best = best_first(ids, self._keys(query.sort)[ids], desc, k)
        else:
            # How far into the list a walk reads for K results, were they spread evenly.
            need = k * len(self.live) // max(len(found), 1)
            if self._too_deep(need):
                ids = to_ids(found)
                best = best_first(ids, self._keys(query.sort)[ids], desc, k)
                return best[query.offset :].tolist()
            walked = self._walk_order(query.sort, desc, need)
            changed = walked.changed
            best = walk(
                walked.order, found - changed if changed else found, k, len(self._keys("words"))
            )
            if len(best) < k and not walked.whole:  # the results lie past the head
                ids = to_ids(found)
                best = best_first(ids, self._keys(query.sort)[ids], desc, k)
            else:
                moved = to_ids(found & changed) if changed else None
                if moved is not None and len(moved):
                    ids = np.concatenate([best, moved])
                    best = best_first(ids, self._keys(query.sort)[ids], desc, k)
        return best[query.offset :].tolist()
