"""Facet counting for mid-size and large results: each work's big tag groups as small codes.

A "group" is a canonical tag with the works of its synonyms (the index's `merged` bitmaps). The
most used groups of each type get a code (1, 2, ...; 0 is "none"), and every work a row of a
fixed-width table holding its groups' codes once each. Counting the groups of a result is then
one `take` of its rows and one `bincount`: no step per tag or per work in Python. Works with
more codes than the width keep the rest in one flat array (`spill`), a run of it per work. The
width is where a row's bytes and the spilled codes' cost balance (`SPILL_COST`): about the
median work's count, not the busiest works' (at 100k works, 40 bytes a work instead of 60).
`totals` counts every listed work, so a result covering most of the archive is counted
through what it leaves out.
In the same way the biggest mid-size groups (a big fandom, a common freeform) keep the counts
of their own works (`profiles`): a result inside one of them, as a search of that fandom is,
is counted through the few works of the group it leaves out.

Groups without a code (rarer groups, and tags too small for a group) can still make a type's top
ten when the result is small; `bound(kind)` says how many works such a group can have at most,
so the caller knows when to count that type work by work instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
from pyroaring import BitMap

from ficarchive.search.bitmaps import to_bitmap, to_ids

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Ints = NDArray[np.int64]

# Codes per tag type: more than any facet needs, few enough for 16-bit codes.
CODED_PER_TYPE = 8192
MAX_CODES = 2**16 - 1
# The table is as wide as makes its width plus SPILL_COST times the spilled codes, per work,
# least (within the limits below): a spilled code costs a few steps more to count than a
# code of a row.
SPILL_COST = 4
MIN_WIDTH, MAX_WIDTH = 4, 32
# Groups that keep their own counts: the PROFILED biggest of those a mid-size result (counted
# by codes, see the engine) can fill at least half of.
PROFILED = 16
PROFILE_SIZES = (10_000, 200_000)


def _width(per_work: NDArray[np.int64]) -> int:
    """The table's width for works holding PER_WORK codes: the least row width plus
    SPILL_COST times the codes spilled past it, per work."""
    busy = np.sort(per_work[per_work > 0])
    if not len(busy):
        return MIN_WIDTH
    after = np.cumsum(busy[::-1])[::-1]  # codes held by the works from each one on
    best, best_cost = MIN_WIDTH, None
    for width in range(MIN_WIDTH, MAX_WIDTH + 1):
        first = int(np.searchsorted(busy, width, side="right"))  # works with more than WIDTH
        spilled = int(after[first]) - width * (len(busy) - first) if first < len(busy) else 0
        cost = width * len(per_work) + SPILL_COST * spilled
        if best_cost is None or cost < best_cost:
            best, best_cost = width, cost
    return best


def _grown(array: NDArray[Any], size: int) -> NDArray[Any]:
    """ARRAY with room for at least SIZE items (twice as many, or more): what it held first."""
    grown = np.zeros(max(size, 2 * len(array), 64), dtype=array.dtype)
    grown[: len(array)] = array
    return grown


class Shortest(NamedTuple):
    """How a result is counted: through COUNTS (of the archive or of a profiled group) less the
    works of WHOLE it leaves out, or, with no WHOLE, itself; ROWS is how many rows that reads."""

    counts: NDArray[np.int64] | NDArray[np.int32] | None
    whole: BitMap | None
    rows: int
    profiled: bool


class TagTable(NamedTuple):
    """The index's tag columns, by tag id."""

    sizes: NDArray[np.int32]  # works tagged (as typed)
    tops: NDArray[np.int32]  # canonical tag (itself if none)
    kinds: NDArray[np.int8]  # index into the facet types, -1 unknown


