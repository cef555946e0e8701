"""The catalog: a navigation root, acquisition feeds of works, search; in OPDS 1.2 (Atom) under
/opds and OPDS 2.0 (JSON) under /opds2, from the same views (`is_opds2` tells which).

Every feed is open to guests (they see what the work listings show them); a reader's own feeds
need a login, by session, HTTP Basic or the feed token in the address. Each entry links to the
work's EPUB, HTML and TXT downloads. Search is the search page's (`search.results.find_works`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from ficarchive.exporting.access import app_login_required, feed_access, site_of
from ficarchive.exporting.feeds import opds2
from ficarchive.exporting.feeds.catalog import catalog_feed, catalog_id, catalog_url, is_opds2
from ficarchive.exporting.feeds.entries import opds_work_entry
from ficarchive.exporting.feeds.generator import (
    ACQUIRE,
    ACQUISITION,
    NAVIGATION,
    OPDS2,
    OPENSEARCH,
    SORT_NEW,
    Author,
    Link,
    feed_response,
)
from ficarchive.exporting.formats import FORMATS
from ficarchive.exporting.views import lists
from ficarchive.exporting.views.conditions import feed_condition, tags_condition
from ficarchive.exporting.xhtml import xml_text
from ficarchive.pages import paginate
from ficarchive.search.listings import IndexedWorks
from ficarchive.search.query import RANGE_FIELDS, BadQuery
from ficarchive.tags.models import TagType
from ficarchive.works.models import Work

TAG_TYPES_LISTED = [TagType.RELATIONSHIP, TagType.CHARACTER, TagType.FREEFORM]
FANDOM_TYPES = [TagType.FANDOM]


# --- feeds -------------------------------------------------------------------------------------


def _acquisition(
    request: HttpRequest, works: lists.Listing, name: str, title: str, **options: Any
) -> HttpResponse:
    """An acquisition feed of WORKS, a page at a time."""
    shown = works if isinstance(works, IndexedWorks) else works.with_blurb_data()
    page = paginate(request, shown)["page_obj"]
    return _publications(request, page, page, name, title, **options)


@require_safe
@feed_access
@app_login_required
@feed_condition(lists.shelves)
def shelves(request: HttpRequest) -> HttpResponse:
    """The reader's shelves: each a feed of its works, which opens with the whole shelf."""
    found = list(lists.shelves(request))
    alternate = reverse("social:shelves")
    links = [
        (shelf.name, catalog_url(request, "shelf", shelf_id=shelf.pk), "subsection")
        for shelf in found
    ]
    if is_opds2(request):
        json_feed = opds2.navigation_feed(
            request, "shelves", "Your shelves", links, alternate=alternate
        )
        return opds2.response(json_feed)
    feed = catalog_feed(request, "shelves", "Your shelves", kind=NAVIGATION, alternate=alternate)
    for shelf, (title, href, _rel) in zip(found, links, strict=True):
        text = shelf.description or f"Your shelf {shelf.name}."
        entry = _navigation_entry(
            request, title, text, href, catalog_id(request, "shelf", shelf_id=shelf.pk)
        )
        entry["updated"] = shelf.updated_at
        feed.add_item(**entry)
    return feed_response(feed)


def _whole_shelf(request: HttpRequest, shelf_id: int) -> dict[str, Any]:
    """The entry that downloads the whole shelf as one book, in each format."""
    shelf = lists.shelf_of(request, shelf_id)
    site = site_of(request)
    page_url = site.absolute(shelf.get_absolute_url())
    links = [Link(page_url, "alternate", "text/html")]
    links += [
        Link(
            catalog_url(request, "shelf_download", shelf_id=shelf.pk, fmt=name),
            ACQUIRE,
            fmt.MEDIA_TYPE,
            fmt.LABEL,
        )
        for name, fmt in FORMATS.items()
    ]
    reader = lists.reader(request)  # the shelf is theirs (`shelf_of`)
    keeper = Author(xml_text(reader.username), site.absolute(reader.get_absolute_url()))
    return {
        "title": xml_text(f"{shelf.name} (the whole shelf as one book)"),
        "authors": [keeper],
        "link": page_url,
        "description": None,
        "id": f"{page_url}#book",
        "updated": shelf.updated_at,
        "content": xml_text(shelf.description or f"Every work on {shelf.name}, in its order."),
        "content_type": "text",
        "links": links,
    }


@require_safe
@feed_access
@app_login_required
@feed_condition(lists.shelved, marked="shelf_changed")
def shelf(request: HttpRequest, shelf_id: int) -> HttpResponse:
    """A shelf's works in its order, after an entry for the whole shelf as one book."""
    found = lists.shelf_of(request, shelf_id)
    return _acquisition(
        request,
        lists.shelved(request, shelf_id),
        "shelf",
        f"Shelf: {found.name}",
        kwargs={"shelf_id": shelf_id},
        up="shelves",
        alternate=found.get_absolute_url(),
        first=_whole_shelf(request, shelf_id),
    )


