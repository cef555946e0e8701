"""The loaded archive read back as flat documents, for the baselines of the search benchmark.

Each baseline (SQLite, PostgreSQL, tantivy) is filled from the same stream, read from the
archive's own tables in work id order with three merged cursors, so a million works are never
held in memory. Text, keys and counts are what the engine sees: the title, summary, creators and
tag names as lower-case words; title and first creator case-folded for sorting; a work is complete
when it has its expected chapters.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

NUMBERS = ("words", "chapters", "kudos", "comments", "bookmarks", "hits", "published", "updated")
FACET_TYPES = ("rating", "warning", "category", "fandom", "relationship", "character", "freeform")
_HTML = re.compile(r"<[^>]*>")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Doc:
    id: int
    restricted: bool
    language: str
    complete: bool
    numbers: dict[str, int]
    title_key: str
    creator_key: str
    text: str  # lower-case words joined by spaces
    tag_ids: tuple[int, ...]
    tops: dict[str, tuple[int, ...]]  # canonical tag ids per facet type


def micros(moment: datetime | None) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1) if moment else 0


def day_bounds(start: date | None, end: date | None) -> tuple[int | None, int | None]:
    """Microsecond bounds of whole UTC days, as the engine reads `published=A..B`."""
    low = micros(datetime.combine(start, datetime.min.time(), UTC)) if start else None
    high = (
        micros(datetime.combine(end + timedelta(days=1), datetime.min.time(), UTC)) - 1
        if end
        else None
    )
    return low, high


def tag_table() -> dict[int, tuple[str, str, int]]:
    """Tag id -> (type, name, canonical id)."""
    from ficarchive.tags.models import Tag

    return {
        pk: (kind, name, synonym_of or pk)
        for pk, kind, name, synonym_of in Tag.objects.values_list(
            "id", "type", "name", "synonym_of_id"
        )
    }


def _grouped(cursor: Any) -> Iterator[tuple[int, list[Any]]]:
    """(work id, [values]) from a cursor of (work_id, value) rows ordered by work id."""
    current: int | None = None
    values: list[Any] = []
    while rows := cursor.fetchmany(10_000):
        for work_id, value in rows:
            if work_id != current:
                if current is not None:
                    yield current, values
                current, values = work_id, []
            values.append(value)
    if current is not None:
        yield current, values


def documents(tags: dict[int, tuple[str, str, int]]) -> Iterator[Doc]:
    """Every listed work (posted, not hidden) of the archive, in id order."""
    from django.db import connections

    from ficarchive.search.query import tokens

    listed = "w.is_draft = %s AND w.is_hidden = %s"
    work_cursor = connections["default"].chunked_cursor()
    work_cursor.execute(
        "SELECT w.id, w.title, w.summary, w.language, w.restricted, w.word_count,"
        " w.chapter_count, w.expected_chapters, w.published_at, w.updated_at,"
        " s.kudos, s.comments, s.bookmarks, s.hits"
        " FROM works_work w LEFT JOIN social_workstats s ON s.work_id = w.id"
        f" WHERE {listed} ORDER BY w.id",
        [False, False],
    )
    creator_cursor = connections["default"].chunked_cursor()
    creator_cursor.execute(
        "SELECT c.work_id, p.name FROM works_creatorship c"
        " JOIN accounts_pseud p ON p.id = c.pseud_id JOIN works_work w ON w.id = c.work_id"
        f" WHERE c.accepted = %s AND {listed} ORDER BY c.work_id, c.position, c.id",
        [True, False, False],
    )
    tag_cursor = connections["default"].chunked_cursor()
    tag_cursor.execute(
        "SELECT g.work_id, g.tag_id FROM works_tagging g JOIN works_work w ON w.id = g.work_id"
        f" WHERE {listed} ORDER BY g.work_id, g.tag_id",
        [False, False],
    )
    creators, taggings = _grouped(creator_cursor), _grouped(tag_cursor)
    next_creators, next_tags = next(creators, None), next(taggings, None)
    while rows := work_cursor.fetchmany(5000):
        for row in rows:
            (pk, title, summary, language, restricted, words, chapters, expected,
             published, updated, kudos, comments, bookmarks, hits) = row  # fmt: skip
            names: list[str] = []
            while next_creators is not None and next_creators[0] <= pk:
                if next_creators[0] == pk:
                    names = next_creators[1]
                next_creators = next(creators, None)
            tag_ids: list[int] = []
            while next_tags is not None and next_tags[0] <= pk:
                if next_tags[0] == pk:
                    tag_ids = next_tags[1]
                next_tags = next(taggings, None)
            tops: dict[str, set[int]] = {kind: set() for kind in FACET_TYPES}
            for tag_id in tag_ids:
                top = tags[tag_id][2]
                kind = tags[top][0]
                if kind in tops:
                    tops[kind].add(top)
            plain = html.unescape(_HTML.sub(" ", summary))
            text = " ".join([title, plain, *names] + [tags[t][1] for t in sorted(tag_ids)])
            yield Doc(
                id=pk,
                restricted=bool(restricted),
                language=language,
                complete=expected is not None and chapters >= expected,
                numbers={
                    "words": words,
                    "chapters": chapters,
                    "kudos": kudos or 0,
                    "comments": comments or 0,
                    "bookmarks": bookmarks or 0,
                    "hits": hits or 0,
                    "published": micros(_aware(published)),
                    "updated": micros(_aware(updated)),
                },
                title_key=title.casefold(),
                creator_key=names[0].casefold() if names else "",
                text=" ".join(tokens(text)),
                tag_ids=tuple(sorted(tag_ids)),
                tops={kind: tuple(sorted(ids)) for kind, ids in tops.items()},
            )


def _aware(moment: Any) -> datetime | None:
    """Raw SQLite rows hold text; PostgreSQL rows hold aware datetimes."""
    if moment is None or isinstance(moment, datetime):
        return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(moment)).replace(tzinfo=UTC)


def covered_ids(name: str) -> tuple[list[int], bool]:
    """The tag ids a filter on NAME covers (any type, through synonyms and sub-fandoms), as the
    engine reads an include or exclude; and whether the name is known at all."""
    from ficarchive.tags.models import Tag, clean_tag_name

    found = list(Tag.objects.filter(name__iexact=clean_tag_name(name)))
    covered: set[int] = set()
    for tag in found:
        covered.update(Tag.objects.covered_by(tag).values_list("id", flat=True))
    return sorted(covered), bool(found)


def sort_keys() -> dict[str, list[tuple[str, int]]]:
    """(key, id) of every listed work for the title and creator sorts, case-folded."""
    from ficarchive.works.models import Creatorship, Work

    listed = Work.objects.filter(is_draft=False, is_hidden=False)
    titles = [(title.casefold(), pk) for pk, title in listed.values_list("id", "title")]
    first: dict[int, str] = {}
    for work_id, name in (
        Creatorship.objects.filter(accepted=True, work__in=listed)
        .order_by("work_id", "position", "id")
        .values_list("work_id", "pseud__name")
        .iterator(chunk_size=10_000)
    ):
        first.setdefault(work_id, name)
    creators = [(first.get(pk, "").casefold(), pk) for _, pk in titles]
    return {"title": titles, "creator": creators}
