"""Sorting for the index: the best K of a result, title and creator order as numbers.

- `best_first`: the K best ids of a (not too large) result by a key column, ties to the
  higher id: a partition to the K-th key, then a sort of what is left.
- `walk`: for large results, read a list of every listed work sorted once by the key, keeping
  the ids in the result, until K are found (works changed since the list was sorted are left
  out of it and ranked with their new keys by the caller).
- `Ranks`: each work's place in title (or creator) order as a float; equal keys share a place.
  A changed work finds its place by binary search (reading the keys it passes from the
  database) and takes a value between its neighbours, so no other work moves.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from pyroaring import BitMap

from ficarchive.search.bitmaps import to_ids

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Ints = NDArray[np.int64]

_NONE = np.zeros(0, dtype=np.int64)
PYTHON_WALK = 4096  # up to this many ids read, a walk tests each in the bitmap


def best_first(ids: Ints, keys: NDArray[Any], desc: bool, k: int) -> Ints:
    """The K best of IDS by KEYS (highest first if DESC), ties to the higher id, in order."""
    if k <= 0 or not len(ids):
        return _NONE
    primary = -keys if desc else keys
    if k < len(ids) // 4:
        kth = np.partition(primary, k - 1)[k - 1]
        keep = primary <= kth
        ids, primary = ids[keep], primary[keep]
    return ids[np.lexsort((-ids, primary))[:k]]


def sorted_order(ids: Ints, keys: NDArray[Any], desc: bool) -> Ints:
    """IDS in order: by key (highest first if DESC), ties to the higher id."""
    return ids[np.lexsort((-ids, -keys if desc else keys))]


def first_in_order(ids: Ints, keys: NDArray[Any], desc: bool, count: int) -> Ints:
    """The first COUNT of IDS (sorted, ascending) in `sorted_order`, without sorting the rest:
    the ids whose key comes before the COUNT-th one's, then as many of those that tie with it
    as there is room for, the higher ids first."""
    if count >= len(ids):
        return sorted_order(ids, keys, desc)
    if count <= 0:
        return _NONE
    primary = -keys if desc else keys
    kth = np.partition(primary, count - 1)[count - 1]
    before = np.flatnonzero(primary < kth)
    tied = np.flatnonzero(primary == kth)
    keep = np.concatenate([before, tied[len(tied) - (count - len(before)) :]])
    return sorted_order(ids[keep], keys[keep], desc)


@dataclass
class Walk:
    """The head of a sort order (`first_in_order`), or all of it (WHOLE), and the works changed
    since it was made: their place in it may be wrong, so walks leave them out and place them
    on their own."""

    order: NDArray[np.int32]
    changed: BitMap
    whole: bool


def walk(order: NDArray[Any], found: BitMap, k: int, size: int) -> Ints:
    """The first K ids of ORDER that are in FOUND."""
    if k <= 0 or not len(found):
        return _NONE
    expected = k * len(order) // max(len(found), 1)
    picked: list[int] = []
    if expected <= PYTHON_WALK:
        position = 0
        step = max(64, 2 * expected)
        while len(picked) < k and position < len(order):
            picked += [w for w in order[position : position + step].tolist() if w in found]
            position += step
            step *= 2
        return np.array(picked[:k], dtype=np.int64)
    mask = np.zeros(size, dtype=bool)
    mask[to_ids(found)] = True
    parts: list[Ints] = []
    need, position, step = k, 0, 2 * expected
    while need > 0 and position < len(order):
        chunk = order[position : position + step]
        hits = chunk[mask[chunk]][:need]
        parts.append(hits)
        need -= len(hits)
        position += step
        step *= 2
    return np.concatenate(parts) if parts else _NONE


KeyReader = Callable[[Sequence[int]], dict[int, str]]


class Ranks:
    """Places in title or creator order: `values[work_id]`, equal keys equal values."""

    def __init__(self, keys: dict[int, str], size: int) -> None:
        self.values = np.zeros(size, dtype=np.float64)
        in_order = sorted(keys, key=keys.__getitem__)
        ordered = [keys[work_id] for work_id in in_order]
        ids = np.array(in_order, dtype=np.int64)
        differs = np.fromiter(
            (a != b for a, b in itertools.pairwise(ordered)),
            dtype=bool,
            count=max(len(ordered) - 1, 0),
        )
        places = np.concatenate([[0.0], np.cumsum(differs, dtype=np.float64)])[: len(ids)]
        self.values[ids] = places
        self.order = ids.astype(np.int32)  # ids by place, as of the last renumbering
        self.moved = BitMap()  # works placed (or gone) since: their place in ORDER is stale

    def grow(self, size: int) -> None:
        if size > len(self.values):
            self.values = np.concatenate(
                [self.values, np.zeros(size - len(self.values), dtype=np.float64)]
            )

    def _valid(self, index: int, step: int) -> int:
        """The nearest index from INDEX (going by STEP) whose work has not moved; -1 if none."""
        while 0 <= index < len(self.order):
            if int(self.order[index]) not in self.moved:
                return index
            index += step
        return -1

    def place(self, keys: dict[int, str], read: KeyReader) -> bool:
        """Give the works of KEYS their places; False if a full renumbering is needed."""
        self.moved.update(keys)
        items = sorted(keys.items(), key=lambda item: item[1])
        low = {w: 0 for w, _ in items}
        high = {w: len(self.order) for w, _ in items}
        seen: dict[int, str] = {}
        while any(low[w] < high[w] for w, _ in items):
            probes: dict[int, int] = {}
            for w, _ in items:
                if low[w] < high[w]:
                    mid = (low[w] + high[w]) // 2
                    probes[w] = self._valid(mid, 1)
                    if probes[w] == -1 or probes[w] >= high[w]:
                        probes[w] = -1
                        high[w] = mid  # nothing valid from mid up to high: look lower
            wanted = {int(self.order[p]) for p in probes.values() if p >= 0} - set(seen)
            seen.update(read(sorted(wanted)))
            for w, key in items:
                p = probes.get(w, -1)
                if p < 0:
                    continue
                probe_key = seen.get(int(self.order[p]))
                if probe_key is None:  # gone from the archive: skip it from now on
                    self.moved.add(int(self.order[p]))
                    continue
                if probe_key < key:
                    low[w] = p + 1
                else:
                    high[w] = p
        gaps: dict[int, list[tuple[int, str]]] = {}
        for w, key in items:
            right = self._valid(low[w], 1)
            right_id = int(self.order[right]) if right >= 0 else -1
            if right_id >= 0 and right_id not in seen:
                seen.update(read([right_id]))
            if right_id >= 0 and seen.get(right_id) == key:
                self.values[w] = self.values[right_id]
            else:
                gaps.setdefault(right, []).append((w, key))
        for right, group in gaps.items():
            left = self._valid((right if right >= 0 else len(self.order)) - 1, -1)
            lowest = self.values[self.order[left]] if left >= 0 else -1.0
            highest = self.values[self.order[right]] if right >= 0 else self._top_value() + 1.0
            distinct = sorted({key for _, key in group})
            step = (highest - lowest) / (len(distinct) + 1)
            value_of = {key: lowest + step * (n + 1) for n, key in enumerate(distinct)}
            if len(set(value_of.values()) | {lowest, highest}) < len(distinct) + 2:
                return False  # no room left between the neighbours
            for w, key in group:
                self.values[w] = value_of[key]
        return True

    def _top_value(self) -> float:
        return float(self.values.max()) if len(self.values) else 0.0

    def forget(self, work_ids: Sequence[int]) -> None:
        self.moved.update(work_ids)

    def reorder(self, live: Ints) -> None:
        """Sort ORDER again from the current places (no database read)."""
        self.order = live[np.argsort(self.values[live], kind="stable")].astype(np.int32)
        self.moved = BitMap()
