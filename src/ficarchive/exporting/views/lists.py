"""What each feed lists, shared by the feed and its conditional-GET check.

Each function takes the request (whose user may come from a feed token or Basic credentials) and
the URL's arguments, and returns a QuerySet through the works app's visibility methods. Objects
looked up on the way are kept for the rest of the request (`memo`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F, Max, QuerySet, Value
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404

from ficarchive.accounts.models import Pseud, User, username_is
from ficarchive.collections.models import Collection
from ficarchive.exporting.access import memo, readable_work
from ficarchive.search.browsing import TagsByUse
from ficarchive.search.listings import IndexedWorks, indexed_works, works_in_order
from ficarchive.search.results import Found, find_works
from ficarchive.social.models import (
    Shelf,
    bookmarked_works,
    followed_chapters,
    followed_creators_works,
    followed_series_parts,
    later_works,
)
from ficarchive.tags.models import Tag
from ficarchive.works.models import Chapter, Series, SeriesPart, Work, WorkQuerySet

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
ATOM_ENTRIES = 20  # the works an Atom feed shows


def listed(request: HttpRequest, *args: Any, **kwargs: Any) -> WorkQuerySet:
    return Work.objects.listed_for(request.user)


def newest(request: HttpRequest) -> datetime:
    """When a listed work last changed (for navigation entries, which have no date of their
    own): from the index, when the works updated last changed."""

    def find() -> datetime | None:
        works = recent(request)
        if isinstance(works, IndexedWorks):
            return revised_of([work_id for work_id, _ in works.page_state("1")["works"]])
        return works.aggregate(latest=Max("revised_at"))["latest"]

    return memo(request, "newest", find) or EPOCH


def revised_of(ids: list[int]) -> datetime | None:
    """When the newest revision of the works IDS was made (one query by primary key)."""
    found: datetime | None = (
        Work.objects.filter(pk__in=ids).aggregate(latest=Max("revised_at"))["latest"]
        if ids
        else None
    )
    return found


# Listings a feed shows from the search index, newest update first (`search.listings`): the
# reader's page costs an engine query, not a count and sort of the works table. They are the
# database's (`listed_for`) for readers who see works the index leaves out.
Listing = WorkQuerySet | IndexedWorks[Work]


def _indexed(
    request: HttpRequest,
    key: str,
    tag: Tag | None = None,
    creator: User | None = None,
    entries: int | None = None,
) -> IndexedWorks[Work] | None:
    """A feed's listing from the index (kept for the request): paginated (a catalog), or the
    first ENTRIES works only (an Atom feed, which is one page)."""

    def find() -> IndexedWorks[Work] | None:
        paged = entries is None
        return indexed_works(request, works_in_order, tag, creator, entries, paged=paged)

    return memo(request, f"indexed:{key}:{entries}", find)


def recent(request: HttpRequest, *args: Any, **kwargs: Any) -> Listing:
    """Every work the reader may list."""
    found = _indexed(request, "recent")
    return listed(request) if found is None else found


def tagged_listing(request: HttpRequest, name: str) -> Listing:
    """The works of the tag NAME (through its synonyms and sub-fandoms), by pages."""
    found = _indexed(request, "tagged", tag=tag_named(request, name))
    return tagged(request, name) if found is None else found


def tagged_entries(request: HttpRequest, name: str) -> Listing:
    """`tagged_listing`'s first ATOM_ENTRIES works: an Atom feed's."""
    found = _indexed(request, "tagged", tag=tag_named(request, name), entries=ATOM_ENTRIES)
    return tagged(request, name) if found is None else found


def by_user_listing(request: HttpRequest, username: str) -> Listing:
    """The works of the account USERNAME whose byline the reader may see, by pages."""
    found = _indexed(request, "by_user", creator=owner(request, username))
    return by_user(request, username) if found is None else found


def by_user_entries(request: HttpRequest, username: str) -> Listing:
    """`by_user_listing`'s first ATOM_ENTRIES works: an Atom feed's."""
    creator = owner(request, username)
    found = _indexed(request, "by_user", creator=creator, entries=ATOM_ENTRIES)
    return by_user(request, username) if found is None else found


def tags_by_use(request: HttpRequest, types: Sequence[str]) -> TagsByUse:
    """The tags of TYPES that works the reader may list carry, most used first (kept for the
    request)."""
    return memo(request, f"tags_by_use:{','.join(types)}", lambda: TagsByUse(request.user, types))


def tag_named(request: HttpRequest, name: str) -> Tag:
    """The tag called NAME; `?type=` picks one when tags of several types share the name."""

    def find() -> Tag:
        same_name = list(Tag.objects.named(name))
        if not same_name:
            raise Http404("No such tag.")
        chosen = [tag for tag in same_name if tag.type == request.GET.get("type")]
        return (chosen or same_name)[0]

    return memo(request, "tag", find)


def tagged(request: HttpRequest, name: str) -> WorkQuerySet:
    return Work.objects.listed_for(request.user).tagged(tag_named(request, name))


def owner(request: HttpRequest, username: str) -> User:
    found: User = memo(
        request,
        "owner",
        lambda: get_object_or_404(get_user_model(), username_is(username), is_active=True),
    )
    return found


def by_user(request: HttpRequest, username: str) -> WorkQuerySet:
    return (
        Work.objects.listed_for(request.user)
        .by_user(owner(request, username))
        .bylined_for(request.user)
    )


def pseud_named(request: HttpRequest, username: str, pseud: str) -> Pseud:
    return memo(
        request,
        "pseud",
        lambda: get_object_or_404(
            Pseud.objects.of_username(username).named(pseud).select_related("user")
        ),
    )


def by_pseud(request: HttpRequest, username: str, pseud: str) -> WorkQuerySet:
    return (
        Work.objects.listed_for(request.user)
        .by_pseud(pseud_named(request, username, pseud))
        .bylined_for(request.user)
    )


def series_of(request: HttpRequest, series_id: int) -> Series:
    return memo(request, "series", lambda: get_object_or_404(Series, pk=series_id))


def in_series(request: HttpRequest, series_id: int) -> WorkQuerySet:
    """The series' works the reader may read, in order; a 404 when there are none."""

    def find() -> WorkQuerySet:
        parts = series_of(request, series_id).parts_listed_for(request.user)
        works = Work.objects.filter(series_parts__in=parts).order_by("series_parts__position")
        if not works.exists():
            raise Http404("No such series.")
        return works

    return memo(request, "in_series", find)


