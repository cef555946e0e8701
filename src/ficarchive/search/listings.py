"""The archive's listings of works drawn from the search index, as the search page is: the home
page, the works index and a tag's works, newest update first.

The index knows which works a reader may list (posted, not hidden, restricted ones for members
only, the reader's standing filters applied) and their order, so a page of a listing costs what
a search does: no count or sort over the works table. Its blurbs are the search page's, drawn
once per work version and kept in the shared cache (`blurbs.py`).

The index holds the works everyone may find. A reader who may also see works waiting for a
collection's reveal (their creators, the collection's keepers, moderators) gets the listing
from the database instead (`Work.objects.listed_for`), which holds the one visibility rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, overload

from django.conf import settings

from ficarchive.search.blurbs import Blurb, blurbs
from ficarchive.search.index_keeper import search
from ficarchive.search.query import SearchQuery
from ficarchive.works.models import Work

if TYPE_CHECKING:
    from django.http import HttpRequest

    from ficarchive.accounts.models import User
    from ficarchive.search.engine import Result
    from ficarchive.tags.models import Tag

T = TypeVar("T")
Draw = Callable[[list[int], list[int], "HttpRequest"], list[T]]


def sees_beyond_index(request: HttpRequest) -> bool:
    """Whether the reader may list works the index leaves out: works in a collection that has
    not been revealed, which their creators, its keepers and moderators see. One query on the
    (few) unrevealed works, for members only."""
    if not request.user.is_authenticated:
        return False
    waiting = Work.objects.filter(in_unrevealed_collection=True, is_draft=False, is_hidden=False)
    return waiting.visible_to(request.user).exists()


class IndexedWorks(Sequence[T]):
    """A listing, newest update first, as `pages.paginate` slices it (one page of PER_PAGE at
    a time): its length is how many works the reader may list, a page one engine query
    (without facets), drawn by DRAW(ids, stamps, request): the search page's blurbs, or the
    works themselves (`works_in_order`, for feeds)."""

    def __init__(
        self,
        request: HttpRequest,
        draw: Draw[T],
        tags: tuple[int, ...] = (),
        creators: tuple[int, ...] = (),
        per_page: int | None = None,
        paged: bool = True,
    ) -> None:
        self.request = request
        self.draw = draw
        self.paged = paged  # False: only the first page is ever shown (an Atom feed)
        self.per_page = per_page or settings.WORKS_PER_PAGE
        self.query = SearchQuery(
            tags=tags,
            creators=creators,
            sort="updated",
            order="desc",
            per_page=self.per_page,
            facets=False,
        )
        self._pages: dict[int, Result] = {}

    def _page(self, number: int) -> Result:
        if number not in self._pages:
            self._pages[number] = search(self.query.with_page(number), self.request.user)
        return self._pages[number]

    def __len__(self) -> int:
        kept = next(iter(self._pages.values()), None)
        return (kept or self._page(1)).total

    def page_state(self, asked: str | None) -> dict[str, Any]:
        """What a page of the listing shows, for validators (ETag, Last-Modified) and caches:
        how many works there are, and the page's works with their change stamps (`Result`).
        The page is the one `paginate` serves for ASKED (out of range clamps to the last)."""
        try:
            number = int(asked or 1) if self.paged else 1
        except ValueError:
            number = 1
        last = max(1, -(-len(self) // self.per_page))
        found = self._page(number if 1 <= number <= last else last)  # as Paginator.get_page
        return {"count": found.total, "works": tuple(zip(found.ids, found.stamps, strict=True))}

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(len(self))
        if stop <= start:
            return []
        number, skip = divmod(start, self.per_page)
        if skip + stop - start > self.per_page:
            raise IndexError("a listing is read one page at a time")
        found = self._page(number + 1)
        chosen = slice(skip, skip + stop - start)
        return self.draw(found.ids[chosen], found.stamps[chosen], self.request)

    def __iter__(self) -> Iterator[T]:
        for start in range(0, len(self), self.per_page):
            yield from self[start : start + self.per_page]


def works_in_order(ids: list[int], stamps: list[int], request: HttpRequest) -> list[Work]:
    """The works IDS with everything a blurb or feed entry shows, in order; works gone since
    the index looked are left out."""
    found = {work.pk: work for work in Work.objects.filter(pk__in=ids).with_blurb_data()}
    return [found[work_id] for work_id in ids if work_id in found]


def listing(
    request: HttpRequest,
    tag: Tag | None = None,
    creator: User | None = None,
    per_page: int | None = None,
) -> IndexedWorks[Blurb] | None:
    """The reader's listing of every work (or of TAG's works, or of CREATOR's) from the index;
    None when the reader sees works the index leaves out (the caller lists from the database):
    a creator sees their own works in anonymous collections, which the index leaves out of
    their works."""
    return indexed_works(request, blurbs, tag, creator, per_page)


def indexed_works(
    request: HttpRequest,
    draw: Draw[T],
    tag: Tag | None = None,
    creator: User | None = None,
    per_page: int | None = None,
    paged: bool = True,
) -> IndexedWorks[T] | None:
    """`listing`, each page drawn by DRAW; PAGED false when only the first page is shown."""
    if creator is not None and creator.pk == request.user.pk:
        return None
    if sees_beyond_index(request):
        return None
    return IndexedWorks(
        request,
        draw,
        tags=(tag.pk,) if tag is not None else (),
        creators=(creator.pk,) if creator is not None else (),
        per_page=per_page,
        paged=paged,
    )
