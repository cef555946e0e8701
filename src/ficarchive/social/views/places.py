"""A reader's place in a work: the chapter page's script reports it; chapters marked read."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.social import actions
from ficarchive.social.actions.positions import MAX_PARAGRAPH
from ficarchive.social.views.common import readable_work


class PlaceForm(forms.Form):
    chapter = forms.IntegerField(min_value=1)
    paragraph = forms.IntegerField(min_value=0, max_value=MAX_PARAGRAPH)
    finished = forms.BooleanField(required=False)


@require_POST
@login_required
def keep_place(request: AuthedRequest, work_id: int) -> HttpResponse:
    """The chapter page's script: the paragraph in view (204), or what was wrong (400)."""
    work = readable_work(request, work_id)
    form = PlaceForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    chapter = get_object_or_404(work.posted_chapters(), pk=form.cleaned_data["chapter"])
    actions.set_position(
        request.user,
        work,
        chapter,
        form.cleaned_data["paragraph"],
        finished=form.cleaned_data["finished"],
    )
    return HttpResponse(status=204)


@require_POST
@login_required
def mark_read(request: AuthedRequest, work_id: int, chapter_id: int) -> HttpResponse:
    work = readable_work(request, work_id)
    chapter = get_object_or_404(work.posted_chapters(), pk=chapter_id)
    read = request.POST.get("read", "1") != "0"
    try:
        actions.mark_chapter_read(request.user, chapter, read)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Marked as read.") if read else _("Marked as unread."))
    if request.POST.get("back") == "chapter":
        return redirect(chapter)
    return redirect("works:navigate", work.pk)
