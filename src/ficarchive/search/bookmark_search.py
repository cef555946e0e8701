"""The bookmark search: readers' bookmarks of works, filtered by the bookmarked work (the works
search's tag, rating, complete and words filters, read by the same parsing code) and by the
bookmark itself (the bookmarker's tags, words in its notes or tags), newest bookmark first.

Only bookmarks the reader may see are searched (`Bookmark.objects.shown_to`: public ones, and
the reader's own private ones), and only of works the reader may list (`Work.listed_for`: no
drafts, no hidden works, no restricted works for guests, nothing the reader's standing filters
hide). Bookmarks of series, and bookmarks by banned or muted accounts, are left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import F, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from ficarchive.accounts.models import Mute
from ficarchive.search.query import (
    BadQuery,
    Params,
    Range,
    _single,
    _tag_names,
    parse_bool,
    parse_range,
    tokens,
)
from ficarchive.social.models import Bookmark
from ficarchive.social.models.bookmarks import BookmarkQuerySet
from ficarchive.tags.models import RATINGS, Tag
from ficarchive.works.models import Tagging, Work, WorkQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User

MAX_TEXT = 500
MAX_NAMES = 20


@dataclass(frozen=True)
class BookmarkQuery:
    """What the bookmark search asks: `q` words must each be in the notes or the bookmarker's
    tags; every `bookmark_tags` name must be one of the bookmarker's tags (any case)."""

    q: str = ""
    words: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    rating: str | None = None
    complete: bool | None = None
    word_count: Range = field(default_factory=Range)
    bookmark_tags: tuple[str, ...] = ()

    @property
    def asks_anything(self) -> bool:
        return self != BookmarkQuery()


def _names(params: Params, name: str) -> tuple[str, ...]:
    names = _tag_names(params, name)
    if len(names) > MAX_NAMES:
        reason = _("at most %(most)s names; %(count)s were given.")
        raise BadQuery(name, reason % {"most": MAX_NAMES, "count": len(names)})
    if any(len(one) > 150 for one in names):
        raise BadQuery(name, _("a name is at most 150 characters."))
    return names


def parse_bookmark_query(params: Params) -> BookmarkQuery:
    """The query from the URL, or `BadQuery` naming the parameter and the reason."""
    q = " ".join((_single(params, "q") or "").split())
    if len(q) > MAX_TEXT:
        reason = _("at most %(most)s characters; this one has %(count)s.")
        raise BadQuery("q", reason % {"most": MAX_TEXT, "count": len(q)})
    rating = _single(params, "rating")
    if rating is not None:
        known = {name.lower(): name for name in RATINGS}
        if rating.lower() not in known:
            reason = _("%(value)s is not one of %(choices)s.")
            choices = ", ".join(RATINGS)
            raise BadQuery("rating", reason % {"value": repr(rating[:60]), "choices": choices})
        rating = known[rating.lower()]
    complete = _single(params, "complete")
    words = _single(params, "words")
    return BookmarkQuery(
        q=q,
        words=tuple(dict.fromkeys(tokens(q))),
        include=_names(params, "include"),
        exclude=_names(params, "exclude"),
        rating=rating,
        complete=parse_bool("complete", complete) if complete is not None else None,
        word_count=parse_range("words", words) if words is not None else Range(),
        bookmark_tags=_names(params, "bookmark_tags"),
    )


def _covered_ids(name: str) -> set[int]:
    """Every tag a filter on NAME covers (each tag so named, any type, with its synonyms and
    for a fandom its sub-fandoms), as the works search reads a name."""
    covered: set[int] = set()
    for tag in Tag.objects.named(name):
        covered.update(Tag.objects.covered_by(tag).values_list("id", flat=True))
    return covered


def _tagged(ids: set[int]) -> QuerySet[Tagging, int]:
    return Tagging.objects.filter(tag_id__in=ids).values_list("work_id", flat=True)


def unknown_names(query: BookmarkQuery) -> list[str]:
    """The include and exclude names no tag has (they match nothing)."""
    return [name for name in (*query.include, *query.exclude) if not _covered_ids(name)]


def matching_works(query: BookmarkQuery, reader: User | AnonymousUser) -> WorkQuerySet:
    """The works the reader may list that the query's work filters keep."""
    works = Work.objects.listed_for(reader).order_by()
    for name in (*query.include, *([query.rating] if query.rating else [])):
        works = works.filter(id__in=_tagged(_covered_ids(name)))
    for name in query.exclude:
        covered = _covered_ids(name)
        if covered:
            works = works.exclude(id__in=_tagged(covered))
    done = Q(expected_chapters__isnull=False, chapter_count__gte=F("expected_chapters"))
    if query.complete is True:
        works = works.filter(done)
    elif query.complete is False:
        works = works.exclude(done)
    if query.word_count.low is not None:
        works = works.filter(word_count__gte=query.word_count.low)
    if query.word_count.high is not None:
        works = works.filter(word_count__lte=query.word_count.high)
    return works


def _json_needles(text: str) -> set[str]:
    """TEXT as it may stand inside the stored JSON of the tags (escaped, or not)."""
    return {json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1]}


def find_bookmarks(query: BookmarkQuery, reader: User | AnonymousUser) -> BookmarkQuerySet:
    """The bookmarks the query finds for this reader, newest first, ready for the blurbs."""
    found = (
        Bookmark.objects.shown_to(reader)
        .filter(work__isnull=False, work_id__in=matching_works(query, reader).values("id"))
        .filter(user__is_active=True)
        .exclude(user_id__in=Mute.objects.muted_ids(reader))
        .annotate(tags_text=Cast("tags", TextField()))
    )
    for name in query.bookmark_tags:
        quoted = Q()
        for needle in _json_needles(name):
            quoted |= Q(tags_text__icontains=f'"{needle}"')
        found = found.filter(quoted)
    for word in query.words:
        either = Q(notes__icontains=word)
        for needle in _json_needles(word):
            either |= Q(tags_text__icontains=needle)
        found = found.filter(either)
    return found.for_listing()
