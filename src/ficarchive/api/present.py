"""Models as the API shows them: plain dicts shaped like the schemas in `schemas.py`."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from ficarchive.accounts.models import Pseud
from ficarchive.moderation import switches
from ficarchive.search.blurbs import kept_per_work
from ficarchive.social.hits import hits_shown
from ficarchive.social.models import Bookmark, Comment, InboxItem, Subscription
from ficarchive.social.panels import stats_of
from ficarchive.tags.models import Ranked, Tag, TagFamily, TagType
from ficarchive.works.archived import CreatorCredit
from ficarchive.works.models import Chapter, Series, Work
from ficarchive.works.series_places import series_neighbours

COUNTERS = ("kudos", "comments", "bookmarks", "hits", "subscriptions")
DOWNLOAD_FORMATS = ("epub", "html", "txt")


def creator(pseud: Pseud) -> dict[str, Any]:
    return {"pseud": pseud.name, "username": pseud.user.username, "byline": pseud.byline}


def credited(credit: CreatorCredit) -> dict[str, Any]:
    """A name of a work's byline: "Pim [archived by Ada]" for a work imported for its author."""
    shown = creator(credit.pseud) | {"byline": credit.text}
    return shown | {"archived_for": credit.archived_for} if credit.archived_for else shown


def tags_by_type(work: Work) -> dict[str, list[str]]:
    typed: dict[str, list[str]] = {tag_type.value: [] for tag_type in TagType}
    for tag in sorted(work.all_tags, key=lambda t: t.name.lower()):
        typed[tag.type].append(tag.name)
    return typed


def work(request: HttpRequest, found: Work, *, with_hits: bool = False) -> dict[str, Any]:
    """A work as listings show it (needs `with_blurb_data()`)."""
    stats = stats_of(found)
    counts = {name: getattr(stats, name) for name in COUNTERS}
    if with_hits:
        counts["hits"] = hits_shown(found.pk)
    return {
        "id": found.pk,
        "url": request.build_absolute_uri(found.get_absolute_url()),
        "title": found.title,
        "summary": found.summary,
        "language": found.language,
        "tags": tags_by_type(found),
        "creators": [credited(credit) for credit in found.creator_credits],
        "words": found.word_count,
        "chapters": found.chapter_count,
        "expected_chapters": found.expected_chapters,
        "complete": found.is_complete,
        "restricted": found.restricted,
        "draft": found.is_draft,
        "published": found.published_at,
        "updated": found.updated_at,
        "stats": counts,
        "series": [
            {"id": part.series_id, "title": part.series.title, "part": part.position}
            for part in found.series_parts.all()
        ],
    }


def listed_works(request: HttpRequest, ids: list[int], stamps: list[int]) -> list[dict[str, Any]]:
    """The works IDS as `work` shows them, kept in the cache by the engine's STAMPS."""
    site = request.build_absolute_uri("/")
    return [
        shown for _, shown in kept_per_work(f"api-work:{site}", ids, stamps, partial(work, request))
    ]


def chapter_summary(chapter: Chapter, number: int) -> dict[str, Any]:
    return {
        "id": chapter.pk,
        "number": number,
        "title": chapter.title,
        "heading": f"Chapter {number}: {chapter.title}" if chapter.title else f"Chapter {number}",
        "words": chapter.word_count,
        "draft": chapter.is_draft,
        "published": chapter.published_at,
    }


def work_detail(request: HttpRequest, found: Work, chapters: list[Chapter]) -> dict[str, Any]:
    """A work with its notes, credits, chapter list and series places (as the reader sees)."""
    body = work(request, found, with_hits=True)
    body["series"] = [
        {"id": link.series.pk, "title": link.series.title, "part": link.number, "of": link.total}
        for link in series_neighbours(found, request.user)
    ]
    downloads = {
        fmt: request.build_absolute_uri(reverse("api:work_download", args=[found.pk, fmt]))
        for fmt in (DOWNLOAD_FORMATS if switches.current().downloads else ())
    }
    return body | {
        "begin_notes": found.begin_notes,
        "end_notes": found.end_notes,
        "comment_policy": found.comment_policy,
        "moderate_comments": found.moderate_comments,
        "credits": [{"role": c.role, "name": c.name} for c in found.credits.all()],
        "chapter_list": [chapter_summary(c, n) for n, c in enumerate(chapters, start=1)],
        "downloads": downloads,
    }


