"""A reader's shelves: the list, one shelf with its works in order, and a work's shelves.

Every page is its reader's alone: someone else's shelf is a 404, so that its existence does not
leak.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.pages import paginate
from ficarchive.social import actions
from ficarchive.social.models import Shelf
from ficarchive.social.places import places_of
from ficarchive.social.shelf_forms import MoveForm, ShelfForm, ShelveForm
from ficarchive.social.views.common import readable_work
from ficarchive.works.forms import add_action_errors
from ficarchive.works.models import Work
from ficarchive.works.views.posting import posted_data, status_of

ENTRIES_PER_PAGE = 50


def _own_shelf(request: AuthedRequest, shelf_id: int) -> Shelf:
    return get_object_or_404(Shelf.objects.of_user(request.user), pk=shelf_id)


@login_required
def shelves(request: AuthedRequest) -> HttpResponse:
    """The reader's shelves in their order, and a form for a new one."""
    form = ShelfForm(posted_data(request))
    if form.is_valid():
        try:
            shelf = actions.create_shelf(request.user, form.details())
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Shelf “%(name)s” made.") % {"name": shelf.name})
            return redirect(shelf)
    found = list(Shelf.objects.of_user(request.user).in_order().with_counts())
    context = {"shelves": found, "form": form, "most": settings.SHELVES_PER_READER}
    return render(request, "social/shelves.html", context, status=status_of(form))


@login_required
def shelf(request: AuthedRequest, shelf_id: int) -> HttpResponse:
    """A shelf's works in its order, a page at a time, each with its controls."""
    found = _own_shelf(request, shelf_id)
    entries = found.entries.in_order().shown_to(request.user)
    page = paginate(request, entries, ENTRIES_PER_PAGE)
    shown = [entry.work_id for entry in page["page_obj"] if entry.work_shown]
    works = Work.objects.with_blurb_data().in_bulk(shown)
    rows = [(entry, works.get(entry.work_id)) for entry in page["page_obj"]]
    readable = found.readable_works(request.user).aggregate(
        works=Count("pk"), words=Sum("word_count")
    )
    words = readable["words"] or 0
    context = {
        **page,
        "shelf": found,
        "rows": rows,
        "places": places_of(request.user, shown),
        "count": page["page_obj"].paginator.count,
        "readable_count": readable["works"],
        "words": words,
        "too_big": words > settings.SHELF_DOWNLOAD_MAX_WORDS,
        "most_words": settings.SHELF_DOWNLOAD_MAX_WORDS,
    }
    return render(request, "social/shelf.html", context)


@login_required
def edit(request: AuthedRequest, shelf_id: int) -> HttpResponse:
    found = _own_shelf(request, shelf_id)
    initial = {"name": found.name, "description": found.description}
    form = ShelfForm(posted_data(request), initial=initial)
    if form.is_valid():
        try:
            actions.update_shelf(request.user, found, form.details())
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Shelf saved."))
            return redirect(found)
    context = {"shelf": found, "form": form}
    return render(request, "social/shelf_form.html", context, status=status_of(form))


@require_POST
@login_required
def delete(request: AuthedRequest, shelf_id: int) -> HttpResponse:
    found = _own_shelf(request, shelf_id)
    actions.delete_shelf(request.user, found)
    messages.success(
        request,
        _("Shelf “%(name)s” deleted; its works and your bookmarks of them are still there.")
        % {"name": found.name},
    )
    return redirect("social:shelves")


def _place(request: AuthedRequest) -> int | None:
    """The place a move asks for: `to`, or one up or down from `from` (the buttons)."""
    if "up" in request.POST or "down" in request.POST:
        form = MoveForm({"to": request.POST.get("from", "")})
        if not form.is_valid():
            return None
        step = -1 if "up" in request.POST else 1
        return max(1, int(form.cleaned_data["to"]) + step)
    form = MoveForm(request.POST)
    return int(form.cleaned_data["to"]) if form.is_valid() else None


@require_POST
@login_required
def move(request: AuthedRequest, shelf_id: int) -> HttpResponse:
    """The shelf to another place among the reader's shelves."""
    found = _own_shelf(request, shelf_id)
    to = _place(request)
    if to is None:
        messages.error(request, _("Give the place as a whole number from 1."))
    else:
        actions.move_shelf(request.user, found, to)
    return redirect("social:shelves")


def _back_to(request: AuthedRequest, found: Shelf) -> HttpResponse:
    page = request.POST.get("page", "")
    response = redirect(found)
    if page.isdigit() and page != "1":
        response["Location"] += f"?page={page}"
    return response


@require_POST
@login_required
def move_work(request: AuthedRequest, shelf_id: int, work_id: int) -> HttpResponse:
    """A work to another place on the shelf: up, down, or to a numbered place."""
    found = _own_shelf(request, shelf_id)
    to = _place(request)
    if to is None:
        messages.error(request, _("Give the place as a whole number from 1."))
        return _back_to(request, found)
    try:
        actions.move_on_shelf(request.user, found, work_id, to)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back_to(request, found)


@require_POST
@login_required
def remove_work(request: AuthedRequest, shelf_id: int, work_id: int) -> HttpResponse:
    found = _own_shelf(request, shelf_id)
    if actions.remove_from_shelf(request.user, found, work_id):
        messages.success(request, _("Taken off “%(name)s”.") % {"name": found.name})
    return _back_to(request, found)


@login_required
def shelve(request: AuthedRequest, work_id: int) -> HttpResponse:
    """Which of the reader's shelves hold a work: ticked ones keep it, a new one can be made."""
    work = readable_work(request, work_id)
    holding = list(Shelf.objects.of_user(request.user).filter(entries__work=work))
    form = ShelveForm(request.user, posted_data(request), initial={"shelves": holding})
    if form.is_valid():
        chosen = [found.pk for found in form.cleaned_data["shelves"]]
        new_name = form.cleaned_data["new_shelf"].strip()
        try:
            with transaction.atomic():
                if new_name:
                    made = actions.create_shelf(request.user, actions.ShelfDetails(new_name))
                    chosen.append(made.pk)
                joined, left = actions.set_shelves_of(request.user, work, chosen)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "name" in exc.error_dict:
                exc = ValidationError({"new_shelf": exc.error_dict["name"]})
            add_action_errors(form, exc)
        else:
            if joined:
                messages.success(request, _("Put on %(names)s.") % {"names": _quoted(joined)})
            if left:
                messages.success(request, _("Taken off %(names)s.") % {"names": _quoted(left)})
            return redirect(work)
    context = {"work": work, "form": form, "holding": holding}
    return render(request, "social/shelve.html", context, status=status_of(form))


def _quoted(names: list[str]) -> str:
    return ", ".join(f"“{name}”" for name in names)
