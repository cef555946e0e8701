"""Facets: the top tags of each type among a search's results, counted through synonyms to
the canonical tag, work by work, by group codes or by group bitmaps, whichever reads least
for the result's size. A part of `engine.Index` (a mixin: the index holds the data)."""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING, Any

import numpy as np
from pyroaring import BitMap

from ficarchive.search.reading import TAG_TYPES
from ficarchive.tags.models import Tag

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from ficarchive.search.group_codes import GroupCodes, TagTable
    from ficarchive.search.tagging import WorkTags

FACET_TYPES = TAG_TYPES
FACET_SIZE = 10
# Facets of fewer results than this are counted work by work, of more through group codes.
SMALL_RESULT = 5_000
# Uncoded tags added to works before the codes measure again how big an uncoded group is.
REMEASURE_AFTER = 500
# Results of at least this many works count their facets group by group (bitmaps met in C,
# biggest groups first, stopping once no group left can reach the top ten), at most
# BITMAP_BUDGET groups; smaller results, or past the budget, through the group codes. So do
# large results inside a profiled group that the codes count reading fewer than half this
# many rows (a big fandom has few fandoms beside it: its fandom groups would be met one by
# one down to the smallest).
LARGE_RESULT = 100_000
BITMAP_BUDGET = 600
# Tags added to works before the groups are sorted by size again (until then, a group may
# have grown by this much past its place).
REORDER_AFTER = 1000