def _publications(
    request: HttpRequest,
    page: Page[Any],
    works: Iterable[Work],
    name: str,
    title: str,
    *,
    first: dict[str, Any] | None = None,
    **options: Any,
) -> HttpResponse:
    """PAGE's WORKS as an OPDS 1.2 acquisition feed or an OPDS 2.0 feed of publications; FIRST
    is an entry the OPDS 1.2 feed's first page opens with."""
    if is_opds2(request):
        return opds2.response(opds2.publications_feed(request, name, title, works, page, **options))
    feed = catalog_feed(request, name, title, page=page, **options)
    site = site_of(request)
    if first is not None and page.number == 1:
        feed.add_item(**first)

    def url(resource: str, **kwargs: Any) -> str:
        return catalog_url(request, resource, **kwargs)

    for work in works:
        feed.add_item(**opds_work_entry(work, site, url))
    return feed_response(feed)


def _navigation_entry(
    request: HttpRequest, title: str, text: str, href: str, entry_id: str, **link: str
) -> dict[str, Any]:
    return {
        "title": xml_text(title),
        "link": href,
        "description": None,
        "id": entry_id,
        "updated": lists.newest(request),
        "content": text,
        "content_type": "text",
        "links": [Link(href, link.get("rel", "subsection"), link.get("type", ACQUISITION))],
    }


@require_safe
@feed_access
@feed_condition(lists.recent)
def root(request: HttpRequest) -> HttpResponse:
    """The catalog's start: recent works, fandoms, tags, and the reader's own shelves."""
    site = site_of(request)
    shelves = [
        ("recent", "Recent works", "Works posted or updated most recently.", SORT_NEW),
        ("fandoms", "Fandoms", "Works by fandom.", "subsection"),
        ("tags", "Tags", "Works by relationship, character or additional tag.", "subsection"),
    ]
    if request.user.is_authenticated:
        shelves += [
            ("mine", "Your works", "The works you created.", "subsection"),
            ("bookmarks", "Your bookmarks", "The works you bookmarked.", "subsection"),
            ("later", "Marked for later", "The works you marked to read later.", "subsection"),
            ("shelves", "Your shelves", "Your lists of works, each also one book.", "subsection"),
        ]
    if is_opds2(request):
        navigation = [(title, catalog_url(request, name), rel) for name, title, _, rel in shelves]
        return opds2.response(
            opds2.navigation_feed(request, "root", site.name, navigation, up=None, alternate="/")
        )
    feed = catalog_feed(request, "root", site.name, kind=NAVIGATION, up=None, alternate="/")
    for name, title, text, rel in shelves:
        kind = NAVIGATION if name in {"fandoms", "tags", "shelves"} else ACQUISITION
        href = catalog_url(request, name)
        entry = _navigation_entry(
            request, title, text, href, catalog_id(request, name), rel=rel, type=kind
        )
        feed.add_item(**entry)
    return feed_response(feed)


@require_safe
@feed_access
@feed_condition(lists.recent)
def recent(request: HttpRequest) -> HttpResponse:
    return _acquisition(
        request, lists.recent(request), "recent", "Recent works", alternate="/works"
    )


def _tag_feed(request: HttpRequest, name: str, title: str, types: Sequence[str]) -> HttpResponse:
    """A navigation feed of the tags of TYPES that works the reader may list carry, most used
    first (canonical tags through their synonyms; counted from the search index)."""
    page = paginate(request, lists.tags_by_use(request, types))["page_obj"]
    if is_opds2(request):
        shelves = [
            (tag.name, catalog_url(request, "tag", name=tag.name) + f"?type={tag.type}", "")
            for tag in page
        ]
        return opds2.response(opds2.navigation_feed(request, name, title, shelves, page=page))
    feed = catalog_feed(request, name, title, kind=NAVIGATION, page=page)
    for tag in page:
        href = catalog_url(request, "tag", name=tag.name) + f"?type={tag.type}"
        entry_id = catalog_id(request, "tag", name=tag.name) + f"?type={tag.type}"
        text = f"{tag.get_type_display()}: {tag.uses} work{'s' if tag.uses != 1 else ''}"
        feed.add_item(**_navigation_entry(request, tag.name, text, href, entry_id))
    return feed_response(feed)


@require_safe
@feed_access
@tags_condition(FANDOM_TYPES)
def fandoms(request: HttpRequest) -> HttpResponse:
    return _tag_feed(request, "fandoms", "Fandoms", FANDOM_TYPES)


@require_safe
@feed_access
@tags_condition(TAG_TYPES_LISTED)
def tags(request: HttpRequest) -> HttpResponse:
    return _tag_feed(request, "tags", "Tags", TAG_TYPES_LISTED)


