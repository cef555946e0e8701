"""The OPDS 1.2 catalog: a navigation root, acquisition feeds of works, search.

Every feed is open to guests (they see what the work listings show them); a reader's own feeds
need a login, by session, HTTP Basic or the feed token in the address. Each entry links to the
work's EPUB, HTML and TXT downloads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from ficarchive.exporting.access import app_login_required, feed_access, site_of
from ficarchive.exporting.feeds.catalog import catalog_feed, catalog_id, catalog_url
from ficarchive.exporting.feeds.entries import opds_work_entry
from ficarchive.exporting.feeds.generator import (
    ACQUISITION,
    NAVIGATION,
    OPENSEARCH,
    SORT_NEW,
    Link,
    feed_response,
)
from ficarchive.exporting.forms import SearchForm
from ficarchive.exporting.views import lists
from ficarchive.exporting.views.conditions import feed_condition
from ficarchive.exporting.xhtml import xml_text
from ficarchive.pages import paginate
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.models import WorkQuerySet

TAG_TYPES_LISTED = [TagType.RELATIONSHIP, TagType.CHARACTER, TagType.FREEFORM]


# --- feeds -------------------------------------------------------------------------------------


def _acquisition(
    request: HttpRequest, works: WorkQuerySet, name: str, title: str, **options: Any
) -> HttpResponse:
    """An acquisition feed of WORKS, a page at a time."""
    page = paginate(request, works.with_blurb_data())["page_obj"]
    feed = catalog_feed(request, name, title, page=page, **options)
    site = site_of(request)

    def url(resource: str, **kwargs: Any) -> str:
        return catalog_url(request, resource, **kwargs)

    for work in page:
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
@feed_condition(lists.listed)
def root(request: HttpRequest) -> HttpResponse:
    """The catalog's start: recent works, fandoms, tags, and the reader's own shelves."""
    site = site_of(request)
    feed = catalog_feed(request, "root", site.name, kind=NAVIGATION, up=None, alternate="/")
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
        ]
    for name, title, text, rel in shelves:
        kind = NAVIGATION if name in {"fandoms", "tags"} else ACQUISITION
        href = catalog_url(request, name)
        entry = _navigation_entry(
            request, title, text, href, catalog_id(request, name), rel=rel, type=kind
        )
        feed.add_item(**entry)
    return feed_response(feed)


@require_safe
@feed_access
@feed_condition(lists.listed)
def recent(request: HttpRequest) -> HttpResponse:
    return _acquisition(
        request, lists.listed(request), "recent", "Recent works", alternate="/works"
    )


def _tag_feed(request: HttpRequest, name: str, title: str, types: Sequence[str]) -> HttpResponse:
    """A navigation feed of the tags of TYPES that listed works carry, most used first."""
    tags = Tag.objects.filter(type__in=types).with_use_counts(lists.listed(request))
    page = paginate(request, tags)["page_obj"]
    feed = catalog_feed(request, name, title, kind=NAVIGATION, page=page)
    for tag in page:
        href = catalog_url(request, "tag", name=tag.name) + f"?type={tag.type}"
        entry_id = catalog_id(request, "tag", name=tag.name) + f"?type={tag.type}"
        text = f"{tag.get_type_display()}: {tag.uses} work{'s' if tag.uses != 1 else ''}"
        feed.add_item(**_navigation_entry(request, tag.name, text, href, entry_id))
    return feed_response(feed)


@require_safe
@feed_access
@feed_condition(lists.listed)
def fandoms(request: HttpRequest) -> HttpResponse:
    return _tag_feed(request, "fandoms", "Fandoms", [TagType.FANDOM])


@require_safe
@feed_access
@feed_condition(lists.listed)
def tags(request: HttpRequest) -> HttpResponse:
    return _tag_feed(request, "tags", "Tags", TAG_TYPES_LISTED)


@require_safe
@feed_access
@feed_condition(lists.tagged)
def tag(request: HttpRequest, name: str) -> HttpResponse:
    found = lists.tag_named(request, name)
    return _acquisition(
        request,
        lists.tagged(request, name),
        "tag",
        f"Works tagged {found.name}",
        kwargs={"name": name},
        up="fandoms" if found.type == TagType.FANDOM else "tags",
        alternate=found.get_absolute_url(),
    )


@require_safe
@feed_access
@feed_condition(lists.by_user)
def user(request: HttpRequest, username: str) -> HttpResponse:
    owner = lists.owner(request, username)
    return _acquisition(
        request,
        lists.by_user(request, username),
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


@require_safe
@feed_access
@feed_condition(lists.found)
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    if not form.is_valid():
        message = "; ".join(
            f"{name}: {' '.join(str(error) for error in errors)}"
            for name, errors in form.errors.items()
        )
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    title = f"Works with “{form.cleaned_data['q']}” in the title"
    return _acquisition(request, lists.found(request), "search", title)


@require_safe
@feed_access
def opensearch(request: HttpRequest) -> HttpResponse:
    """The OpenSearch description that tells e-reader apps how to search the catalog."""
    context = {
        "site": site_of(request),
        "template": catalog_url(request, "search") + "?q={searchTerms}",
        "type": ACQUISITION,
    }
    return render(request, "exporting/opensearch.xml", context, content_type=OPENSEARCH)
