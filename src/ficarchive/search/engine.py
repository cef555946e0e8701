"""The search engine: roaring bitmaps and numpy columns in memory, kept fresh by the change log;
free text from the database's full-text index (documents.py), met as a bitmap.

See README.md beside this file for the model. `Index.search(query, user)` answers a query;
`index_keeper` holds this process's index (`get_index()`, `search(query, user)`).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db import connection
from pyroaring import BitMap

from ficarchive.accounts.filters import standing_filters
from ficarchive.search.answers import Answers
from ficarchive.search.bitmaps import TagBitmaps, bitmap_bytes, from_mask, to_bitmap, to_ids
from ficarchive.search.documents import TextMatcher
from ficarchive.search.facets import FACET_SIZE, FACET_TYPES, FacetCounting  # noqa: F401
from ficarchive.search.following import (  # noqa: F401
    MAX_HOLES,
    POLL_EVERY,
    STAMP,
    ChangeLogFollowing,
)
from ficarchive.search.group_codes import CODED_PER_TYPE, PROFILE_SIZES, GroupCodes, TagTable
from ficarchive.search.heap import give_back
from ficarchive.search.models import SearchChange
from ficarchive.search.ordering import DIRECT_SORT, WALK_HEAD, WALK_IDS, PageOrdering
from ficarchive.search.query import DATE_FIELDS, SearchQuery
from ficarchive.search.reading import (
    LANGUAGE_CODES,
    NUMBERS,
    first_creators,
    one_snapshot,
    read_beside,
    read_creators,
    read_pseud_names,
    read_sort_keys,
    read_taggings,
    read_tags,
    read_works,
)
from ficarchive.search.sorting import Ranks, Walk
from ficarchive.search.tag_lookups import TagLookups
from ficarchive.search.tagging import Postings, WorkTags
from ficarchive.works.models import Tagging

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from ficarchive.search.snapshot import Origin
    from ficarchive.works.models import AnyUser

# A tag on at least this many works has its own bitmap; rarer tags are found through the
# database (includes), and their group gets a code when it grows past this (facets). A
# bitmap of a rare tag costs about a kilobyte whatever it holds (one container per 65,536 ids
# it touches): at 1M works, tags of 20 to 100 works took 48 MB in 45,000 bitmaps.
BIG_TAG = 100
# Ranges of results holding at least 1/SCAN_SHARE of the id space test whole columns.
SCAN_SHARE = 8
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Result:
    total: int
    ids: list[int]
    facets: dict[str, list[tuple[str, int]]]
    took_ms: float
    unknown_tags: list[str] = field(default_factory=list)
    # Per work of the page, a number that changes whenever the work (or anything it shows)
    # does, the same in every process: for caching what is drawn of it.
    stamps: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "works": self.ids,
            "facets": {kind: [list(pair) for pair in pairs] for kind, pairs in self.facets.items()},
            "took_ms": round(self.took_ms, 3),
        }


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _day_bounds(start: date | None, end: date | None) -> tuple[int | None, int | None]:
    low = _micros(datetime.combine(start, datetime.min.time(), UTC)) if start else None
    high = (
        _micros(datetime.combine(end + timedelta(days=1), datetime.min.time(), UTC)) - 1
        if end
        else None
    )
    return low, high


def _dtype(name: str) -> type[np.integer[Any]]:
    """Counts fit 32 bits (clipped at 2**31 - 1); moments need 64 (microseconds)."""
    return np.int64 if name in DATE_FIELDS else np.int32


def _listed(listed: NDArray[np.int64], works: NDArray[np.int64], *more: Any) -> Any:
    """The rows (WORKS and MORE, by work) of the works in LISTED (sorted)."""
    if not len(works):
        return (works, *more)
    place = np.minimum(np.searchsorted(listed, works), max(len(listed) - 1, 0))
    keep = listed[place] == works if len(listed) else np.zeros(len(works), dtype=bool)
    return (works[keep], *(column[keep] for column in more))


def _creator_keys(ids: NDArray[np.int64]) -> dict[int, str]:
    """The creator sort key of works without a creator: the empty name, first."""
    return dict.fromkeys(ids.tolist(), "")


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt() parameters


def _mmap_threshold(size: int) -> None:
    """Allocations from SIZE bytes up get their own mapping, returned to the system when freed;
    the heap keeps up to twice that free at its top, as glibc's own adjustment would (glibc;
    elsewhere nothing happens)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, size)
        libc.mallopt(_M_TRIM_THRESHOLD, 2 * size)


