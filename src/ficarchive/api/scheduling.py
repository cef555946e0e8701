"""Scheduled and silent release through the API: when a draft work or chapter posts itself
(`works.actions.scheduling`, as on the drafts page)."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Status

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.api.auth import SIGNED_IN, WRITE_AUTH
from ficarchive.api.common import PathId, answers
from ficarchive.api.errors import ApiError
from ficarchive.api.schemas import ScheduleIn, ScheduleOut
from ficarchive.api.works import router  # one router per path: reads and writes share it
from ficarchive.works import actions
from ficarchive.works.models import Chapter, ScheduledRelease, Work
from ficarchive.works.views.posting import editable_work


def _present(release: ScheduledRelease) -> dict[str, Any]:
    return {
        "id": release.pk,
        "work_id": release.work_id,
        "chapter_id": release.chapter_id,
        "post_at": release.post_at.astimezone(UTC),
        "silent": release.silent,
    }


def _chapter(request: AuthedRequest, work_id: int, chapter_id: int) -> Chapter:
    work = editable_work(request, work_id)
    return get_object_or_404(work.chapters.select_related("work"), pk=chapter_id)


def _release(work: Work, chapter: Chapter | None) -> ScheduledRelease:
    release = ScheduledRelease.objects.of(work, chapter)
    if release is None:
        raise Http404("Nothing is scheduled here.")
    return release


@router.get("/works/{work_id}/schedule", response=answers(ScheduleOut), auth=SIGNED_IN)
def work_schedule(request: AuthedRequest, work_id: PathId) -> Any:
    """When the draft work posts itself (404 when it is not scheduled)."""
    return _present(_release(editable_work(request, work_id), None))


@router.put("/works/{work_id}/schedule", response=answers(ScheduleOut), auth=WRITE_AUTH)
def schedule_work(request: AuthedRequest, work_id: PathId, payload: ScheduleIn) -> Any:
    """Post the draft work (with its draft chapters not scheduled for later) at `post_at`;
    a second call changes the time. `silent` is for chapters and refused here."""
    work = editable_work(request, work_id)
    if not work.is_draft:
        raise ApiError(409, "This work is already posted; schedule its draft chapters instead.")
    if payload.silent:
        raise ValidationError({"silent": ["Only a chapter is posted silently."]})
    return _present(actions.schedule_work(request.user, work, payload.post_at))


@router.delete("/works/{work_id}/schedule", response=answers(None, 204), auth=WRITE_AUTH)
def cancel_work_schedule(request: AuthedRequest, work_id: PathId) -> Any:
    """The work stays a draft."""
    work = editable_work(request, work_id)
    actions.cancel_release(request.user, _release(work, None))
    return Status(204, None)


@router.get(
    "/works/{work_id}/chapters/{chapter_id}/schedule",
    response=answers(ScheduleOut),
    auth=SIGNED_IN,
)
def chapter_schedule(request: AuthedRequest, work_id: PathId, chapter_id: PathId) -> Any:
    """When the draft chapter posts itself (404 when it is not scheduled)."""
    chapter = _chapter(request, work_id, chapter_id)
    return _present(_release(chapter.work, chapter))


@router.put(
    "/works/{work_id}/chapters/{chapter_id}/schedule",
    response=answers(ScheduleOut),
    auth=WRITE_AUTH,
)
def schedule_chapter(
    request: AuthedRequest, work_id: PathId, chapter_id: PathId, payload: ScheduleIn
) -> Any:
    """Post the draft chapter at `post_at` (`silent`: without telling subscribers or moving
    the work's updated date); a second call changes it."""
    chapter = _chapter(request, work_id, chapter_id)
    if not chapter.is_draft:
        raise ApiError(409, "This chapter is already posted.")
    release = actions.schedule_chapter(
        request.user, chapter, payload.post_at, silent=payload.silent
    )
    return _present(release)


@router.delete(
    "/works/{work_id}/chapters/{chapter_id}/schedule",
    response=answers(None, 204),
    auth=WRITE_AUTH,
)
def cancel_chapter_schedule(request: AuthedRequest, work_id: PathId, chapter_id: PathId) -> Any:
    """The chapter stays a draft."""
    chapter = _chapter(request, work_id, chapter_id)
    actions.cancel_release(request.user, _release(chapter.work, chapter))
    return Status(204, None)