def collection_of(request: HttpRequest, name: str) -> Collection:
    return memo(request, "collection", lambda: get_object_or_404(Collection, name=name))


def in_collection(request: HttpRequest, name: str) -> WorkQuerySet:
    """The works listed in the collection, as the reader may see them, newest update first."""
    return collection_of(request, name).listed_works(request.user)


def mine(request: HttpRequest) -> WorkQuerySet:
    """The reader's own works, drafts included, newest first."""
    return Work.objects.visible_to(request.user).by_user(request.user).order_by("-updated_at")


def reader(request: HttpRequest) -> User:
    """The signed-in reader (views listing a reader's own things need a login first)."""
    if not isinstance(request.user, User):
        raise Http404("No reader.")
    return request.user


def bookmarked(request: HttpRequest) -> WorkQuerySet:
    """The works the reader bookmarked, private bookmarks included: the reader's own list."""
    return bookmarked_works(reader(request))


def later(request: HttpRequest) -> WorkQuerySet:
    """The works the reader marked for later."""
    return later_works(reader(request))


def shelves(request: HttpRequest) -> QuerySet[Shelf]:
    """The reader's shelves, in their order; `revised_at` is when each last changed."""
    return Shelf.objects.of_user(reader(request)).in_order().annotate(revised_at=F("updated_at"))


def shelf_of(request: HttpRequest, shelf_id: int) -> Shelf:
    """The reader's shelf SHELF_ID; anyone else's is a 404."""
    return memo(
        request,
        "shelf",
        lambda: get_object_or_404(Shelf.objects.of_user(reader(request)), pk=shelf_id),
    )


def shelved(request: HttpRequest, shelf_id: int) -> WorkQuerySet:
    """The works on the reader's shelf they may still read, in the shelf's order; each carries
    `shelf_changed`, when the shelf last changed (a move changes the feed)."""
    found = shelf_of(request, shelf_id)
    return found.readable_works(reader(request)).annotate(shelf_changed=Value(found.updated_at))


UPDATES = 50


@dataclass(frozen=True)
class Update:
    """One thing that happened to what the reader follows: a chapter, a work or a series part."""

    when: datetime
    revised: datetime
    key: str
    item: Chapter | Work | SeriesPart


def updates(request: HttpRequest) -> list[Update]:
    """The reader's subscriptions' news, newest first, at most UPDATES: new chapters of works,
    new works of creators, new parts of series."""

    def find() -> list[Update]:
        user = reader(request)
        found = [
            Update(
                chapter.published_at or chapter.revised_at,
                chapter.revised_at,
                f"c{chapter.pk}",
                chapter,
            )
            for chapter in followed_chapters(user)[:UPDATES]
        ]
        found += [
            Update(work.published_at or work.revised_at, work.revised_at, f"w{work.pk}", work)
            for work in followed_creators_works(user).with_blurb_data()[:UPDATES]
        ]
        found += [
            Update(
                part.work.published_at or part.work.revised_at,
                part.work.revised_at,
                f"p{part.pk}",
                part,
            )
            for part in followed_series_parts(user)[:UPDATES]
        ]
        found.sort(key=lambda update: (update.when, update.key), reverse=True)
        return found[:UPDATES]

    return memo(request, "updates", find)


def found(request: HttpRequest, params: QueryDict) -> tuple[Found, list[Work]]:
    """The search page's answer to PARAMS (`find_works`: raises `BadQuery`) and its page of
    works in the engine's order, each read again through `listed_for`, so that a work hidden
    since the index last looked is never shown."""
    answer = find_works(params, request.user)
    ids = answer.result.ids
    works = Work.objects.listed_for(request.user).filter(pk__in=ids).with_blurb_data()
    by_id = {work.pk: work for work in works}
    return answer, [by_id[work_id] for work_id in ids if work_id in by_id]


def readable(request: HttpRequest, work_id: int) -> Work | HttpResponse:
    return memo(request, "work", lambda: readable_work(request, work_id, app=True))


def chapters(request: HttpRequest, work_id: int) -> QuerySet[Chapter]:
    """The work's posted chapters, newest first; none when the reader may not read the work."""
    work = readable(request, work_id)
    if isinstance(work, HttpResponse):
        return Chapter.objects.none()
    return work.posted_chapters().order_by("-position")
