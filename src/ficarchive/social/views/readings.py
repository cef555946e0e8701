"""A reader's history and the works they marked for later."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.pages import paginate
from ficarchive.social import actions
from ficarchive.social.hits import flush_if_free
from ficarchive.social.models.readings import ReadingQuerySet, readings_of
from ficarchive.social.places import places_of
from ficarchive.social.views.common import readable_work


@login_required
def history(request: AuthedRequest) -> HttpResponse:
    flush_if_free()  # the owner sees their latest, unless the database is busy
    found = readings_of(request.user, later=False)
    return render(request, "social/history.html", _with_places(request, found) | {"later": False})


@login_required
def later(request: AuthedRequest) -> HttpResponse:
    found = readings_of(request.user, later=True)
    return render(request, "social/history.html", _with_places(request, found) | {"later": True})


def _with_places(request: AuthedRequest, found: ReadingQuerySet) -> dict[str, Any]:
    """A page of readings, each with the reader's `place` in its work (or None)."""
    page = paginate(request, found)
    readings = list(page["page_obj"])
    places = places_of(request.user, [reading.work_id for reading in readings])
    for reading in readings:
        reading.place = places.get(reading.work_id)  # type: ignore[attr-defined]
    return page


@require_POST
@login_required
def mark_later(request: AuthedRequest, work_id: int) -> HttpResponse:
    work = readable_work(request, work_id)
    wanted = request.POST.get("later", "1") != "0"
    actions.mark_for_later(request.user, work, wanted)
    messages.success(
        request, _("Marked for later.") if wanted else _("No longer marked for later.")
    )
    return redirect(work)


@require_POST
@login_required
def clear_history(request: AuthedRequest) -> HttpResponse:
    actions.clear_history(request.user)
    messages.success(request, _("Your history is cleared."))
    return redirect("social:history")
