"""Fast ways between roaring bitmaps and numpy arrays of work ids."""

from __future__ import annotations

import operator
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

import numpy as np
from pyroaring import BitMap

if TYPE_CHECKING:
    from numpy.typing import NDArray


# Roaring's portable format without run containers: a cookie, the container count, each
# container's key and cardinality - 1, each container's byte offset, then the containers (sorted
# 16-bit values, or a 65536-bit map when a container holds more than 4096 values).
_NO_RUN_COOKIE = 12346
_ARRAY_MAX = 4096


def _portable(keys: Any, counts: Any, payloads: list[bytes]) -> BitMap:
    """A bitmap from its containers: their high 16 bits KEYS, value COUNTS, and PAYLOADS
    (sorted 16-bit values, or a 65536-bit map over 4096 values), in roaring's portable format."""
    containers = len(keys)
    header = np.empty(2 * containers, dtype=np.uint16)
    header[0::2] = keys
    header[1::2] = np.asarray(counts) - 1
    sizes = np.where(np.asarray(counts) > _ARRAY_MAX, 8192, np.asarray(counts) * 2)
    offsets = (8 + 8 * containers + np.cumsum(sizes) - sizes).astype(np.uint32)
    parts = [
        np.array([_NO_RUN_COOKIE, containers], dtype=np.uint32).tobytes(),
        header.tobytes(),
        offsets.tobytes(),
        *payloads,
    ]
    return BitMap.deserialize(b"".join(parts))


def to_bitmap(ids: Any) -> BitMap:
    """A bitmap of the ids in a numpy array (or any sequence of ints below 2**32), written in
    roaring's portable format by numpy and read in one call: no Python step per id."""
    values = np.asarray(ids)
    if len(values) < _ARRAY_MAX:  # few ids: numpy's fixed costs outweigh a plain build
        return BitMap(values.tolist())
    if not bool(np.all(values[1:] > values[:-1])):
        values = np.unique(values)
    values = values.astype(np.uint32, copy=False)
    high = values >> 16
    low = (values & 0xFFFF).astype(np.uint16)
    starts = np.flatnonzero(np.r_[True, high[1:] != high[:-1]])
    ends = np.r_[starts[1:], len(values)]
    counts = ends - starts
    payloads = []
    for start, end, count in zip(starts.tolist(), ends.tolist(), counts.tolist(), strict=True):
        if count > _ARRAY_MAX:
            bits = np.zeros(65536, dtype=bool)
            bits[low[start:end]] = True
            payloads.append(np.packbits(bits, bitorder="little").tobytes())
        else:
            payloads.append(low[start:end].tobytes())
    return _portable(high[starts], counts, payloads)


def from_mask(mask: NDArray[np.bool_]) -> BitMap:
    """A bitmap of the positions where MASK is true (no array of them in between)."""
    chunks = -(-len(mask) // 65536)
    flat = np.zeros(chunks * 65536, dtype=bool)
    flat[: len(mask)] = mask
    blocks = flat.reshape(chunks, 65536)
    counts = np.count_nonzero(blocks, axis=1)
    keys = np.flatnonzero(counts)
    payloads = [
        np.packbits(blocks[key], bitorder="little").tobytes()
        if counts[key] > _ARRAY_MAX
        else np.flatnonzero(blocks[key]).astype(np.uint16).tobytes()
        for key in keys.tolist()
    ]
    return _portable(keys, counts[keys], payloads)


def to_ids(found: BitMap) -> NDArray[np.int64]:
    """The ids of a bitmap, ascending, as int64 (safe to negate and to index with)."""
    return np.frombuffer(found.to_array(), dtype=np.uint32).astype(np.int64)


def bitmap_bytes(found: BitMap) -> int:
    """The bytes FOUND's containers take in memory."""
    stats = found.get_statistics()
    return int(
        stats["n_bytes_array_containers"]
        + stats["n_bytes_run_containers"]
        + stats["n_bytes_bitset_containers"]
    )


def from_csv(text: str | None) -> NDArray[np.int64]:
    """Whole numbers joined by commas (the database's group_concat), as an array."""
    if not text:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",")


