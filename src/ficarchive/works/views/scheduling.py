"""Scheduling a draft work or chapter to post itself, changing and cancelling it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.accounts.standing import good_standing_required
from ficarchive.works import actions
from ficarchive.works.forms import add_action_errors
from ficarchive.works.models import Chapter, ScheduledRelease, Work
from ficarchive.works.schedule_forms import ScheduleForm
from ficarchive.works.views.posting import editable_work, posted_data, status_of


def _page(request: AuthedRequest, work: Work, chapter: Chapter | None) -> HttpResponse:
    release = ScheduledRelease.objects.of(work, chapter)
    form = ScheduleForm(posted_data(request), release=release, chapter=chapter is not None)
    if form.is_valid():
        when = form.cleaned_data["post_at"]
        try:
            if chapter is None:
                actions.schedule_work(request.user, work, when)
            else:
                silent = form.cleaned_data["silent"]
                actions.schedule_chapter(request.user, chapter, when, silent=silent)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            shown = formats.date_format(timezone.localtime(when), "DATETIME_FORMAT")
            what = chapter.heading if chapter else work.title
            messages.success(
                request, _("%(what)s will be posted on %(when)s.") % {"what": what, "when": shown}
            )
            return redirect("works:drafts")
    draft = chapter.is_draft if chapter else work.is_draft
    context = {"form": form, "work": work, "chapter": chapter, "release": release, "draft": draft}
    return render(request, "works/schedule.html", context, status=status_of(form))


@login_required
@good_standing_required
def schedule_work(request: AuthedRequest, work_id: int) -> HttpResponse:
    return _page(request, editable_work(request, work_id), None)


@login_required
@good_standing_required
def schedule_chapter(request: AuthedRequest, work_id: int, chapter_id: int) -> HttpResponse:
    work = editable_work(request, work_id)
    return _page(request, work, get_object_or_404(work.chapters, pk=chapter_id))


@require_POST
@login_required
@good_standing_required
def cancel_release(request: AuthedRequest, work_id: int, release_id: int) -> HttpResponse:
    work = editable_work(request, work_id)
    release = get_object_or_404(ScheduledRelease.objects.filter(work=work), pk=release_id)
    actions.cancel_release(request.user, release)
    messages.success(request, _("Schedule cancelled: it stays a draft."))
    return redirect("works:drafts")


@require_POST
@login_required
@good_standing_required
def post_chapter_silently(request: AuthedRequest, work_id: int, chapter_id: int) -> HttpResponse:
    work = editable_work(request, work_id)
    chapter = get_object_or_404(work.chapters.select_related("work"), pk=chapter_id)
    try:
        actions.post_chapter(request.user, chapter, silent=True)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Chapter posted silently: no one was told."))
    return redirect(chapter)