@require_safe
@feed_access
@feed_condition(lists.tagged_listing)
def tag(request: HttpRequest, name: str) -> HttpResponse:
    found = lists.tag_named(request, name)
    return _acquisition(
        request,
        lists.tagged_listing(request, name),
        "tag",
        f"Works tagged {found.name}",
        kwargs={"name": name},
        up="fandoms" if found.type == TagType.FANDOM else "tags",
        alternate=found.get_absolute_url(),
    )


@require_safe
@feed_access
@feed_condition(lists.by_user_listing)
def user(request: HttpRequest, username: str) -> HttpResponse:
    owner = lists.owner(request, username)
    return _acquisition(
        request,
        lists.by_user_listing(request, username),
        "user",
        f"Works by {owner.username}",
        kwargs={"username": username},
        alternate=owner.get_absolute_url(),
    )


@require_safe
@feed_access
@feed_condition(lists.by_pseud)
def pseud(request: HttpRequest, username: str, pseud: str) -> HttpResponse:
    found = lists.pseud_named(request, username, pseud)
    return _acquisition(
        request,
        lists.by_pseud(request, username, pseud),
        "pseud",
        f"Works by {found.byline}",
        kwargs={"username": username, "pseud": pseud},
        alternate=found.get_absolute_url(),
    )


@require_safe
@feed_access
@feed_condition(lists.in_series)
def series(request: HttpRequest, series_id: int) -> HttpResponse:
    found = lists.series_of(request, series_id)
    return _acquisition(
        request,
        lists.in_series(request, series_id),
        "series",
        f"Series: {found.title}",
        kwargs={"series_id": series_id},
        alternate=found.get_absolute_url(),
    )


@require_safe
@feed_access
@feed_condition(lists.in_collection)
def collection(request: HttpRequest, name: str) -> HttpResponse:
    """A collection's works as its reader may see them (none of an unrevealed one's before the
    reveal; an anonymous one's by "Anonymous"), newest update first."""
    found = lists.collection_of(request, name)
    return _acquisition(
        request,
        lists.in_collection(request, name),
        "collection",
        f"Collection: {found.title}",
        kwargs={"name": name},
        alternate=found.get_absolute_url(),
    )


@require_safe
@feed_access
@app_login_required
@feed_condition(lists.mine)
def mine(request: HttpRequest) -> HttpResponse:
    """The reader's own works, drafts included."""
    return _acquisition(request, lists.mine(request), "mine", "Your works")


@require_safe
@feed_access
@app_login_required
@feed_condition(lists.bookmarked, marked="bookmarked_at")
def bookmarks(request: HttpRequest) -> HttpResponse:
    """The works the reader bookmarked (private bookmarks too: the list is theirs alone)."""
    alternate = reverse("social:user_bookmarks", args=[request.user.get_username()])
    return _acquisition(
        request, lists.bookmarked(request), "bookmarks", "Your bookmarks", alternate=alternate
    )


@require_safe
@feed_access
@app_login_required
@feed_condition(lists.later, marked="marked_at")
def later(request: HttpRequest) -> HttpResponse:
    """The works the reader marked for later, most recently marked first."""
    alternate = reverse("social:later")
    return _acquisition(
        request, lists.later(request), "later", "Marked for later", alternate=alternate
    )


# Search parameters that say what to find (the rest only page or order the results).
SEARCH_CRITERIA = {"q", "include", "exclude", "complete", "lang", "published", "updated"}


def _search_params(request: HttpRequest) -> QueryDict:
    """The search page's parameters; OPDS 2.0 apps send the words as `query`."""
    params = request.GET.copy()
    words = params.getlist("query")
    params.pop("query", None)
    if words and not params.get("q"):
        params.setlist("q", words)
    return params


@require_safe
@feed_access
def search(request: HttpRequest) -> HttpResponse:
    """The search page's query (`search.results.find_works`), as a catalog feed."""
    params = _search_params(request)
    criteria = SEARCH_CRITERIA | set(RANGE_FIELDS)
    if not any(value.strip() for field in criteria for value in params.getlist(field)):
        message = "q: Enter words, tags or creators to search for."
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    try:
        found, works = lists.found(request, params)
    except BadQuery as refused:
        return HttpResponse(str(refused), status=400, content_type="text/plain; charset=utf-8")
    pages = Paginator(range(found.result.total), found.query.per_page)
    if found.query.page > pages.num_pages:
        raise Http404("No such page.")
    title = f"Search: {params.get('q') or params.urlencode()}"
    page = pages.page(found.query.page)
    return _publications(request, page, works, "search", title)


@require_safe
@feed_access
def opensearch(request: HttpRequest) -> HttpResponse:
    """The OpenSearch description that tells e-reader apps how to search the catalog."""
    context = {
        "site": site_of(request),
        "template": catalog_url(request, "search") + "?q={searchTerms}",
        "type": OPDS2 if is_opds2(request) else ACQUISITION,
        "example": "lighthouse",
    }
    return render(request, "exporting/opensearch.xml", context, content_type=OPENSEARCH)
