"""Posting and editing works and chapters, through the site's own forms and actions, so that
tags, ratings, limits and sanitizing behave exactly as on the posting pages."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Status

from ficarchive.accounts.models import Pseud
from ficarchive.accounts.requests import AuthedRequest
from ficarchive.api import present
from ficarchive.api.auth import WRITE_AUTH
from ficarchive.api.common import PathId, answers, openable_work
from ficarchive.api.errors import ApiError
from ficarchive.api.forms import clean_form
from ficarchive.api.schemas import (
    ChapterOut,
    ChapterPatch,
    CreditIn,
    NewChapterIn,
    NewWorkIn,
    WorkDetailOut,
    WorkPatch,
)
from ficarchive.api.works import router  # one router per path: reads and writes share it
from ficarchive.moderation.switches import require
from ficarchive.works import actions
from ficarchive.works.forms import ChapterForm, NewWorkForm, WorkForm
from ficarchive.works.models import Chapter, Work
from ficarchive.works.views.posting import editable_work

TAG_LISTS = ("fandoms", "relationships", "characters", "freeforms")


def _pseud_ids(request: AuthedRequest, names: list[str]) -> list[int]:
    mine = {p.name.lower(): p.pk for p in Pseud.objects.of(request.user)}
    unknown = [name for name in names if name.lower() not in mine]
    if unknown:
        raise ValidationError({"pseuds": [f"You have no pseud called {unknown[0]!r}."]})
    return [mine[name.lower()] for name in names]


def _credit_rows(credits: list[CreditIn]) -> dict[str, Any]:
    """The credits as the posting form's formset sends them."""
    rows: dict[str, Any] = {
        "credits-TOTAL_FORMS": len(credits),
        "credits-INITIAL_FORMS": 0,
    }
    for index, credit in enumerate(credits):
        rows[f"credits-{index}-role"] = credit.role
        rows[f"credits-{index}-name"] = credit.name
    return rows


def _form_data(request: AuthedRequest, base: dict[str, Any], payload: WorkPatch) -> dict[str, Any]:
    """The work form's fields: BASE, with what the payload sets laid over it."""
    data = dict(base)
    sent = payload.model_dump(exclude_unset=True, exclude={"pseuds", "credits", "chapter"})
    data.update(sent)
    for name in TAG_LISTS:
        if isinstance(data.get(name), list):
            data[name] = ", ".join(data[name])
    if payload.pseuds is not None:
        data["pseuds"] = _pseud_ids(request, payload.pseuds)
    if payload.credits is not None:
        data.update(_credit_rows(payload.credits))
    return data


def _work_answer(request: AuthedRequest, work_id: int) -> dict[str, Any]:
    found = openable_work(request, work_id)
    chapters = list(found.chapters_visible_to(request.user).defer("body", "body_source"))
    return present.work_detail(request, found, chapters)


@router.post("/works", response=answers(WorkDetailOut, 201), auth=WRITE_AUTH)
def post_work(request: AuthedRequest, payload: NewWorkIn) -> Any:
    """Post a work with its first chapter, or save it as a draft (`draft: true`).

    Refused (403, `switched_off`) while new works are switched off on the archive.
    """
    require("new_works")
    base = {"pseuds": [request.user.default_pseud.pk], "comment_policy": "all", "language": "en"}
    data = _form_data(request, base, payload) | {
        "chapter_title": payload.chapter.title,
        "body": payload.chapter.body,
        "body_format": payload.chapter.body_format,
    }
    if payload.series_id is not None:
        data["series"] = payload.series_id
    form = clean_form(NewWorkForm(request.user, data))
    chapter = dataclasses.replace(
        form.chapter_details(),
        summary=payload.chapter.summary,
        begin_notes=payload.chapter.begin_notes,
        end_notes=payload.chapter.end_notes,
    )
    work = actions.post_work(
        request.user,
        list(form.cleaned_data["pseuds"]),
        form.work_details(),
        chapter,
        draft=payload.draft,
        credits=form.credit_details() or [],
        series=form.cleaned_data["series"],
        new_series=form.cleaned_data["new_series"],
    )
    return Status(201, _work_answer(request, work.pk))


