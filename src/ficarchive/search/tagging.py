"""Compact many-to-many lists for the index: a work's tags, and an account's works.

Both are built once as flat numpy arrays (no Python object per work) and then patched: the
works changed since are kept aside (`changed`) with their new lists, and read from there.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
from pyroaring import BitMap

from ficarchive.search.bitmaps import to_bitmap, to_ids

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Ints = NDArray[np.int64]

_NONE = np.zeros(0, dtype=np.int64)
OFFSET = np.uint32


class WorkTags:
    """Each work's tag ids: offsets by work id into one array, and the changed works aside."""

    def __init__(self, works: Ints, tags: Ints, size: int) -> None:
        """WORKS and TAGS are pairs sorted by work; SIZE is one more than the largest work id."""
        if len(tags) > np.iinfo(OFFSET).max:
            raise OverflowError(f"{len(tags)} taggings are more than the index's offsets hold")
        counts = np.bincount(works, minlength=size) if len(works) else np.zeros(size, np.int64)
        # 32 bits: four thousand million taggings are 250 times AO3's (17M works, about 16 each).
        self.offsets = np.zeros(size + 1, dtype=OFFSET)
        np.cumsum(counts, out=self.offsets[1:], dtype=OFFSET)
        self.tags = tags.astype(np.int32)
        self.changed = BitMap()
        self.extra: dict[int, Ints] = {}

    @classmethod
    def empty(cls) -> WorkTags:
        return cls(_NONE, _NONE, 0)

    def of(self, work_id: int) -> Ints:
        if work_id in self.changed:
            return self.extra.get(work_id, _NONE)
        if work_id + 1 < len(self.offsets):
            start, end = int(self.offsets[work_id]), int(self.offsets[work_id + 1])
            return self.tags[start:end].astype(np.int64)
        return _NONE

    def set(self, work_id: int, tags: Iterable[int]) -> None:
        found = np.array(sorted(set(tags)), dtype=np.int64)
        self.changed.add(work_id)
        if len(found):
            self.extra[work_id] = found
        else:
            self.extra.pop(work_id, None)

    def gather(self, found: BitMap) -> tuple[Ints, Ints, NDArray[np.int32]]:
        """The tags of the works in FOUND: (work ids, how many tags each, the tags in a row)."""
        plain = found - self.changed if self.changed else found
        ids = to_ids(plain)
        ids = ids[ids + 1 < len(self.offsets)]
        starts = self.offsets[ids].astype(np.int64)
        ends = self.offsets[ids + 1].astype(np.int64)
        lengths = ends - starts
        # Positions in TAGS: runs of +1 steps, jumping to the next work's start.
        steps = np.ones(int(lengths.sum()), dtype=np.int64)
        if len(steps):
            tagged = lengths > 0
            first = np.cumsum(lengths)[tagged] - lengths[tagged]
            jumps = starts[tagged]
            steps[first] = np.r_[jumps[0], jumps[1:] - ends[tagged][:-1] + 1]
        tags = self.tags[np.cumsum(steps)]
        if self.changed:
            aside = [(w, self.extra[w]) for w in found & self.changed if w in self.extra]
            if aside:
                ids = np.concatenate([ids, np.array([w for w, _ in aside], dtype=np.int64)])
                lengths = np.concatenate([lengths, [len(t) for _, t in aside]])
                tags = np.concatenate([tags, *(t.astype(np.int32) for _, t in aside)])
        return ids, lengths, tags

    def pairs(self, size: int) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
        """Every (work id, tag id) of works below SIZE, works ascending."""
        built = len(self.offsets) - 1
        works = np.repeat(np.arange(max(built, 0), dtype=np.int32), np.diff(self.offsets))
        tags = self.tags
        if self.changed:
            changed = to_ids(self.changed)
            stale = np.zeros(max(built, int(changed.max()) + 1), dtype=bool)
            stale[changed] = True
            keep = ~stale[works]
            aside = [(w, self.extra[w]) for w in changed.tolist() if w in self.extra]
            works = np.concatenate(
                [works[keep], *(np.full(len(t), w, dtype=np.int32) for w, t in aside)]
            )
            tags = np.concatenate([tags[keep], *(t.astype(np.int32) for _, t in aside)])
            order = np.argsort(works, kind="stable")
            works, tags = works[order], tags[order]
        below = works < size
        return works[below], tags[below]


class Postings:
    """Key -> work ids (an account's works): each key's works in one array, where each key's
    start by key (as `WorkTags` keeps a work's tags), and the changed works aside."""

    def __init__(self, keys: Ints, works: Ints) -> None:
        if len(works) > np.iinfo(OFFSET).max:
            raise OverflowError(f"{len(works)} postings are more than the index's offsets hold")
        order = np.lexsort((works, keys))
        size = int(keys.max()) + 1 if len(keys) else 0
        counts = np.bincount(keys, minlength=size) if len(keys) else np.zeros(0, np.int64)
        self.starts = np.zeros(size + 1, dtype=OFFSET)
        np.cumsum(counts, out=self.starts[1:], dtype=OFFSET)
        self.works = works[order].astype(np.int32)
        self.changed = BitMap()
        self.extra: dict[int, BitMap] = {}
        self.extra_of: dict[int, tuple[int, ...]] = {}

    @classmethod
    def empty(cls) -> Postings:
        return cls(_NONE, _NONE)

    def get(self, keys: Iterable[int]) -> BitMap:
        """The works of any of KEYS."""
        wanted = sorted(set(keys))
        if not wanted:
            return BitMap()
        last = len(self.starts) - 1
        parts = [
            self.works[int(self.starts[key]) : int(self.starts[key + 1])]
            for key in wanted
            if 0 <= key < last
        ]
        found = to_bitmap(np.concatenate(parts)) if parts else BitMap()
        if self.changed:
            found -= self.changed
            for key in wanted:
                if key in self.extra:
                    found |= self.extra[key]
        return found

    def set(self, work_id: int, keys: Iterable[int]) -> None:
        """WORK_ID now belongs to KEYS (and to no other key)."""
        self.changed.add(work_id)
        for key in self.extra_of.pop(work_id, ()):
            self.extra[key].discard(work_id)
        now = tuple(dict.fromkeys(keys))
        for key in now:
            self.extra.setdefault(key, BitMap()).add(work_id)
        self.extra_of[work_id] = now