class FacetCounting:
    """The facet counting of `engine.Index`."""

    live: BitMap
    work_tags: WorkTags
    codes: GroupCodes
    uncoded_works: list[BitMap]
    tag_type: NDArray[Any]
    tag_top: NDArray[Any]
    facet_way: str | None
    _names: dict[int, str]
    _by_size: list[tuple[list[int], list[int]]] | None
    _added_since_order: int

    def _tags(self) -> TagTable:
        raise NotImplementedError

    def _group_bitmap(self, top: int) -> BitMap | None:
        raise NotImplementedError

    def _names_of(self, tag_ids: list[int]) -> dict[int, str]:
        missing = [t for t in tag_ids if t not in self._names]
        if missing:
            if len(self._names) > 100_000:
                self._names.clear()
            self._names.update(Tag.objects.filter(id__in=missing).values_list("id", "name"))
        return {t: self._names.get(t, "") for t in tag_ids}

    def count_by_works(
        self, found: BitMap, uncoded_of: list[int] | None = None
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """(canonical tag ids, works in FOUND under each), counted work by work: every tag, or
        only the uncoded groups of the types UNCODED_OF (the coded ones are counted already)."""
        if uncoded_of is not None:
            found = found & BitMap.union(*(self.uncoded_works[n] for n in uncoded_of))
        ids, lengths, tags = self.work_tags.gather(found)
        tops = self.tag_top[tags]
        works = None
        if uncoded_of is not None:
            wanted = np.zeros(len(FACET_TYPES) + 1, dtype=bool)  # (type -1 reads the last)
            wanted[uncoded_of] = True
            coded, code = self.codes.code_of_top, np.zeros(len(tops), dtype=np.int32)
            inside = tops < len(coded)
            code[inside] = coded[tops[inside]]
            keep = wanted[self.tag_type[tops]] & (code == 0)
            works = np.repeat(ids, lengths)[keep]
            tags, tops = tags[keep], tops[keep]
        synonyms = tops != tags
        if synonyms.any():  # a work tagged with a tag and its synonym counts once
            works = np.repeat(ids, lengths) if works is None else works
            shared = np.isin(works, np.unique(works[synonyms]))
            pairs = np.unique(works[shared] * len(self.tag_top) + tops[shared])
            tops = np.concatenate([tops[~shared], (pairs % len(self.tag_top)).astype(np.int32)])
        if len(tops) > len(self.tag_top):
            counts = np.bincount(tops, minlength=len(self.tag_top))
            present = np.flatnonzero(counts)
            return present, counts[present]
        present, counts = np.unique(tops, return_counts=True)
        return present, counts

    def _count_by_codes(self, found: BitMap) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """(canonical tag ids, works in FOUND under each), counted by group codes; the types
        where an uncoded tag might reach the top are counted work by work."""
        if self.codes.grown > REMEASURE_AFTER:
            self.codes.measure(self._tags())
        counts = self.codes.count_listed(found, self.live)
        present = np.flatnonzero(counts[1:]) + 1
        counts, kinds = counts[present], self.codes.kind_of_code[present]
        unsure = []
        for n in range(len(FACET_TYPES)):
            bound = self.codes.bound(n)
            if bound is None:
                continue
            mine = counts[kinds == n]
            lowest = np.partition(mine, -FACET_SIZE)[-FACET_SIZE] if len(mine) >= FACET_SIZE else 0
            if lowest <= bound:  # (ties are broken by name: an uncoded tag may win one)
                unsure.append(n)
        tops = self.codes.top_of_code[present]
        if not unsure:
            return tops, counts
        more_tops, more_counts = self.count_by_works(found, unsure)
        return np.concatenate([tops, more_tops]), np.concatenate([counts, more_counts])

    def _groups_by_size(self) -> list[tuple[list[int], list[int]]]:
        """Per type, the coded groups' codes and works, largest first (sorted again after
        REORDER_AFTER additions; until then `_added_since_order` bounds any group's growth)."""
        if self._by_size is None or self._added_since_order > REORDER_AFTER:
            totals, kinds = self.codes.totals, self.codes.kind_of_code
            self._by_size = []
            for n in range(len(FACET_TYPES)):
                codes = np.flatnonzero(kinds == n)
                codes = codes[np.argsort(-totals[codes], kind="stable")]
                self._by_size.append((codes.tolist(), totals[codes].tolist()))
            self._added_since_order = 0
        return self._by_size

    def _count_by_bitmaps(
        self, found: BitMap
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]] | None:
        """Like `_count_by_codes`, for large results: each type's groups met with FOUND, largest
        first, until no group left can reach the type's top ten. None past BITMAP_BUDGET
        groups, or at a group without a bitmap at hand."""
        if self.codes.grown > REMEASURE_AFTER:
            self.codes.measure(self._tags())
        grown, budget = self._added_since_order, BITMAP_BUDGET
        tops: list[int] = []
        counts: list[int] = []
        unsure = []
        for n, (codes, sizes) in enumerate(self._groups_by_size()):
            best: list[int] = []  # the FACET_SIZE highest counts so far (a heap)
            for code, size in zip(codes, sizes, strict=True):
                if len(best) == FACET_SIZE and size + grown < best[0]:
                    break  # no group from here on can reach the top ten
                budget -= 1
                top = int(self.codes.top_of_code[code])
                bitmap = self._group_bitmap(top)
                if budget < 0 or bitmap is None:
                    return None
                count = found.intersection_cardinality(bitmap)
                if count:
                    tops.append(top)
                    counts.append(count)
                    if len(best) < FACET_SIZE:
                        heapq.heappush(best, count)
                    elif count > best[0]:
                        heapq.heapreplace(best, count)
            bound = self.codes.bound(n)
            lowest = best[0] if len(best) == FACET_SIZE else 0
            if bound is not None and lowest <= bound:
                unsure.append(n)
        found_tops, found_counts = np.array(tops, dtype=np.int64), np.array(counts, dtype=np.int64)
        if not unsure:
            return found_tops, found_counts
        more_tops, more_counts = self.count_by_works(found, unsure)
        return np.concatenate([found_tops, more_tops]), np.concatenate([found_counts, more_counts])

    def facets(self, found: BitMap) -> dict[str, list[tuple[str, int]]]:
        """The top tags of each type in FOUND, counted through synonyms to the canonical tag."""
        way = self.facet_way
        if way is None:
            way = "works" if len(found) < SMALL_RESULT else "codes"
            inside = self.codes.inside_profile(found, self.live, LARGE_RESULT // 2)
            way = "bitmaps" if len(found) >= LARGE_RESULT and not inside else way
        answer = self._count_by_bitmaps(found) if way == "bitmaps" else None
        if answer is not None:
            tops, counts = answer
        elif way == "works":
            tops, counts = self.count_by_works(found)
        else:
            tops, counts = self._count_by_codes(found)
        kinds = self.tag_type[tops] if len(tops) else np.zeros(0, dtype=np.int8)
        grouped: dict[str, list[tuple[str, int]]] = {}
        for n, kind in enumerate(FACET_TYPES):
            chosen = kinds == n
            top_ids, top_counts = tops[chosen], counts[chosen]
            if len(top_ids) > FACET_SIZE:
                tenth = np.partition(top_counts, len(top_counts) - FACET_SIZE)[-FACET_SIZE]
                keep = top_counts >= tenth
                top_ids, top_counts = top_ids[keep], top_counts[keep]
            names = self._names_of(top_ids.tolist())
            pairs = [
                (names[t], c) for t, c in zip(top_ids.tolist(), top_counts.tolist(), strict=True)
            ]
            grouped[kind] = heapq.nsmallest(
                FACET_SIZE, pairs, key=lambda pair: (-pair[1], pair[0].lower())
            )
        return grouped