def chapter(found: Chapter, number: int) -> dict[str, Any]:
    return chapter_summary(found, number) | {
        "work_id": found.work_id,
        "summary": found.summary,
        "begin_notes": found.begin_notes,
        "end_notes": found.end_notes,
        "body": found.body,
    }


def series(request: HttpRequest, found: Series, works: list[tuple[int, Work]]) -> dict[str, Any]:
    return {
        "id": found.pk,
        "url": request.build_absolute_uri(found.get_absolute_url()),
        "title": found.title,
        "summary": found.summary,
        "notes": found.notes,
        "complete": found.is_complete,
        "creators": [creator(pseud) for pseud in found.creators.select_related("user")],
        "updated": found.updated_at,
        "works": [{"part": number, "work": work(request, w)} for number, w in works],
    }


def tag_ref(tag: Tag) -> dict[str, Any]:
    return {"name": tag.name, "type": tag.type, "canonical": tag.canonical}


def ranked(item: Ranked) -> dict[str, Any]:
    return tag_ref(item.tag) | {"uses": item.uses}


def family(found: TagFamily) -> dict[str, Any]:
    return {
        "synonyms": [tag_ref(t) for t in found.synonyms],
        "parents": [tag_ref(t) for t in found.parents],
        "sub_fandoms": [tag_ref(t) for t in found.sub_fandoms],
        "cast": [ranked(item) for item in found.cast],
        "characters": [tag_ref(t) for t in found.characters],
        "relationships": [tag_ref(t) for t in found.relationships],
    }


def comment(found: Comment) -> dict[str, Any]:
    """A comment and its shown replies (`children`, attached by `build_threads`)."""
    return {
        "id": found.pk,
        "work_id": found.work_id,
        "chapter_id": found.chapter_id,
        "parent_id": found.parent_id,
        "author": "" if found.is_deleted else found.shown_name,
        "username": (
            found.user.username
            if found.user and not found.is_deleted and not found.by_anonymous_creator
            else None
        ),
        "body": "" if found.is_deleted else found.body,
        "status": found.status,
        "hidden": found.is_hidden,
        "deleted": found.is_deleted,
        "frozen": found.is_frozen,
        "created": found.created_at,
        "edited": found.edited_at,
        "replies": [comment(reply) for reply in getattr(found, "children", [])],
    }


def bookmark(found: Bookmark) -> dict[str, Any]:
    return {
        "id": found.pk,
        "username": found.user.username,
        "work_id": found.work_id,
        "series_id": found.series_id,
        "title": found.shown_title,
        "notes": found.notes,
        "tags": list(found.tags),
        "private": found.is_private,
        "rec": found.is_rec,
        "created": found.created_at,
        "updated": found.updated_at,
    }


def subscription(found: Subscription) -> dict[str, Any]:
    kind = "work" if found.work_id else "series" if found.series_id else "creator"
    return {
        "id": found.pk,
        "kind": kind,
        "work_id": found.work_id,
        "series_id": found.series_id,
        "username": found.creator.username if found.creator else None,
        "email": found.email,
        "created": found.created_at,
    }


def inbox_item(found: InboxItem) -> dict[str, Any]:
    return {
        "id": found.pk,
        "kind": found.kind,
        "read": found.is_read,
        "created": found.created_at,
        "actor": found.actor.username if found.actor else None,
        "work_id": found.work_id,
        "work_title": found.work_title,
        "chapter_id": found.chapter_id,
        "series_id": found.series_id,
        "comment_id": found.comment_id,
    }
