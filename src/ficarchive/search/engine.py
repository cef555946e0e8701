"""The search engine: roaring bitmaps and numpy columns in memory, kept fresh by the change log.

See README.md beside this file for the model. `search(query, user)` is the one entry point;
`get_index()` is this process's index.
"""

from __future__ import annotations

import heapq
import html
import re
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db import transaction
from django.db.models import Q
from pyroaring import BitMap

from ficarchive.accounts.models import Mute
from ficarchive.search.models import SearchChange
from ficarchive.search.query import DATE_FIELDS, RANGE_FIELDS, SearchQuery, Term, tokens
from ficarchive.tags.models import Tag, TagType, clean_tag_name
from ficarchive.works.models import Creatorship, Tagging, Work

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from ficarchive.works.models import AnyUser

FACET_TYPES = [t.value for t in TagType]
FACET_SIZE = 10
# Facets of fewer results than this (or a tenth of the tags) are counted work by work,
# of more results tag by tag.
SMALL_RESULT = 2000
REORDER_AFTER = 1000
NUMERIC = (*RANGE_FIELDS, "published", "updated")
# Changes younger than this are read again on every poll: with PostgreSQL a change with a lower
# id can commit after one with a higher id, and must not be missed.
LATE_COMMIT_SECONDS = 10.0
MAX_HOLES = 10_000
_TAGS_HTML = re.compile(r"<[^>]*>")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class WorkRow:
    """What the index keeps about one listed work."""

    id: int
    restricted: bool
    language: str
    complete: bool
    numbers: dict[str, int]
    tag_ids: tuple[int, ...]
    creator_ids: tuple[int, ...]
    title_key: str
    creator_key: str
    words: str  # the work's text as tokens joined by spaces, with a space at each end
    title_words: frozenset[str]


@dataclass(frozen=True)
class Result:
    total: int
    ids: list[int]
    facets: dict[str, list[tuple[str, int]]]
    took_ms: float
    unknown_tags: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "works": self.ids,
            "facets": {kind: [list(pair) for pair in pairs] for kind, pairs in self.facets.items()},
            "took_ms": round(self.took_ms, 3),
        }


def _micros(moment: datetime | None) -> int:
    """Microseconds since 1970 (UTC): updates a moment apart still sort apart."""
    return (moment - _EPOCH) // timedelta(microseconds=1) if moment else 0


def _day_bounds(start: date | None, end: date | None) -> tuple[int | None, int | None]:
    low = _micros(datetime.combine(start, datetime.min.time(), UTC)) if start else None
    high = (
        _micros(datetime.combine(end + timedelta(days=1), datetime.min.time(), UTC)) - 1
        if end
        else None
    )
    return low, high


def _plain(text: str) -> str:
    return html.unescape(_TAGS_HTML.sub(" ", text))