class GroupCodes:
    """Per work, the codes of its coded groups; per code, its group and the works it counts."""

    def __init__(self, kinds: int) -> None:
        self.kinds = kinds
        self.table = np.zeros((0, MIN_WIDTH), dtype=np.uint16)
        # Codes past the table's width: runs of SPILL (its first SPILL_END in use), each run
        # starting at SPILL_AT[run] and SPILL_LENGTH[run] long. A changed work's codes go in a
        # new run at the end; the runs no work holds any more are dropped at the next fill.
        self.spill = np.zeros(0, dtype=np.uint16)
        self.spill_end = 0
        self.spill_at = np.zeros(0, dtype=np.uint32)
        self.spill_length = np.zeros(0, dtype=np.uint16)
        self.spill_runs = 0
        self.spill_row = np.full(0, -1, dtype=np.int32)  # work id -> its run, -1: none
        self.top_of_code = np.zeros(1, dtype=np.int64)  # code -> canonical tag (0: none)
        self.kind_of_code = np.full(1, -1, dtype=np.int8)
        self.code_of_top = np.zeros(0, dtype=np.uint16)  # canonical tag -> code (0: none)
        self.totals = np.zeros(1, dtype=np.int64)  # works of each code, over all listed works
        self.uncoded = np.zeros(kinds, dtype=np.int64)  # largest uncoded group, per type
        self.has_uncoded = np.zeros(kinds, dtype=bool)
        self.grown = 0  # tags added to works since `uncoded` was measured
        # Per profiled code: its works, and the works among them under each code.
        self.profiles: dict[int, tuple[BitMap, NDArray[np.int32]]] = {}
        self.profiled = np.zeros(1, dtype=bool)  # code -> has a profile

    # --- building -------------------------------------------------------------------------
    def build(
        self,
        pairs: tuple[NDArray[np.int32], NDArray[np.int32]],
        size: int,
        tags: TagTable,
        groups: tuple[Ints, Ints],
        per_type: int = CODED_PER_TYPE,
        width: int | None = None,
        profile_sizes: tuple[int, int] = PROFILE_SIZES,
    ) -> None:
        """Code the largest GROUPS (canonical tags, and the works under each) of each type, fill
        the SIZE rows from PAIRS (work ids ascending, tag ids), and profile the groups of
        PROFILE_SIZES works."""
        tops, sizes = groups
        kinds = tags.kinds[tops]
        limit = min(per_type, (MAX_CODES - 1) // max(self.kinds, 1))
        chosen_tops, chosen_kinds = [], []
        for kind in range(self.kinds):
            mine, their_sizes = tops[kinds == kind], sizes[kinds == kind]
            if len(mine) > limit:
                keep = np.argpartition(-their_sizes, limit - 1)[:limit]
                mine = mine[keep]
            chosen_tops.append(mine)
            chosen_kinds.append(np.full(len(mine), kind, dtype=np.int8))
        self.top_of_code = np.concatenate([[0], *chosen_tops]).astype(np.int64)
        self.kind_of_code = np.concatenate([[-1], *chosen_kinds]).astype(np.int8)
        self.code_of_top = np.zeros(len(tags.tops), dtype=np.uint16)
        self.code_of_top[self.top_of_code[1:]] = np.arange(1, len(self.top_of_code))
        works, codes = self._fill(*pairs, size, tags.tops, width)
        self.measure(tags)
        self._profile(works, codes, profile_sizes)

    def _profile(
        self, works: NDArray[np.int32], codes: NDArray[Any], limits: tuple[int, int]
    ) -> None:
        """Give the PROFILED biggest groups of LIMITS (fewest, too many) works their own counts,
        from the (WORKS, CODES) pairs of every row."""
        sizes = self.totals
        fit = np.flatnonzero((sizes >= limits[0]) & (sizes < limits[1]))
        fit = fit[fit > 0]
        chosen = fit[np.argsort(-sizes[fit], kind="stable")[:PROFILED]]
        self.profiles = {}
        self.profiled = np.zeros(len(self.top_of_code), dtype=bool)
        self.profiled[chosen] = True
        mine = self.profiled[codes]
        works, codes = works[mine], codes[mine]
        order = np.argsort(codes, kind="stable")  # works stay ascending within a code
        ids, codes = works[order].astype(np.int64), codes[order]
        starts = np.searchsorted(codes, chosen)
        ends = np.searchsorted(codes, chosen, side="right")
        for code, start, end in zip(chosen.tolist(), starts.tolist(), ends.tolist(), strict=True):
            its_works = ids[start:end]
            counts = self.count(its_works).astype(np.int32)
            self.profiles[code] = (to_bitmap(its_works), counts)

    def measure(self, tags: TagTable) -> None:
        """Per type, the most works a group without a code has (its tags' uses summed)."""
        used = np.flatnonzero(tags.sizes)
        tops = tags.tops[used]
        sizes = np.bincount(tops, weights=tags.sizes[used], minlength=len(tags.tops))
        self.grow_tags(len(tags.tops))
        present = np.flatnonzero(sizes)
        uncoded = present[self.code_of_top[present] == 0]
        kinds = tags.kinds[uncoded]
        self.uncoded[:] = 0
        self.has_uncoded[:] = False
        for kind in range(self.kinds):
            mine = sizes[uncoded[kinds == kind]]
            if len(mine):
                self.uncoded[kind] = int(mine.max())
                self.has_uncoded[kind] = True
        self.grown = 0

    def _fill(
        self,
        works: NDArray[np.int32],
        tags: NDArray[np.int32],
        size: int,
        tag_top: NDArray[np.int32],
        width: int | None,
    ) -> tuple[NDArray[np.int32], NDArray[Any]]:
        """Fill the rows; the (work, code) pairs they hold, by work."""
        codes = self.code_of_top[tag_top[tags]]
        synonym = tag_top[tags] != tags
        keep = codes > 0
        if synonym.any():  # a work with a tag and its synonym holds the group's code once
            doubtful = np.isin(works, np.unique(works[synonym & keep]))
            both = doubtful & keep
            pairs = np.unique(works[both].astype(np.int64) * MAX_CODES + codes[both])
            works = np.concatenate([works[keep & ~doubtful], (pairs // MAX_CODES).astype(np.int32)])
            codes = np.concatenate([codes[keep & ~doubtful], (pairs % MAX_CODES).astype(np.int32)])
            order = np.argsort(works, kind="stable")
            works, codes = works[order], codes[order]
        else:
            works, codes = works[keep], codes[keep]
        per_work = np.bincount(works, minlength=size) if size else np.zeros(0, np.int64)
        width = width or _width(per_work)
        starts = np.cumsum(per_work) - per_work
        rank = np.arange(len(works)) - starts[works]
        fits = rank < width
        self.table = np.zeros((size, width), dtype=np.uint16)
        self.table.ravel()[works[fits].astype(np.int64) * width + rank[fits]] = codes[fits]
        rest_works, rest_codes = works[~fits], codes[~fits]  # by work, as WORKS are
        over, at, lengths = np.unique(rest_works, return_index=True, return_counts=True)
        self.spill_row = np.full(size, -1, dtype=np.int32)
        self.spill_row[over] = np.arange(len(over), dtype=np.int32)
        self.spill = rest_codes.astype(np.uint16)
        self.spill_end = len(self.spill)
        self.spill_at = at.astype(np.uint32)
        self.spill_length = lengths.astype(np.uint16)
        self.spill_runs = len(over)
        self.totals = np.bincount(codes, minlength=len(self.top_of_code)).astype(np.int64)
        return works, codes

    # --- changing -------------------------------------------------------------------------
    def grow(self, size: int) -> None:
        if size > len(self.table):
            grown = np.zeros((size, self.table.shape[1]), dtype=np.uint16)
            grown[: len(self.table)] = self.table
            self.table = grown
        if size > len(self.spill_row):
            more = np.full(size - len(self.spill_row), -1, dtype=np.int32)
            self.spill_row = np.concatenate([self.spill_row, more])

    def grow_tags(self, size: int) -> None:
        if size > len(self.code_of_top):
            more = np.zeros(size - len(self.code_of_top), dtype=np.uint16)
            self.code_of_top = np.concatenate([self.code_of_top, more])

    def codes_of(self, work_id: int) -> NDArray[np.uint16]:
        row = self.table[work_id] if work_id < len(self.table) else np.zeros(0, np.uint16)
        held = row[row > 0]
        run = self.spill_row[work_id] if work_id < len(self.spill_row) else -1
        if run < 0:
            return held
        start = int(self.spill_at[run])
        return np.concatenate([held, self.spill[start : start + int(self.spill_length[run])]])

    def clear(self, work_id: int) -> None:
        """The work is gone (or about to be set again)."""
        held = self.codes_of(work_id).astype(np.int64)
        np.subtract.at(self.totals, held, 1)
        for code in held[self.profiled[held]].tolist():
            works, counts = self.profiles[code]
            works.discard(work_id)
            counts[held] -= 1
        if work_id < len(self.table):
            self.table[work_id] = 0
        if work_id < len(self.spill_row):
            self.spill_row[work_id] = -1

    def set(
        self, work_id: int, tags: Iterable[int], tag_top: NDArray[np.int32]
    ) -> NDArray[np.int64]:
        """The work's tags are TAGS (call `clear` first); returns the canonical tags among them
        that have no code (their groups are counted work by work)."""
        found = np.array(list(tags), dtype=np.int64)
        self.grow_tags(len(tag_top))
        tops = tag_top[found].astype(np.int64) if len(found) else found
        codes = self.code_of_top[tops]
        self.grown += int(np.count_nonzero(codes == 0))
        self._put(work_id, np.unique(codes[codes > 0]).astype(np.uint16))
        return tops[codes == 0]

    def _put(self, work_id: int, codes: NDArray[np.uint16]) -> None:
        self.grow(work_id + 1)
        width = self.table.shape[1]
        self.table[work_id] = 0
        self.table[work_id, : min(width, len(codes))] = codes[:width]
        if len(codes) > width:
            self._spill(work_id, codes[width:])
        held = codes.astype(np.int64)
        np.add.at(self.totals, held, 1)
        for code in held[self.profiled[held]].tolist():
            works, counts = self.profiles[code]
            works.add(work_id)
            counts[held] += 1

    def _spill(self, work_id: int, rest: NDArray[np.uint16]) -> None:
        """A new run at the end of SPILL for the work's codes past the table's width."""
        if self.spill_end + len(rest) > len(self.spill):
            self.spill = _grown(self.spill, self.spill_end + len(rest))
        if self.spill_runs == len(self.spill_at):
            self.spill_at = _grown(self.spill_at, self.spill_runs + 1)
            self.spill_length = _grown(self.spill_length, self.spill_runs + 1)
        run = self.spill_runs
        self.spill[self.spill_end : self.spill_end + len(rest)] = rest
        self.spill_at[run] = self.spill_end
        self.spill_length[run] = len(rest)
        self.spill_end += len(rest)
        self.spill_runs += 1
        self.spill_row[work_id] = run

    def add_group(self, top: int, kind: int, works: BitMap) -> None:
        """A group grew big: give it a code (while codes last) and add it to its works' rows."""
        if len(self.top_of_code) >= MAX_CODES:
            self.uncoded[kind] = max(int(self.uncoded[kind]), len(works))
            self.has_uncoded[kind] = True
            return
        self.grow_tags(top + 1)
        code = self.code_of_top[top]
        if not code:
            code = len(self.top_of_code)
            self.top_of_code = np.append(self.top_of_code, top)
            self.kind_of_code = np.append(self.kind_of_code, np.int8(kind))
            self.totals = np.append(self.totals, 0)
            self.profiled = np.append(self.profiled, False)
            for profiled, (its_works, counts) in self.profiles.items():
                self.profiles[profiled] = (its_works, np.append(counts, np.int32(0)))
            self.code_of_top[top] = code
        for work_id in works:
            held = self.codes_of(work_id)
            if code not in held:
                self.clear(work_id)
                self._put(work_id, np.append(held, np.uint16(code)))

    # --- counting -------------------------------------------------------------------------
    def count(self, ids: Ints) -> NDArray[np.int64]:
        """Works of IDS under each code."""
        ids = ids[ids < len(self.table)]
        rows = np.take(self.table, ids, axis=0)
        counts = np.bincount(rows.ravel(), minlength=len(self.top_of_code))
        runs = self.spill_row[ids]
        runs = runs[runs >= 0]
        if len(runs):
            starts = self.spill_at[runs].astype(np.int64)
            lengths = self.spill_length[runs].astype(np.int64)
            # Each run's place in SPILL, one after another: an offset per run, repeated.
            shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
            rest = self.spill[shift + np.arange(len(shift))]
            counts += np.bincount(rest, minlength=len(counts))
        return counts

    def _shortest(self, found: BitMap, live: BitMap) -> Shortest:
        """How FOUND is counted reading the fewest rows: itself, or what it leaves out of the
        archive or of a profiled group that holds it."""
        best = Shortest(None, None, len(found), False)
        if len(live) - len(found) < best.rows:
            best = Shortest(self.totals, live, len(live) - len(found), False)
        for works, counts in self.profiles.values():
            if len(found) <= len(works) < len(found) + best.rows and found.issubset(works):
                best = Shortest(counts, works, len(works) - len(found), True)
        return best

    def inside_profile(self, found: BitMap, live: BitMap, most_left_out: int) -> bool:
        """Whether `count_listed` counts FOUND through a profiled group holding it, reading
        fewer than MOST_LEFT_OUT rows."""
        way = self._shortest(found, live)
        return way.profiled and way.rows < most_left_out

    def count_listed(self, found: BitMap, live: BitMap) -> NDArray[np.int64]:
        """Like `count`, through the works left out when FOUND holds most of LIVE, or most of a
        profiled group that holds all of it: through whichever leaves out the fewest."""
        way = self._shortest(found, live)
        if way.whole is None or way.counts is None:
            return self.count(to_ids(found))
        return way.counts - self.count(to_ids(way.whole - found))

    def bound(self, kind: int) -> int | None:
        """The most works of FOUND an uncoded tag of KIND can have (None: all are coded)."""
        if not self.has_uncoded[kind]:
            return None
        return int(self.uncoded[kind]) + self.grown