class TagBitmaps:
    """Tag id -> the bitmap of its works, for the tags big enough to have one (`Index.by_tag`).

    Built from a dict; pickled (into the machine's snapshot) as three arrays: the sorted tag
    ids, where each one's serialized bitmap starts, and the serialized bitmaps one after another.
    pickle leaves arrays out of band, so in a process that maps the snapshot they are the file's
    pages, and a bitmap is read into memory only when a search needs it. A process keeps the
    bitmaps it read up to READ_BUDGET bytes of them (the least recently used go first, and are
    read again from the mapping when asked for). What it changes in a stored bitmap it keeps
    as the works added and taken away (`add`, `discard`), applied to the bitmap each time it is
    read: a few bytes a change, where a copy of a common tag's bitmap held for the rest of the
    snapshot's life would take megabytes. The bitmaps it made itself (a build, a tag grown
    big since) are its own. Callers hold the index's lock, as for every other part of the index.
    """

    READ_BUDGET = 8 * 2**20

    def __init__(self, bitmaps: dict[int, BitMap] | None = None) -> None:
        self._own: dict[int, BitMap] = dict(bitmaps or {})
        self._added: dict[int, BitMap] = {}  # stored tags: works added since the snapshot
        self._taken: dict[int, BitMap] = {}  # and works taken away
        self._read: OrderedDict[int, tuple[BitMap, int]] = OrderedDict()  # tag -> (it, bytes)
        self._read_bytes = 0
        self._keys: NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self._starts: NDArray[np.int64] = np.zeros(1, dtype=np.int64)
        self._blob: NDArray[np.uint8] = np.zeros(0, dtype=np.uint8)

    def _stored(self, tag: int) -> int:
        """TAG's place among the serialized bitmaps, or -1."""
        place = int(np.searchsorted(self._keys, tag))
        return place if place < len(self._keys) and self._keys[place] == tag else -1

    def get(self, tag: int, default: BitMap | None = None) -> BitMap | None:
        """TAG's bitmap, for reading (the caller does not change it)."""
        found = self._own.get(tag)
        if found is not None:
            return found
        kept = self._read.get(tag)
        if kept is not None:
            self._read.move_to_end(tag)
            return kept[0]
        place = self._stored(tag)
        if place < 0:
            return default
        start, end = int(self._starts[place]), int(self._starts[place + 1])
        found = BitMap.deserialize(self._blob[start:end].tobytes())
        if tag in self._added:
            found |= self._added[tag]
        if tag in self._taken:
            found -= self._taken[tag]
        self._read[tag] = (found, end - start)
        self._read_bytes += end - start
        while self._read_bytes > self.READ_BUDGET and len(self._read) > 1:
            _, (_, size) = self._read.popitem(last=False)
            self._read_bytes -= size
        return found

    def add(self, tag: int, work_id: int) -> bool:
        """WORK_ID has TAG now; False when TAG has no bitmap."""
        return self._change(tag, work_id, adding=True)

    def discard(self, tag: int, work_id: int) -> bool:
        """WORK_ID no longer has TAG; False when TAG has no bitmap."""
        return self._change(tag, work_id, adding=False)

    def _change(self, tag: int, work_id: int, adding: bool) -> bool:
        """Change TAG's bitmap of its own, or the change kept for its stored one and the copy
        read of it."""
        found = self._own.get(tag)
        if found is None:
            if self._stored(tag) < 0:
                return False
            into, out_of = (self._added, self._taken) if adding else (self._taken, self._added)
            into.setdefault(tag, BitMap()).add(work_id)
            if tag in out_of:
                out_of[tag].discard(work_id)
            found = self._read.get(tag, (None, 0))[0]
        if found is not None and adding:
            found.add(work_id)
        elif found is not None:
            found.discard(work_id)
        return True

    def __getitem__(self, tag: int) -> BitMap:
        found = self.get(tag)
        if found is None:
            raise KeyError(tag)
        return found

    def __setitem__(self, tag: int, bitmap: BitMap) -> None:
        self._own[tag] = bitmap
        _, size = self._read.pop(tag, (None, 0))
        self._read_bytes -= size
        self._added.pop(tag, None)
        self._taken.pop(tag, None)

    def __contains__(self, tag: object) -> bool:
        if tag in self._own:
            return True
        try:
            return self._stored(operator.index(tag)) >= 0  # type: ignore[arg-type]
        except TypeError:
            return False

    def tags(self) -> set[int]:
        return set(self._own) | set(self._keys.tolist())

    def __len__(self) -> int:
        return len(self.tags())

    def read_count(self) -> int:
        """How many bitmaps this process holds in memory."""
        return len(self._read) + len(self._own)

    def held(self) -> tuple[int, int]:
        """Bytes of the bitmaps this process read (within READ_BUDGET), and of those it made
        and the changes it keeps."""
        own = [*self._own.values(), *self._added.values(), *self._taken.values()]
        return self._read_bytes, sum(bitmap_bytes(found) for found in own)

    def _serialized(self, tag: int) -> bytes:
        """TAG's bitmap serialized, with this process's changes."""
        if tag in self._own or tag in self._added or tag in self._taken:
            return bytes(self[tag].serialize())
        place = self._stored(tag)
        return self._blob[int(self._starts[place]) : int(self._starts[place + 1])].tobytes()

    def __getstate__(self) -> dict[str, Any]:
        tags = sorted(self.tags())
        payloads = [self._serialized(tag) for tag in tags]
        starts = np.zeros(len(tags) + 1, dtype=np.int64)
        np.cumsum([len(payload) for payload in payloads], out=starts[1:])
        blob = np.frombuffer(b"".join(payloads), dtype=np.uint8)
        return {"keys": np.array(tags, dtype=np.int64), "starts": starts, "blob": blob}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._own, self._added, self._taken = {}, {}, {}
        self._read, self._read_bytes = OrderedDict(), 0
        self._keys, self._starts, self._blob = state["keys"], state["starts"], state["blob"]