def load_rows(ids: Iterable[int] | None = None) -> Iterator[WorkRow]:
    """The listed works (posted, not hidden) from the database; all of them or those of IDS."""
    works = Work.objects.filter(is_draft=False, is_hidden=False)
    creators = Creatorship.objects.filter(accepted=True)
    taggings = Tagging.objects.all()
    if ids is not None:
        wanted = list(ids)
        works, creators = works.filter(id__in=wanted), creators.filter(work_id__in=wanted)
        taggings = taggings.filter(work_id__in=wanted)
    tags_of: dict[int, list[int]] = {}
    for work_id, tag_id in taggings.filter(work__in=works).values_list("work_id", "tag_id"):
        tags_of.setdefault(work_id, []).append(tag_id)
    names = dict(Tag.objects.values_list("id", "name"))
    byline: dict[int, list[tuple[int, int, str]]] = {}
    for work_id, user_id, name in (
        creators.filter(work__in=works)
        .order_by("position", "id")
        .values_list("work_id", "pseud__user_id", "pseud__name")
    ):
        byline.setdefault(work_id, []).append((work_id, user_id, name))
    columns = (
        "id", "title", "summary", "language", "restricted", "word_count", "chapter_count",
        "expected_chapters", "published_at", "updated_at", "stats__kudos", "stats__comments",
        "stats__bookmarks", "stats__hits",
    )  # fmt: skip
    for values in works.order_by("id").values_list(*columns).iterator(chunk_size=5000):
        work = dict(zip(columns, values, strict=True))
        tag_ids = tuple(sorted(tags_of.get(work["id"], [])))
        people = byline.get(work["id"], [])
        creator_names = [name for _, _, name in people]
        text = " ".join(
            [work["title"], _plain(work["summary"]), *creator_names]
            + [names.get(t, "") for t in tag_ids]
        )
        expected = work["expected_chapters"]
        yield WorkRow(
            id=work["id"],
            restricted=work["restricted"],
            language=work["language"],
            complete=expected is not None and work["chapter_count"] >= expected,
            numbers={
                "words": work["word_count"],
                "chapters": work["chapter_count"],
                "kudos": work["stats__kudos"] or 0,
                "comments": work["stats__comments"] or 0,
                "bookmarks": work["stats__bookmarks"] or 0,
                "hits": work["stats__hits"] or 0,
                "published": _micros(work["published_at"]),
                "updated": _micros(work["updated_at"]),
            },
            tag_ids=tag_ids,
            creator_ids=tuple(dict.fromkeys(user_id for _, user_id, _ in people)),
            title_key=work["title"].casefold(),
            creator_key=(creator_names[0].casefold() if creator_names else ""),
            words=" " + " ".join(tokens(text)) + " ",
            title_words=frozenset(tokens(work["title"])),
        )