@contextlib.contextmanager
def _building() -> Iterator[None]:
    """While the index is built, its large temporaries are mapped on their own, so that what
    they leave is given back instead of scattering the heap; afterwards the usual threshold
    (glibc's highest, which it reaches by itself) lets queries reuse the heap without a system
    call each. The cyclic garbage collector waits until the end: the build makes millions of
    row tuples and strings, and would otherwise walk them all again and again."""
    _mmap_threshold(128 * 1024)
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
        gc.collect()
        give_back()
        _mmap_threshold(32 * 1024 * 1024)


class Index(ChangeLogFollowing, TagLookups, FacetCounting, PageOrdering):
    """Bitmaps of work ids, and columns indexed by work id (0 where a work is not listed)."""

    def __init__(self, big_tag: int = BIG_TAG) -> None:
        self.lock = threading.RLock()
        self.big_tag = big_tag
        self.facet_way: str | None = None  # "works" or "codes"; None: by the result's size
        self.code_width: int | None = None  # None: as the works need (tests force overflow)
        self.coded_per_type = CODED_PER_TYPE
        self.profile_sizes = PROFILE_SIZES  # groups that keep their own counts (tests: small)
        self.direct_sort = DIRECT_SORT
        self.walk_head = WALK_HEAD
        self.walk_ids = WALK_IDS
        self.scan_columns: bool | None = None  # ranges over whole columns; None: by the share
        self.read_beside = True  # the build reads the taggings on a second connection
        self.live = BitMap()
        self.restricted = BitMap()
        self.complete = BitMap()
        self.by_language: dict[int, BitMap] = {}
        self.columns: dict[str, NDArray[Any]] = {}
        self.ranks: dict[str, Ranks] = {}
        self.work_tags = WorkTags.empty()
        self.by_creator = Postings.empty()
        self.by_tag = TagBitmaps()  # the big tags, as typed
        self.codes = GroupCodes(len(FACET_TYPES))
        # Bitmaps of the coded groups with more than their canonical tag in them (the others'
        # are `by_tag[top]`); groups whose synonyms are not in either yet, until the next regroup.
        self.group_maps: dict[int, BitMap] = {}
        self.unmapped: set[int] = set()
        # Per type, the works with a tag of an uncoded group of that type (and, until the next
        # regroup, works that had one): those a count of the uncoded groups has to read.
        self.uncoded_works = [BitMap() for _ in FACET_TYPES]
        self._by_size: list[tuple[list[int], list[int]]] | None = None  # codes, largest first
        self._added_since_order = 0
        self.tag_size = np.zeros(0, dtype=np.int32)
        self.tag_type = np.zeros(0, dtype=np.int8)  # index into TAG_TYPES, -1 unknown
        self.tag_top = np.zeros(0, dtype=np.int32)  # canonical tag id (itself if none)
        self.text = TextMatcher()
        self.answers = Answers()
        self._names: dict[int, str] = {}
        self._covered: dict[str, tuple[frozenset[int], bool]] = {}  # tag name -> covered tags
        self._walks: dict[tuple[str, bool], Walk] = {}
        self.last_change = 0
        self.generation = 0  # the change log id of the last change to every work
        self.stamp_base = 0  # the change log id the stamp column counts from
        self.holes: dict[int, float] = {}  # change ids skipped, and when they were first missed
        self.polled_at = 0.0
        self.seen_recorded = -1  # `recorded()` when the log was last read
        self.built_at = 0.0
        self.build_seconds = 0.0
        # Wall-clock time when the index last had every change-log row up to `last_change`
        # (a build's start, a poll): how long its snapshot may serve (snapshot.py).
        self.current_at = 0.0
        self.origin: Origin | None = None  # the snapshot it was mapped from, if it was

    # What each process keeps of its own and a snapshot leaves out: the lock, caches of
    # answers and sort walks, and the log-reading times (monotonic clocks are per boot).
    _PER_PROCESS = ("lock", "text", "answers", "_walks", "_covered", "_names", "origin", "holes",
                    "polled_at", "seen_recorded")  # fmt: skip

    def __getstate__(self) -> dict[str, Any]:
        state = {k: v for k, v in self.__dict__.items() if k not in self._PER_PROCESS}
        state["hole_ids"] = sorted(self.holes)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """A snapshot's index: its holes asked for again, and as old as the snapshot is."""
        hole_ids = state.pop("hole_ids")
        self.__dict__.update(state)
        self.lock = threading.RLock()
        self.text = TextMatcher()
        self.answers = Answers()
        self._walks, self._covered, self._names = {}, {}, {}
        self.origin = None
        now = time.monotonic()
        self.holes = dict.fromkeys(hole_ids, now)
        self.polled_at = now - max(0.0, time.time() - self.current_at)
        self.seen_recorded = -1  # the first search polls

    def held(self) -> dict[str, int]:
        """Bytes this process keeps of its own in its caches, each within a budget but for the
        tag bitmaps it made (a build, or tags grown big since the snapshot) and its changes to
        the others, kept until the next snapshot."""
        with self.lock:
            read, own = self.by_tag.held()
            return {
                "walks": sum(
                    w.order.nbytes + bitmap_bytes(w.changed) for w in self._walks.values()
                ),
                "tag_bitmaps_read": read,
                "tag_bitmaps_own_and_changes": own,
                "text_answers": self.text.held,
            }

    # --- building -------------------------------------------------------------------------
    def build(self) -> None:
        started = time.perf_counter()
        self.current_at = time.time()
        with self.lock, _building():
            # Changes that commit while we read are read again by the next poll.
            newest = SearchChange.objects.order_by("-id").values_list("id", flat=True).first()
            self.last_change = newest or 0
            recent = SearchChange.objects.filter(id__gt=self.last_change - MAX_HOLES)
            present = set(recent.values_list("id", flat=True))
            now = time.monotonic()
            for cid in range(max(1, self.last_change - MAX_HOLES + 1), self.last_change + 1):
                if cid not in present:
                    self.holes[cid] = now
            # Inside a caller's transaction, every read must see its writes: one connection.
            beside = self.read_beside and not connection.in_atomic_block
            with one_snapshot():
                taggings = read_beside(read_taggings) if beside else None
                self._load_tags()
                works = read_works()
                tag_works, tag_ids = _listed(
                    works.ids, *(taggings.result() if taggings else read_taggings())
                )
                del taggings
                creator_works, users, pseuds = _listed(works.ids, *read_creators())
                keys = {"title": read_sort_keys("title"), "creator": _creator_keys(works.ids)}
                firsts, first_pseuds = first_creators(creator_works, pseuds)
                names = read_pseud_names()
                keys["creator"].update(
                    zip(firsts.tolist(), (names[p] for p in first_pseuds.tolist()), strict=True)
                )
                del names
            size = int(works.ids.max()) + 1 if len(works.ids) else 1
            self.columns = {name: np.zeros(size, dtype=_dtype(name)) for name in NUMBERS}
            self.columns[STAMP] = np.zeros(size, dtype=np.uint32)
            self.generation = self.stamp_base = self.last_change
            for name, values in works.numbers.items():
                self._set_column(name, works.ids, values)
            self.live = to_bitmap(works.ids)
            self.restricted = to_bitmap(works.ids[works.restricted == 1])
            self.complete = to_bitmap(works.ids[works.complete == 1])
            self.by_language = {
                code: to_bitmap(works.ids[works.language == code])
                for code in np.unique(works.language).tolist()
            }
            self.work_tags = WorkTags(tag_works, tag_ids, size)
            self.by_creator = Postings(users, creator_works)
            self.ranks = {name: Ranks(found, size) for name, found in keys.items()}
            del keys
            self._grow_tags(int(tag_ids.max()) + 1 if len(tag_ids) else 0)
            self.tag_size[:] = np.bincount(tag_ids, minlength=len(self.tag_size))
            self._build_tag_bitmaps(tag_works, tag_ids)
            del works, tag_works, tag_ids, creator_works, users
            self._regroup()
            self.polled_at = time.monotonic()
            self.built_at = time.time()
            self.build_seconds = time.perf_counter() - started

    def _build_tag_bitmaps(self, works: NDArray[np.int64], tags: NDArray[np.int64]) -> None:
        big = self.tag_size[tags] >= self.big_tag
        works, tags = works[big], tags[big]
        order = np.argsort(tags, kind="stable")  # works stay sorted within a tag
        works, tags = works[order], tags[order]
        if not len(tags):
            self.by_tag = TagBitmaps()
            return
        starts = np.flatnonzero(np.r_[True, tags[1:] != tags[:-1]]).tolist()
        ends = [*starts[1:], len(tags)]
        self.by_tag = TagBitmaps(
            {int(tags[s]): to_bitmap(works[s:e]) for s, e in zip(starts, ends, strict=True)}
        )

    def _grow_tags(self, size: int) -> None:
        old = len(self.tag_top)
        if size <= old:
            return
        self.tag_size = np.concatenate([self.tag_size, np.zeros(size - old, dtype=np.int32)])
        self.tag_type = np.concatenate([self.tag_type, np.full(size - old, -1, dtype=np.int8)])
        self.tag_top = np.concatenate([self.tag_top, np.arange(old, size, dtype=np.int32)])

    def _load_tags(self, ids: list[int] | None = None) -> None:
        """The tag table (or the tags of IDS): type and canonical tag of each."""
        tag_ids, kinds, tops = read_tags(ids)
        self._covered.clear()
        self.answers.forget()
        if ids is None:
            self._names.clear()
            self.tag_type[:] = -1
            self.tag_top[:] = np.arange(len(self.tag_top))
        self._grow_tags(int(tag_ids.max()) + 1 if len(tag_ids) else 0)
        self.tag_type[tag_ids] = kinds
        self.tag_top[tag_ids] = tops

    def _tags(self) -> TagTable:
        return TagTable(self.tag_size, self.tag_top, self.tag_type)

    def _regroup(self) -> None:
        """Codes for the most used canonical tags of each type, with their synonyms' works."""
        used = np.flatnonzero(self.tag_size)
        tops = self.tag_top[used]
        sizes = np.bincount(tops, weights=self.tag_size[used], minlength=len(self.tag_top))
        present = np.flatnonzero(sizes)
        size = len(self.columns["words"]) if self.columns else 0
        pairs = self.work_tags.pairs(size)
        self.codes.build(
            pairs,
            size,
            self._tags(),
            (present, sizes[present].astype(np.int64)),
            per_type=self.coded_per_type,
            width=self.code_width,
            profile_sizes=self.profile_sizes,
        )
        self._map_groups(pairs, used)
        works, tags = pairs
        tops = self.tag_top[tags]
        kinds = np.where(self.codes.code_of_top[tops] == 0, self.tag_type[tops], -1)
        self.uncoded_works = [
            to_bitmap(np.unique(works[kinds == n])) for n in range(len(FACET_TYPES))
        ]

    def _map_groups(self, pairs: tuple[NDArray[np.int32], NDArray[np.int32]], used: Any) -> None:
        """Bitmaps for the coded groups whose works are not just their canonical tag's."""
        members = np.bincount(self.tag_top[used], minlength=len(self.tag_top))
        itself = np.zeros(len(self.tag_top), dtype=bool)
        itself[used[self.tag_top[used] == used]] = True
        mixed = (members > 1) | ((members == 1) & ~itself)
        mixed &= self.codes.code_of_top[: len(mixed)] > 0
        works, tags = pairs
        wanted = mixed[self.tag_top[tags]]
        works, tops = works[wanted], self.tag_top[tags[wanted]]
        order = np.argsort(tops, kind="stable")
        works, tops = works[order], tops[order]
        cuts = np.flatnonzero(np.r_[True, tops[1:] != tops[:-1]]) if len(tops) else tops
        ends = [*cuts[1:].tolist(), len(tops)] if len(tops) else []
        self.group_maps = {
            int(tops[start]): to_bitmap(works[start:end])
            for start, end in zip(cuts.tolist(), ends, strict=True)
        }
        self.unmapped = set()
        self._by_size = None

    def _group_bitmap(self, top: int) -> BitMap | None:
        """The works of the canonical tag TOP with its synonyms' (None: not at hand)."""
        if top in self.unmapped:
            return None
        mapped = self.group_maps.get(top)
        return mapped if mapped is not None else self.by_tag.get(top)

    # --- changing -------------------------------------------------------------------------
    def _set_column(self, name: str, ids: Any, values: NDArray[np.int64]) -> None:
        column = self.columns[name]
        if column.dtype == np.int32:
            values = np.minimum(values, np.iinfo(np.int32).max)
        column[ids] = values

    def _grow(self, size: int) -> None:
        old = len(self.columns["words"])
        if size <= old:
            return
        new_size = max(size, old * 2, 1024)
        for name, column in self.columns.items():
            grown = np.zeros(new_size, dtype=column.dtype)
            grown[:old] = column
            self.columns[name] = grown
        for ranks in self.ranks.values():
            ranks.grow(new_size)

    def _untag(self, work_id: int) -> None:
        for tag in self.work_tags.of(work_id).tolist():
            if tag < len(self.tag_size):
                self.tag_size[tag] -= 1
            self.by_tag.discard(tag, work_id)
            group = self.group_maps.get(int(self.tag_top[tag])) if tag < len(self.tag_top) else None
            if group is not None:
                group.discard(work_id)
        self.work_tags.set(work_id, [])
        self.codes.clear(work_id)

    def _tag(self, work_id: int, tags: list[int]) -> None:
        self.work_tags.set(work_id, tags)
        uncoded = self.codes.set(work_id, tags, self.tag_top)
        for kind in np.unique(self.tag_type[uncoded]).tolist():
            if kind >= 0:  # (a tag new to the index, or unused when the groups were coded)
                self.uncoded_works[kind].add(work_id)
                self.codes.has_uncoded[kind] = True
        self._added_since_order += len(tags)
        for tag in tags:
            self.tag_size[tag] += 1
            top = int(self.tag_top[tag])
            group = self.group_maps.get(top)
            if group is not None:
                group.add(work_id)
            elif top != tag:  # a synonym's first works: its group has no bitmap until a regroup
                self.unmapped.add(top)
            if not self.by_tag.add(tag, work_id) and self.tag_size[tag] >= self.big_tag:
                self._promote(tag)

    def _promote(self, tag: int) -> None:
        """A small tag grew big: give it a bitmap, and its canonical tag's group a code."""
        top = int(self.tag_top[tag])
        group = np.flatnonzero(self.tag_top == top)
        pairs = Tagging.objects.filter(tag_id__in=group.tolist())
        rows = [(t, w) for t, w in pairs.values_list("tag_id", "work_id") if w in self.live]
        self.by_tag[tag] = BitMap(w for t, w in rows if t == tag)
        works = BitMap(w for _, w in rows)
        self.codes.add_group(top, int(self.tag_type[top]), works)
        self._by_size = None  # a new code to sort in
        if any(t != top for t, _ in rows):
            self.group_maps[top] = works
            self.unmapped.discard(top)

    def _remove(self, work_id: int) -> None:
        if work_id not in self.live:
            return
        for bitmap in (self.live, self.restricted, self.complete, *self.by_language.values()):
            bitmap.discard(work_id)
        self._untag(work_id)
        self.by_creator.set(work_id, [])
        for column in self.columns.values():
            column[work_id] = 0

    def apply(self, work_ids: Iterable[int]) -> None:
        """Read these works again from the database and replace them in the index."""
        self.answers.forget()
        wanted = sorted(set(work_ids))
        works = read_works(wanted)
        tag_works, tag_ids = _listed(works.ids, *read_taggings(wanted))
        creator_works, users, _ = _listed(works.ids, *read_creators(wanted))
        listed = works.ids.tolist()
        keys = {name: read_sort_keys(name, listed) for name in self.ranks} if listed else {}
        with self.lock:
            missing = np.unique(tag_ids[tag_ids >= len(self.tag_top)])
            if len(tag_ids):
                known = tag_ids[tag_ids < len(self.tag_top)]
                missing = np.union1d(missing, np.unique(known[self.tag_type[known] < 0]))
            if len(missing):
                self._load_tags(missing.tolist())
                # A new synonym joins its group's works only at the next regroup.
                joined = self.tag_top[missing]
                self.unmapped.update(joined[joined != missing].tolist())
            self._grow(max(wanted) + 1 if wanted else 0)
            for work_id in wanted:
                self._remove(work_id)
            tags_of = np.split(tag_ids, np.searchsorted(tag_works, works.ids[1:]))
            users_of = np.split(users, np.searchsorted(creator_works, works.ids[1:]))
            for n, work_id in enumerate(listed):
                self.live.add(work_id)
                if works.restricted[n]:
                    self.restricted.add(work_id)
                if works.complete[n]:
                    self.complete.add(work_id)
                self.by_language.setdefault(int(works.language[n]), BitMap()).add(work_id)
                for name, values in works.numbers.items():
                    self._set_column(name, work_id, values[n])
                self._tag(work_id, tags_of[n].tolist() if len(tags_of) > n else [])
                self.by_creator.set(work_id, users_of[n].tolist() if len(users_of) > n else [])
            for name, ranks in self.ranks.items():
                ranks.forget(wanted)
                # Placing a work costs about 70 µs, reading every key again 7 µs a work (at
                # 1M, 2.2 s for titles and 5.2 s for creators, the index locked meanwhile): a
                # process that sat idle while others wrote places what it missed.
                if len(keys.get(name, {})) > max(200, len(ranks.order) // 10) or not ranks.place(
                    keys.get(name, {}), partial(read_sort_keys, name)
                ):
                    self.ranks[name] = Ranks(read_sort_keys(name), len(self.columns["words"]))
                elif len(ranks.moved) > max(1000, len(ranks.order) // 20):
                    ranks.reorder(to_ids(self.live))
            for walked in self._walks.values():
                walked.changed.update(wanted)
            self.text.changed(wanted)

    # --- answering ------------------------------------------------------------------------
    def hidden_from(self, user: AnyUser) -> BitMap:
        """The works the reader's standing filters (and mutes) keep out of every listing."""
        if not user.is_authenticated:
            return BitMap()
        filters = standing_filters(user)
        if filters.is_empty:
            return BitMap()
        return (
            self.works_of_tags(filters.tag_ids)
            | self.by_creator.get(filters.creator_ids)
            | BitMap(filters.work_ids)
        )

    def _ranges(self, found: BitMap, query: SearchQuery) -> BitMap:
        bounds = [(name, r.low, r.high) for name, r in query.ranges.items()]
        for name in DATE_FIELDS:
            if name in query.dates:
                span = query.dates[name]
                bounds.append((name, *_day_bounds(span.start, span.end)))
        bounds = [b for b in bounds if b[1] is not None or b[2] is not None]
        if not bounds or not found:
            return found
        size = len(self.columns["words"])
        scan = self.scan_columns
        if scan is None:  # a whole column costs less than picking out a large share of it
            scan = len(found) * SCAN_SHARE >= size
        ids = None if scan else to_ids(found)
        keep = np.ones(size if ids is None else len(ids), dtype=bool)
        for name, low, high in bounds:
            values = self.columns[name] if ids is None else self.columns[name][ids]
            if low is not None:
                keep &= values >= low
            if high is not None:
                keep &= values <= high
        return from_mask(keep) & found if ids is None else to_bitmap(ids[keep])

    def search(self, query: SearchQuery, user: AnyUser) -> Result:
        self.catch_up()
        started = time.perf_counter()
        with self.lock:
            hidden = self.hidden_from(user)
            key = None if hidden else self.answers.key(query, user.is_authenticated)
            kept = self.answers.get(key) if key is not None else None
            if kept is not None:
                return replace(kept, took_ms=(time.perf_counter() - started) * 1000)
            result = self._answer(query, user, hidden, started)
            if key is not None:
                self.answers.keep(key, result)
            return result

    def _answer(self, query: SearchQuery, user: AnyUser, hidden: BitMap, started: float) -> Result:
        """QUERY's answer read from the index (`search` holds the lock)."""
        unknown: list[str] = []
        universe = BitMap(self.live)
        if not user.is_authenticated:
            universe -= self.restricted
        if hidden:
            universe -= hidden
        found = BitMap(universe)
        for name in query.include:
            bitmap, known = self.tag_bitmap(name)
            found &= bitmap
            if not known:
                unknown.append(name)
        for tag_id in query.tags:
            found &= self.tag_id_bitmap(tag_id)
        if query.creators:
            found &= self.by_creator.get(query.creators)
        for name in query.exclude:
            found -= self.tag_bitmap(name)[0]
        if query.complete is not None:
            found = found & self.complete if query.complete else found - self.complete
        if query.lang is not None:
            code = LANGUAGE_CODES.index(query.lang)
            found &= self.by_language.get(code, BitMap())
        if query.collection is not None:
            found &= self.works_in_collection(query.collection)
        if query.text:
            scope = "body" if query.body else "text"
            found &= self.text.clauses(query.text, scope, universe)
        found = self._ranges(found, query)
        page = self._page(found, query)
        facets = self.facets(found) if query.facets else {}
        stamps = self.stamps_of(page)
        took = (time.perf_counter() - started) * 1000
        return Result(len(found), page, facets, took, unknown, stamps)