@router.patch("/works/{work_id}", response=answers(WorkDetailOut), auth=WRITE_AUTH)
def edit_work(request: AuthedRequest, work_id: PathId, payload: WorkPatch) -> Any:
    """Change a work's details: only the fields sent change."""
    work = editable_work(request, work_id)
    data = _form_data(request, WorkForm.initial_from(request.user, work), payload)
    form = clean_form(WorkForm(request.user, data, work=work))
    actions.update_work(
        request.user,
        work,
        form.work_details(),
        pseuds=list(form.cleaned_data["pseuds"]),
        credits=form.credit_details(),
    )
    return _work_answer(request, work.pk)


@router.post("/works/{work_id}/publish", response=answers(WorkDetailOut), auth=WRITE_AUTH)
def publish_work(request: AuthedRequest, work_id: PathId) -> Any:
    """Post a draft work with its draft chapters (refused while new works are switched off;
    a 409 when it is posted already)."""
    require("new_works")
    work = editable_work(request, work_id)
    if not work.is_draft:
        raise ApiError(409, "This work is already posted.")
    actions.post_draft_work(request.user, work)
    return _work_answer(request, work_id)


# --- chapters --------------------------------------------------------------------------------


def _chapter_data(payload: ChapterPatch, base: dict[str, Any]) -> dict[str, Any]:
    sent = payload.model_dump(exclude_unset=True)
    return base | {k: v for k, v in sent.items() if v is not None}


def _editable_chapter(request: AuthedRequest, work_id: int, chapter_id: int) -> Chapter:
    work = editable_work(request, work_id)
    return get_object_or_404(work.chapters.select_related("work"), pk=chapter_id)


@router.post("/works/{work_id}/chapters", response=answers(ChapterOut, 201), auth=WRITE_AUTH)
def add_chapter(request: AuthedRequest, work_id: PathId, payload: NewChapterIn) -> Any:
    """Add a chapter at the end: posted (the work's updated date moves) or a draft."""
    work: Work = editable_work(request, work_id)
    data = payload.model_dump(exclude={"draft", "silent"})
    form = clean_form(ChapterForm(data))
    chapter = actions.add_chapter(
        request.user, work, form.chapter_details(), draft=payload.draft, silent=payload.silent
    )
    return Status(201, present.chapter(chapter, chapter.position))


@router.patch(
    "/works/{work_id}/chapters/{chapter_id}", response=answers(ChapterOut), auth=WRITE_AUTH
)
def edit_chapter(
    request: AuthedRequest, work_id: PathId, chapter_id: PathId, payload: ChapterPatch
) -> Any:
    """Change a chapter: only the fields sent change."""
    chapter = _editable_chapter(request, work_id, chapter_id)
    form = clean_form(ChapterForm(_chapter_data(payload, ChapterForm.initial_from(chapter))))
    updated = actions.update_chapter(request.user, chapter, form.chapter_details())
    return present.chapter(updated, updated.position)


@router.post(
    "/works/{work_id}/chapters/{chapter_id}/publish",
    response=answers(ChapterOut),
    auth=WRITE_AUTH,
)
def publish_chapter(
    request: AuthedRequest, work_id: PathId, chapter_id: PathId, silent: bool = False
) -> Any:
    """Post a draft chapter of a posted work (a 409 when it is posted already); `silent`:
    without telling subscribers or moving the work's updated date."""
    draft = _editable_chapter(request, work_id, chapter_id)
    if not draft.is_draft:
        raise ApiError(409, "This chapter is already posted.")
    chapter = actions.post_chapter(request.user, draft, silent=silent)
    return present.chapter(chapter, chapter.position)