class Index:
    """Bitmaps of work ids, and columns indexed by work id (0 where a work is not listed)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.live = BitMap()
        self.restricted = BitMap()
        self.complete = BitMap()
        self.by_tag: dict[int, BitMap] = {}
        self.by_language: dict[str, BitMap] = {}
        self.by_creator: dict[int, BitMap] = {}
        self.by_word: dict[str, BitMap] = {}
        self.by_title_word: dict[str, BitMap] = {}
        self.columns: dict[str, NDArray[np.int64]] = {
            name: np.zeros(0, dtype=np.int64) for name in NUMERIC
        }
        self.title_keys: dict[int, str] = {}
        self.creator_keys: dict[int, str] = {}
        self.rows: dict[int, WorkRow] = {}
        self._ranks: dict[str, NDArray[np.int64]] = {}
        # tags: id -> (type, name, canonical id)
        self.tags: dict[int, tuple[str, str, int]] = {}
        self.names: dict[str, list[int]] = {}  # lower-case name -> ids (one per type)
        self.merged: dict[int, BitMap] = {}
        self._order: dict[str, list[tuple[int, int]]] | None = None
        self._added_since_order = 0
        self.small_result: int | None = None  # None: choose by the sizes; tests force a way
        self.last_change = 0
        self.holes: dict[int, float] = {}  # change ids skipped, and when they were first missed
        self.built_at = 0.0
        self.build_seconds = 0.0

    # --- building and changing ------------------------------------------------------------
    def build(self) -> None:
        started = time.perf_counter()
        with self.lock:
            # Changes that commit while we read are read again by the next poll.
            newest = SearchChange.objects.order_by("-id").values_list("id", flat=True).first()
            self.last_change = newest or 0
            recent = SearchChange.objects.filter(id__gt=self.last_change - MAX_HOLES)
            present = set(recent.values_list("id", flat=True))
            now = time.monotonic()
            for cid in range(max(1, self.last_change - MAX_HOLES + 1), self.last_change + 1):
                if cid not in present:
                    self.holes[cid] = now
            with transaction.atomic():
                self._load_tags()
                for row in load_rows():
                    self._add(row)
            self._merge_tags()
            self.built_at = time.time()
            self.build_seconds = time.perf_counter() - started

    def _grow(self, work_id: int) -> None:
        size = len(self.columns["words"])
        if work_id < size:
            return
        new_size = max(work_id + 1, size * 2, 1024)
        for name, column in self.columns.items():
            grown = np.zeros(new_size, dtype=np.int64)
            grown[:size] = column
            self.columns[name] = grown

    @staticmethod
    def _put(mapping: dict[Any, BitMap], key: Any, work_id: int) -> None:
        bitmap = mapping.get(key)
        if bitmap is None:
            bitmap = mapping[key] = BitMap()
        bitmap.add(work_id)

    def _add(self, row: WorkRow) -> None:
        work_id = row.id
        self._grow(work_id)
        self.rows[work_id] = row
        self.live.add(work_id)
        if row.restricted:
            self.restricted.add(work_id)
        if row.complete:
            self.complete.add(work_id)
        self._put(self.by_language, row.language, work_id)
        for tag_id in row.tag_ids:
            self._put(self.by_tag, tag_id, work_id)
        for user_id in row.creator_ids:
            self._put(self.by_creator, user_id, work_id)
        for word in set(row.words.split()):
            self._put(self.by_word, word, work_id)
        for word in row.title_words:
            self._put(self.by_title_word, word, work_id)
        for name, value in row.numbers.items():
            self.columns[name][work_id] = value
        self.title_keys[work_id] = row.title_key
        self.creator_keys[work_id] = row.creator_key
        self._ranks.clear()
        self._added_since_order += 1

    def _remove(self, work_id: int) -> None:
        row = self.rows.pop(work_id, None)
        if row is None:
            return
        for bitmap in (self.live, self.restricted, self.complete):
            bitmap.discard(work_id)
        self.by_language[row.language].discard(work_id)
        for tag_id in row.tag_ids:
            self.by_tag[tag_id].discard(work_id)
            merged = self.merged.get(self.tags.get(tag_id, ("", "", tag_id))[2])
            if merged is not None:
                merged.discard(work_id)
        for user_id in row.creator_ids:
            self.by_creator[user_id].discard(work_id)
        for word in set(row.words.split()):
            self.by_word[word].discard(work_id)
        for word in row.title_words:
            self.by_title_word[word].discard(work_id)
        for column in self.columns.values():
            column[work_id] = 0
        self.title_keys.pop(work_id, None)
        self.creator_keys.pop(work_id, None)
        self._ranks.clear()

    def _load_tags(self) -> None:
        self._order = None
        self.tags = {
            tag_id: (tag_type, name, synonym_of or tag_id)
            for tag_id, tag_type, name, synonym_of in Tag.objects.values_list(
                "id", "type", "name", "synonym_of_id"
            )
        }
        self.names = {}
        for tag_id, (_, name, _) in self.tags.items():
            self.names.setdefault(name.lower(), []).append(tag_id)

    def _merge_tags(self) -> None:
        """One bitmap per canonical (or unwrangled) tag: its works and its synonyms' works."""
        merged: dict[int, BitMap] = {}
        for tag_id, bitmap in self.by_tag.items():
            top = self.tags.get(tag_id, ("", "", tag_id))[2]
            if top in merged:
                merged[top] |= bitmap
            else:
                merged[top] = BitMap(bitmap)
        self.merged = merged
        self._order = None

    def apply(self, work_ids: Iterable[int]) -> None:
        wanted = set(work_ids)
        rows = {row.id: row for row in load_rows(wanted)}
        missing_tags = {t for row in rows.values() for t in row.tag_ids if t not in self.tags}
        with self.lock:
            if missing_tags:
                self._load_tags()
            for work_id in wanted:
                self._remove(work_id)
                row = rows.get(work_id)
                if row is not None:
                    self._add(row)
                    for tag_id in row.tag_ids:
                        top = self.tags.get(tag_id, ("", "", tag_id))[2]
                        if top not in self.merged:
                            self._order = None  # a tag new to the facets
                        self._put(self.merged, top, work_id)

    def poll(self) -> None:
        """Apply the change log rows this index has not seen (one indexed query).

        Ids skipped on the way (a transaction that took an id and has not committed yet, or
        rolled back) are asked for again on each poll for LATE_COMMIT_WINDOW.
        """
        now = time.monotonic()
        self.holes = {cid: t for cid, t in self.holes.items() if now - t < LATE_COMMIT_SECONDS}
        wanted = Q(id__gt=self.last_change)
        if self.holes:
            wanted |= Q(id__in=list(self.holes))
        rows = list(SearchChange.objects.filter(wanted).order_by("id").values_list("id", "work_id"))
        if not rows:
            return
        work_ids = {work_id for _, work_id in rows if work_id is not None}
        with self.lock:
            if any(work_id is None for _, work_id in rows):
                self._load_tags()
                self._merge_tags()
            if work_ids:
                self.apply(work_ids)
            for cid, _ in rows:
                self.holes.pop(cid, None)
                if cid > self.last_change:
                    self._note_holes(self.last_change + 1, cid, now)
                    self.last_change = cid

    def _note_holes(self, first: int, stop: int, now: float) -> None:
        for cid in range(max(first, stop - MAX_HOLES), stop):
            self.holes[cid] = now

    # --- answering ------------------------------------------------------------------------
    def tag_bitmap(self, name: str) -> tuple[BitMap, bool]:
        """Works under the tags named NAME (any type), through synonyms and sub-fandoms."""
        covered: set[int] = set()
        found = self.names.get(clean_tag_name(name).lower(), [])
        for tag_id in found:
            top = self.tags[tag_id][2]
            kind = self.tags.get(top, self.tags[tag_id])[0]
            covered.update(
                Tag.objects.covered_by(Tag(pk=top, type=kind)).values_list("id", flat=True)
            )
        maps = [self.by_tag[t] for t in covered if t in self.by_tag]
        return (BitMap.union(*maps) if maps else BitMap()), bool(found)

    def muted_works(self, user: AnyUser) -> BitMap:
        if not user.is_authenticated:
            return BitMap()
        maps = [self.by_creator[u] for u in Mute.objects.muted_ids(user) if u in self.by_creator]
        return BitMap.union(*maps) if maps else BitMap()

    def _term(self, term: Term, universe: BitMap) -> BitMap:
        maps = [self.by_word.get(word, BitMap()) for word in term.words]
        found = BitMap.intersection(*maps) if len(maps) > 1 else BitMap(maps[0])
        if len(term.words) > 1:
            phrase = " " + " ".join(term.words) + " "
            found = BitMap(i for i in found if phrase in self.rows[i].words)
        return universe - found if term.negated else found & universe

    def _range(self, found: BitMap, name: str, low: int | None, high: int | None) -> BitMap:
        if low is None and high is None:
            return found
        ids = np.array(found.to_array(), dtype=np.int64)
        values = self.columns[name][ids]
        keep = np.ones(len(ids), dtype=bool)
        if low is not None:
            keep &= values >= low
        if high is not None:
            keep &= values <= high
        return BitMap(ids[keep].tolist())

    def _rank(self, name: str) -> NDArray[np.int64]:
        """Each work's place in title or creator order (ascending, case folded)."""
        if name not in self._ranks:
            keys = self.title_keys if name == "title" else self.creator_keys
            rank = np.zeros(len(self.columns["words"]), dtype=np.int64)
            place, previous = 0, None
            # equal keys share a place, so their order falls to the work id
            for work_id in sorted(keys, key=keys.__getitem__):
                if keys[work_id] != previous:
                    place, previous = place + 1, keys[work_id]
                rank[work_id] = place
            self._ranks[name] = rank
        return self._ranks[name]

    def _sorted(self, found: BitMap, query: SearchQuery) -> NDArray[np.int64]:
        ids = np.array(found.to_array(), dtype=np.int64)
        if query.sort == "relevance" and query.positive_words:
            keys = np.zeros(len(ids), dtype=np.int64)
            for word in set(query.positive_words):
                in_title = self.by_title_word.get(word)
                if in_title is not None:
                    keys += np.isin(ids, np.array(in_title.to_array(), dtype=np.int64))
        elif query.sort in {"title", "creator"}:
            keys = self._rank(query.sort)[ids]
        else:
            name = "updated" if query.sort == "relevance" else query.sort
            keys = self.columns[name][ids]
        primary = keys if query.order == "asc" else -keys
        return ids[np.lexsort((-ids, primary))]

    def facets(self, found: BitMap) -> dict[str, list[tuple[str, int]]]:
        """The top tags of each type in FOUND, counted through synonyms to the canonical tag."""
        counts: dict[int, int] = {}
        small = self.small_result
        if len(found) < (SMALL_RESULT if small is None else small):
            for work_id in found:
                for top in {self.tags.get(t, ("", "", t))[2] for t in self.rows[work_id].tag_ids}:
                    counts[top] = counts.get(top, 0) + 1
        else:
            for items in self._facet_order().values():
                best: list[int] = []  # the FACET_SIZE highest counts so far (a min-heap)
                for size, top in items:
                    if len(best) == FACET_SIZE and size + self._added_since_order < best[0]:
                        break  # no tag from here on can reach the top
                    count = found.intersection_cardinality(self.merged[top])
                    if count:
                        counts[top] = count
                        if len(best) < FACET_SIZE:
                            heapq.heappush(best, count)
                        elif count > best[0]:
                            heapq.heapreplace(best, count)
        grouped: dict[str, list[tuple[str, int]]] = {kind: [] for kind in FACET_TYPES}
        for top, count in counts.items():
            kind, name, _ = self.tags.get(top, ("", "", top))
            if kind in grouped:
                grouped[kind].append((name, count))
        return {
            kind: sorted(pairs, key=lambda pair: (-pair[1], pair[0].lower()))[:FACET_SIZE]
            for kind, pairs in grouped.items()
        }

    def _facet_order(self) -> dict[str, list[tuple[int, int]]]:
        """Canonical tags of each type, most works first. Rebuilt after many additions; until
        then `_added_since_order` bounds how far any tag may have grown past its place."""
        if self._order is None or self._added_since_order > REORDER_AFTER:
            order: dict[str, list[tuple[int, int]]] = {kind: [] for kind in FACET_TYPES}
            for top, bitmap in self.merged.items():
                kind = self.tags.get(top, ("", "", top))[0]
                if kind in order:
                    order[kind].append((len(bitmap), top))
            for items in order.values():
                items.sort(reverse=True)
            self._order, self._added_since_order = order, 0
        return self._order

    def search(self, query: SearchQuery, user: AnyUser) -> Result:
        self.poll()
        started = time.perf_counter()
        unknown: list[str] = []
        with self.lock:
            universe = BitMap(self.live)
            if not user.is_authenticated:
                universe -= self.restricted
            universe -= self.muted_works(user)
            found = BitMap(universe)
            for name in query.include:
                bitmap, known = self.tag_bitmap(name)
                found &= bitmap
                if not known:
                    unknown.append(name)
            for name in query.exclude:
                found -= self.tag_bitmap(name)[0]
            if query.complete is not None:
                found = found & self.complete if query.complete else found - self.complete
            if query.lang is not None:
                found &= self.by_language.get(query.lang, BitMap())
            for clause in query.text:
                found &= BitMap.union(*[self._term(term, universe) for term in clause])
            for name, bounds in query.ranges.items():
                found = self._range(found, name, bounds.low, bounds.high)
            for name in DATE_FIELDS:
                if name in query.dates:
                    span = query.dates[name]
                    found = self._range(found, name, *_day_bounds(span.start, span.end))
            ordered = self._sorted(found, query)
            page = ordered[query.offset : query.offset + query.per_page].tolist()
            facets = self.facets(found)
        took = (time.perf_counter() - started) * 1000
        return Result(len(found), page, facets, took, unknown)


_index: Index | None = None
_index_lock = threading.Lock()


def get_index() -> Index:
    """This process's index, built from the database on first use."""
    global _index
    with _index_lock:
        if _index is None:
            index = Index()
            index.build()
            _index = index
        return _index


def reset_index() -> None:
    """Forget this process's index (tests, or after a bulk load); the next query rebuilds it."""
    global _index
    with _index_lock:
        _index = None


def search(query: SearchQuery, user: AnyUser) -> Result:
    return get_index().search(query, user)
