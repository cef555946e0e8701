"""Atom feeds: a tag's, a creator's (account or pseud), a series', a work's new chapters, and
a reader's private feed behind their feed token.

Feed readers cannot log in: they send HTTP Basic credentials when asked (a 401), or use the
private feed's address with its token. Guests see what the listings show them.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_safe

from ficarchive.exporting.access import app_login_required, feed_access, site_of
from ficarchive.exporting.book import Site
from ficarchive.exporting.feeds.entries import chapter_entry, series_part_entry, work_entry
from ficarchive.exporting.feeds.generator import ATOM, HTML, ArchiveFeed, Link, feed_response
from ficarchive.exporting.views import lists
from ficarchive.exporting.views.conditions import feed_condition, updates_condition
from ficarchive.exporting.xhtml import xml_text
from ficarchive.search.listings import IndexedWorks
from ficarchive.works.models import Chapter, SeriesPart

FEED_ENTRIES = lists.ATOM_ENTRIES


def _feed(request: HttpRequest, title: str, alternate: str) -> ArchiveFeed:
    site = site_of(request)
    self_url = request.build_absolute_uri(escape_uri_path(request.path))
    return ArchiveFeed(
        title=xml_text(title),
        link=site.absolute(alternate),
        description="",
        author_name=site.name,
        author_link=site.absolute("/"),
        id=site.absolute(_public_path(request)),
        links=[Link(self_url, "self", ATOM), Link(site.absolute(alternate), "alternate", HTML)],
        content_type="application/atom+xml; charset=utf-8",
    )


def _public_path(request: HttpRequest) -> str:
    """The feed's address without a token in it, for its permanent id."""
    match = request.resolver_match
    if match and "token" in match.kwargs:
        return reverse("exporting:atom_personal_id")
    return escape_uri_path(request.path)


def _works_feed(
    request: HttpRequest, works: lists.Listing, title: str, alternate: str
) -> HttpResponse:
    feed = _feed(request, title, alternate)
    site = site_of(request)
    shown = works if isinstance(works, IndexedWorks) else works.with_blurb_data()
    for work in shown[:FEED_ENTRIES]:
        feed.add_item(**work_entry(work, site))
    return feed_response(feed)


@require_safe
@feed_access
@feed_condition(lists.tagged_entries)
def tag(request: HttpRequest, name: str) -> HttpResponse:
    found = lists.tag_named(request, name)
    works = lists.tagged_entries(request, name)
    return _works_feed(request, works, f"Works tagged {found.name}", found.get_absolute_url())


@require_safe
@feed_access
@feed_condition(lists.by_user_entries)
def user(request: HttpRequest, username: str) -> HttpResponse:
    owner = lists.owner(request, username)
    works = lists.by_user_entries(request, username)
    return _works_feed(request, works, f"Works by {owner.username}", owner.get_absolute_url())


@require_safe
@feed_access
@feed_condition(lists.by_pseud)
def pseud(request: HttpRequest, username: str, pseud: str) -> HttpResponse:
    found = lists.pseud_named(request, username, pseud)
    works = lists.by_pseud(request, username, pseud)
    return _works_feed(request, works, f"Works by {found.byline}", found.get_absolute_url())


@require_safe
@feed_access
@feed_condition(lists.in_series)
def series(request: HttpRequest, series_id: int) -> HttpResponse:
    found = lists.series_of(request, series_id)
    works = lists.in_series(request, series_id)
    return _works_feed(request, works, f"Series: {found.title}", found.get_absolute_url())


@require_safe
@feed_access
@feed_condition(lists.in_collection)
def collection(request: HttpRequest, name: str) -> HttpResponse:
    """A collection's works, newest update first, as its page lists them."""
    found = lists.collection_of(request, name)
    works = lists.in_collection(request, name)
    return _works_feed(request, works, f"Collection: {found.title}", found.get_absolute_url())


@require_safe
@feed_access
@feed_condition(lists.chapters)
def work(request: HttpRequest, work_id: int) -> HttpResponse:
    """A work's chapters, newest first: a reader's feed of its updates."""
    found = lists.readable(request, work_id)
    if isinstance(found, HttpResponse):
        return found
    feed = _feed(request, found.title, found.get_absolute_url())
    site = site_of(request)
    chapters: list[Any] = list(lists.chapters(request, work_id)[:FEED_ENTRIES])
    total = found.chapter_count
    for offset, chapter in enumerate(chapters):
        feed.add_item(**chapter_entry(found, chapter, total - offset, site))
    return feed_response(feed)


def _update_entry(update: lists.Update, site: Site) -> dict[str, Any]:
    item = update.item
    if isinstance(item, Chapter):
        return chapter_entry(item.work, item, getattr(item, "number", item.position), site)
    if isinstance(item, SeriesPart):
        return series_part_entry(item, site)
    return work_entry(item, site)


@require_safe
@feed_access
@app_login_required
@updates_condition(lists.updates)
def personal(request: HttpRequest) -> HttpResponse:
    """The reader's private feed (by token): what their subscriptions brought, newest first."""
    feed = _feed(request, f"Updates for {request.user}", reverse("social:subscriptions"))
    site = site_of(request)
    for update in lists.updates(request):
        feed.add_item(**_update_entry(update, site))
    return feed_response(feed)
