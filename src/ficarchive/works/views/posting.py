"""Posting and editing works and their chapters, and the drafts page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.accounts.standing import good_standing_required
from ficarchive.collections.actions import add_work_to_collections
from ficarchive.collections.exchange_actions import fulfil, open_assignment
from ficarchive.collections.meme_actions import fill as fill_prompt
from ficarchive.collections.meme_models import Prompt
from ficarchive.moderation.switches import switch_required
from ficarchive.pages import paginate
from ficarchive.works import actions
from ficarchive.works.forms import (
    ChapterForm,
    NewWorkForm,
    ReorderForm,
    WorkForm,
    add_action_errors,
)
from ficarchive.works.models import Chapter, Work


def editable_work(request: HttpRequest, work_id: int) -> Work:
    """The work, if the user may see it (else 404) and change it (else 403)."""
    work = get_object_or_404(Work.objects.visible_to(request.user), pk=work_id)
    if not work.is_editable_by(request.user):
        raise PermissionDenied("Only the work's creators may change it.")
    return work


def status_of(form: forms.BaseForm) -> int:
    """A form shown again after a POST had bad input: 400; a fresh form: 200."""
    return 400 if form.is_bound else 200


def posted_data(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _editable_chapter(request: AuthedRequest, work_id: int, chapter_id: int) -> Chapter:
    work = editable_work(request, work_id)
    return get_object_or_404(work.chapters.select_related("work"), pk=chapter_id)


# --- works -------------------------------------------------------------------------------


@login_required
@switch_required("new_works")
@good_standing_required
def new_work(request: AuthedRequest) -> HttpResponse:
    wanted = request.POST.get("assignment") or request.GET.get("assignment") or ""
    # A gift exchange's assignment: the gift goes into its collection and to its recipient.
    assignment = open_assignment(request.user, int(wanted)) if wanted.isdigit() else None
    # A prompt meme's prompt: the work fills it, in the meme's collection.
    prompt_id = request.POST.get("prompt") or request.GET.get("prompt") or ""
    prompt = get_object_or_404(Prompt, pk=int(prompt_id)) if prompt_id.isdigit() else None
    initial = {"assignment": assignment.pk if assignment else None}
    initial["prompt"] = prompt.pk if prompt else None
    form = NewWorkForm(request.user, posted_data(request), initial=initial)
    action = request.POST.get("action", "post")
    if form.is_valid():
        try:
            if action == "preview":
                context = {
                    "form": form,
                    "preview": form.preview(),
                    "assignment": assignment,
                    "prompt": prompt,
                }
                return render(request, "works/preview.html", context)
            if assignment and action == "draft":
                raise ValidationError(_("A gift is posted at once: preview it, then post it."))
            with transaction.atomic():  # in its collections before anyone hears of it
                work = actions.post_work(
                    request.user,
                    list(form.cleaned_data["pseuds"]),
                    form.work_details(),
                    form.chapter_details(),
                    draft=action == "draft",
                    credits=form.credit_details() or [],
                    series=form.cleaned_data["series"],
                    new_series=form.cleaned_data["new_series"],
                )
                add_work_to_collections(request.user, work, form.cleaned_data["collections"])
                if assignment is not None:
                    fulfil(request.user, assignment, work)
                if prompt is not None:
                    fill_prompt(request.user, prompt, work)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Draft saved.") if work.is_draft else _("Work posted."))
            return redirect(work)
    context = {"form": form, "assignment": assignment, "prompt": prompt}
    return render(request, "works/work_form.html", context, status=status_of(form))


@login_required
@good_standing_required
def edit_work(request: AuthedRequest, work_id: int) -> HttpResponse:
    work = editable_work(request, work_id)
    form = WorkForm(request.user, posted_data(request), work=work)
    if form.is_valid():
        try:
            if request.POST.get("action") == "preview":
                preview = form.details_preview(posted_chapters=work.chapter_count)
                others = [p for p in work.actual_creators if p.user_id != request.user.pk]
                preview["pseuds"] += others
                preview |= {"word_count": work.word_count, "chapters": work.chapters_display}
                context = {"form": form, "work": work, "preview": preview}
                return render(request, "works/preview.html", context)
            actions.update_work(
                request.user,
                work,
                form.work_details(),
                pseuds=list(form.cleaned_data["pseuds"]),
                credits=form.credit_details(),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
            work.refresh_from_db()
        else:
            messages.success(request, _("Changes saved."))
            return redirect(work)
    context = {"form": form, "work": work}
    return render(request, "works/work_form.html", context, status=status_of(form))


@login_required
@good_standing_required
def delete_work(request: AuthedRequest, work_id: int) -> HttpResponse:
    work = editable_work(request, work_id)
    if request.method == "POST":
        actions.delete_work(request.user, work)
        messages.success(request, _("Deleted “%(title)s”.") % {"title": work.title})
        return redirect(reverse("accounts:user_works", args=[request.user.get_username()]))
    context = {
        "heading": _("Delete “%(title)s”?") % {"title": work.title},
        "explanation": _(
            "The work, its chapters and everything readers left on it are deleted for good."
        ),
        "cancel_url": work.get_absolute_url(),
    }
    return render(request, "works/confirm_delete.html", context)


@require_POST
@login_required
@switch_required("new_works")
@good_standing_required
def post_draft(request: AuthedRequest, work_id: int) -> HttpResponse:
    work = editable_work(request, work_id)
    try:
        actions.post_draft_work(request.user, work)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Work posted."))
    return redirect(work)


@login_required
def drafts(request: AuthedRequest) -> HttpResponse:
    works = (
        Work.objects.by_user(request.user)
        .with_drafts()
        .with_blurb_data()
        .order_by("-revised_at", "-id")
    )
    page = paginate(request, works.prefetch_related("releases"))
    for work in page["page_obj"]:  # the words once everything is posted, drafts included
        chapters: list[Chapter] = work.draft_chapters  # type: ignore[attr-defined]
        drafted = sum(chapter.word_count for chapter in chapters)
        work.words_with_drafts = work.word_count + drafted  # type: ignore[attr-defined]
        releases = {release.chapter_id: release for release in work.releases.all()}
        work.scheduled = releases.get(None)  # type: ignore[attr-defined]
        for chapter in chapters:
            chapter.scheduled = releases.get(chapter.pk)  # type: ignore[attr-defined]
    return render(request, "works/drafts.html", page)


# --- chapters ----------------------------------------------------------------------------


@login_required
@good_standing_required
def new_chapter(request: AuthedRequest, work_id: int) -> HttpResponse:
    work = editable_work(request, work_id)
    form = ChapterForm(posted_data(request))
    if form.is_valid():
        action = request.POST.get("action", "post")
        draft = action == "draft"
        silent = request.POST.get("silent") == "on"
        try:
            if action == "preview":
                preview = form.preview(number=work.chapters.count() + 1)
                context = {"form": form, "work": work, "preview": preview, "silent": silent}
                return render(request, "works/chapter_form.html", context)
            chapter = actions.add_chapter(
                request.user, work, form.chapter_details(), draft=draft, silent=silent
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request, _("Chapter saved as a draft.") if draft else _("Chapter added.")
            )
            return redirect(chapter)
    context = {"form": form, "work": work}
    return render(request, "works/chapter_form.html", context, status=status_of(form))


@login_required
@good_standing_required
def edit_chapter(request: AuthedRequest, work_id: int, chapter_id: int) -> HttpResponse:
    chapter = _editable_chapter(request, work_id, chapter_id)
    form = ChapterForm(posted_data(request), chapter=chapter)
    if form.is_valid():
        try:
            if request.POST.get("action") == "preview":
                context = {"form": form, "work": chapter.work, "chapter": chapter}
                context["preview"] = form.preview(number=chapter.position)
                return render(request, "works/chapter_form.html", context)
            actions.update_chapter(request.user, chapter, form.chapter_details())
        except ValidationError as exc:
            add_action_errors(form, exc)
            chapter.refresh_from_db()
        else:
            messages.success(request, _("Chapter saved."))
            return redirect(chapter)
    context = {"form": form, "work": chapter.work, "chapter": chapter}
    return render(request, "works/chapter_form.html", context, status=status_of(form))


@login_required
@good_standing_required
def delete_chapter(request: AuthedRequest, work_id: int, chapter_id: int) -> HttpResponse:
    chapter = _editable_chapter(request, work_id, chapter_id)
    context: dict[str, Any] = {
        "heading": _("Delete %(chapter)s of “%(title)s”?")
        % {"chapter": chapter.heading, "title": chapter.work.title},
        "explanation": _("The chapter is deleted for good; the chapters after it move up."),
        "cancel_url": chapter.get_absolute_url(),
    }
    if request.method == "POST":
        try:
            actions.delete_chapter(request.user, chapter)
        except ValidationError as exc:
            context["errors"] = exc.messages
            return render(request, "works/confirm_delete.html", context, status=400)
        messages.success(request, _("Chapter deleted."))
        return redirect(chapter.work)
    return render(request, "works/confirm_delete.html", context)


@require_POST
@login_required
@good_standing_required
def post_chapter(request: AuthedRequest, work_id: int, chapter_id: int) -> HttpResponse:
    chapter = _editable_chapter(request, work_id, chapter_id)
    try:
        actions.post_chapter(request.user, chapter)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Chapter posted."))
    return redirect(chapter)


@login_required
@good_standing_required
def reorder_chapters(request: AuthedRequest, work_id: int) -> HttpResponse:
    work = editable_work(request, work_id)
    chapters = list(work.chapters.order_by("position").defer("body", "body_source"))
    form = ReorderForm(chapters, posted_data(request))
    if form.is_valid():
        try:
            actions.reorder_chapters(request.user, work, form.chapter_ids())
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Chapters reordered."))
            return redirect(work)
    context = {"form": form, "work": work}
    return render(request, "works/chapter_order.html", context, status=status_of(form))
