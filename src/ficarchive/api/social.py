"""Comments, kudos and bookmarks: reading them as the pages show them, and leaving them."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.api import present
from ficarchive.api.auth import READ_AUTH, WRITE_AUTH
from ficarchive.api.common import (
    LIMIT_DEFAULT,
    Cursor,
    Limit,
    PathId,
    Username,
    account,
    answers,
    posted_work,
)
from ficarchive.api.errors import ApiError
from ficarchive.api.forms import clean_form
from ficarchive.api.pagination import keyset_page, page_body
from ficarchive.api.schemas import (
    BookmarkIn,
    BookmarkListOut,
    BookmarkOut,
    CommentIn,
    CommentListOut,
    CommentOut,
    KudosOut,
)
from ficarchive.social import actions
from ficarchive.social.forms import BookmarkForm, NewCommentForm
from ficarchive.social.models import Bookmark, Comment, Kudos
from ficarchive.social.panels import build_threads, stats_of
from ficarchive.works.models import Work

router = Router(tags=["comments, kudos and bookmarks"])


# --- comments --------------------------------------------------------------------------------


def _shown_comments(request: HttpRequest, work: Work) -> Any:
    moderator = work.is_editable_by(request.user)
    return Comment.objects.filter(work=work).shown_to(request.user, moderator=moderator)


@router.get("/works/{work_id}/comments", response=answers(CommentListOut), auth=READ_AUTH)
def work_comments(
    request: HttpRequest,
    work_id: PathId,
    chapter_id: PathId | None = None,
    cursor: Cursor = None,
    limit: Limit = LIMIT_DEFAULT,
) -> dict[str, Any]:
    """Comment threads on a work (or one chapter), oldest first, each with its replies.

    Readers see approved, unhidden comments and their own; the work's creators see all.
    Comments of accounts the reader mutes are left out; a deleted comment with replies stays
    as an empty placeholder.
    """
    work = posted_work(request, work_id)
    shown = _shown_comments(request, work)
    if chapter_id is not None:
        shown = shown.filter(chapter_id=chapter_id)
    roots = shown.filter(parent__isnull=True).select_related("user")
    page = keyset_page(roots, list_name="comments", cursor=cursor, limit=limit, descending=False)
    replies = list(shown.filter(thread_id__in=[root.pk for root in page.items]).for_display())
    threads = build_threads(replies, page.items, work)
    return page_body(request, page, [present.comment(root) for root in threads])


@router.post("/works/{work_id}/comments", response=answers(CommentOut, 201), auth=WRITE_AUTH)
def post_comment(request: AuthedRequest, work_id: PathId, payload: CommentIn) -> Any:
    """Comment on a work or one of its chapters, or reply to a comment (`parent_id`).

    The work's comment settings, moderation and blocks apply as on the site; a comment that
    waits for the creators' approval comes back with status `pending`, one the spam check holds
    for the moderators' review with status `held` (only its author sees it). New accounts may
    post a few comments per window (429 with Retry-After past it).
    """
    work = posted_work(request, work_id)
    chapter = parent = None
    if payload.parent_id is not None:
        parent = _shown_comments(request, work).filter(pk=payload.parent_id).first()
        if parent is None:
            raise Http404("No such comment on this work.")
    elif payload.chapter_id is not None:
        chapter = get_object_or_404(work.chapters.filter(is_draft=False), pk=payload.chapter_id)
    form = clean_form(NewCommentForm(payload.model_dump(), guest=False))
    posted = actions.post_comment(
        request.user,
        work,
        form.cleaned_data["text"],
        form.cleaned_data["body_format"],
        chapter=chapter,
        parent=parent,
    )
    return Status(201, present.comment(posted))


# --- kudos -----------------------------------------------------------------------------------


@router.post("/works/{work_id}/kudos", response=answers(KudosOut, 201), auth=WRITE_AUTH)
def give_kudos(request: AuthedRequest, work_id: PathId) -> Any:
    """Leave kudos on a work, once (a second time is a 409)."""
    work = posted_work(request, work_id)
    if Kudos.objects.on(work).from_reader(request.user).exists():
        raise ApiError(409, "You have already left kudos here.")
    actions.give_kudos(request.user, work)
    work.refresh_from_db()
    return Status(201, {"work_id": work.pk, "kudos": stats_of(work).kudos})


# --- bookmarks -------------------------------------------------------------------------------


def _bookmark_list(request: HttpRequest, found: Any, cursor: str | None, limit: int) -> Any:
    page = keyset_page(
        found.for_listing(),
        list_name="bookmarks",
        cursor=cursor,
        limit=limit,
        fields=("updated_at", "id"),
    )
    return page_body(request, page, [present.bookmark(b) for b in page.items])


@router.get("/works/{work_id}/bookmarks", response=answers(BookmarkListOut), auth=READ_AUTH)
def work_bookmarks(
    request: HttpRequest, work_id: PathId, cursor: Cursor = None, limit: Limit = LIMIT_DEFAULT
) -> dict[str, Any]:
    """Readers' public bookmarks of a work, newest first."""
    work = posted_work(request, work_id)
    found = Bookmark.objects.filter(work=work, is_private=False).shown_to(request.user)
    return _bookmark_list(request, found, cursor, limit)  # type: ignore[no-any-return]


@router.get("/users/{username}/bookmarks", response=answers(BookmarkListOut), auth=READ_AUTH)
def user_bookmarks(
    request: HttpRequest, username: Username, cursor: Cursor = None, limit: Limit = LIMIT_DEFAULT
) -> dict[str, Any]:
    """A user's bookmarks: the public ones of things the reader may see (all, for the user)."""
    person = account(username)
    found = Bookmark.objects.of_user(person).shown_to(request.user)
    return _bookmark_list(request, found, cursor, limit)  # type: ignore[no-any-return]


@router.get("/bookmarks/{bookmark_id}", response=answers(BookmarkOut), auth=READ_AUTH)
def get_bookmark(request: HttpRequest, bookmark_id: PathId) -> dict[str, Any]:
    found = get_object_or_404(Bookmark.objects.shown_to(request.user).for_listing(), pk=bookmark_id)
    return present.bookmark(found)


@router.put("/works/{work_id}/bookmark", response=answers(BookmarkOut), auth=WRITE_AUTH)
def save_bookmark(request: AuthedRequest, work_id: PathId, payload: BookmarkIn) -> Any:
    """Bookmark a work, or change your bookmark of it."""
    work = posted_work(request, work_id)
    data = {
        "notes": payload.notes,
        "tags": ", ".join(payload.tags),
        "is_private": payload.private,
        "is_rec": payload.rec,
    }
    form = clean_form(BookmarkForm(data))
    saved = actions.save_bookmark(request.user, form.details(), work=work)
    return present.bookmark(Bookmark.objects.shown_to(request.user).for_listing().get(pk=saved.pk))


@router.delete("/bookmarks/{bookmark_id}", response=answers(None, 204), auth=WRITE_AUTH)
def delete_bookmark(request: AuthedRequest, bookmark_id: PathId) -> Any:
    found = get_object_or_404(Bookmark.objects.shown_to(request.user), pk=bookmark_id)
    actions.delete_bookmark(request.user, found)
    return Status(204, None)
