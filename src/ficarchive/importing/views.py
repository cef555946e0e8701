"""Upload files or paste text, see every field as the importer read it, correct, post."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.accounts.standing import good_standing_required
from ficarchive.importing import actions
from ficarchive.importing.forms import ChapterFormSet, ImportedWorkForm, UploadForm
from ficarchive.importing.parsed import ParsedWork, UnreadableFile
from ficarchive.importing.preview import ReaderView, from_form, mark_proposals, reader_view
from ficarchive.moderation.switches import switch_required
from ficarchive.works.forms import add_action_errors
from ficarchive.works.views.posting import posted_data, status_of

_PREFIX = re.compile(r"^w\d{1,3}$")


def _preview_item(
    prefix: str, form: ImportedWorkForm, chapters: Any, work: Any, reader: ReaderView | None = None
) -> dict:
    if work is not None:
        mark_proposals(form, work.inferred)
        reader = reader_view(work)
    return {"prefix": prefix, "form": form, "chapters": chapters, "work": work, "reader": reader}


@login_required
@switch_required("imports", "new_works")
@good_standing_required
def upload(request: AuthedRequest) -> HttpResponse:
    form = UploadForm(posted_data(request), request.FILES or None)
    if not form.is_valid():
        return render(request, "importing/upload.html", {"form": form}, status=status_of(form))
    results = actions.read_uploads(form.uploads(), form.cleaned_data["text"])
    refused = [r for r in results if isinstance(r, UnreadableFile)]
    works = [r for r in results if isinstance(r, ParsedWork)]
    if not works:
        for error in refused:
            form.add_error(None, str(error))
        return render(request, "importing/upload.html", {"form": form}, status=400)
    items = []
    for index, work in enumerate(works):
        prefix = f"w{index}"
        initial = ImportedWorkForm.initial_for(work)
        chapters = [
            {
                "title": c.title,
                "body": c.body,
                "begin_notes": c.begin_notes,
                "end_notes": c.end_notes,
            }
            for c in work.chapters
        ] or [{"title": "", "body": ""}]
        items.append(
            _preview_item(
                prefix,
                ImportedWorkForm(initial=initial, prefix=prefix, user=request.user),
                ChapterFormSet(initial=chapters, prefix=f"{prefix}-chapters"),
                work,
            )
        )
    return render(request, "importing/preview.html", {"items": items, "refused": refused})


@login_required
@require_POST
@switch_required("imports", "new_works")
@good_standing_required
def post(request: AuthedRequest) -> HttpResponse:
    prefix = request.POST.get("prefix", "")
    if not _PREFIX.match(prefix):
        prefix = "w0"
    form = ImportedWorkForm(request.POST, prefix=prefix, user=request.user)
    chapters = ChapterFormSet(request.POST, prefix=f"{prefix}-chapters")
    if form.is_valid() and chapters.is_valid():
        parsed = form.parsed([c.cleaned_data for c in chapters.forms])
        try:
            work = actions.import_work(
                request.user,
                parsed.finish(),
                draft=form.cleaned_data["draft"],
                for_author=form.for_author(),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return redirect(work.get_absolute_url())
    item = _preview_item(prefix, form, chapters, None, reader_view(from_form(form, chapters)))
    return render(request, "importing/preview.html", {"items": [item], "refused": []}, status=400)
