"""Saved searches: saving one from the search page, the reader's list, changing and deleting
them; a tag page opens through the reader's default search."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.search import saved_actions as actions
from ficarchive.search.saved import Alert, SavedSearch


def _refusal(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@require_POST
@login_required
def save(request: AuthedRequest) -> HttpResponse:
    query = request.POST.get("query", "")
    try:
        saved = actions.save_search(
            request.user, request.POST.get("name", ""), query, request.POST.get("alert", "none")
        )
    except ValidationError as exc:
        messages.error(request, _("The search was not saved: %(why)s") % {"why": _refusal(exc)})
        return redirect(f"{reverse('search:works')}?{QueryDict(query).urlencode()}")
    messages.success(request, _("Saved the search “%(name)s”.") % {"name": saved.name})
    return redirect("search:saved")


@login_required
def saved_searches(request: AuthedRequest) -> HttpResponse:
    found = SavedSearch.objects.filter(user=request.user)
    context = {"searches": found, "alerts": Alert.choices, "most": actions.MAX_SAVED}
    return render(request, "search/saved.html", context)


@require_POST
@login_required
def update(request: AuthedRequest, search_id: int) -> HttpResponse:
    saved = get_object_or_404(SavedSearch.objects.filter(user=request.user), pk=search_id)
    try:
        actions.update_search(
            request.user,
            saved,
            name=request.POST.get("name", ""),
            alert=request.POST.get("alert", "none"),
            tag_default=request.POST.get("tag_default") == "on",
        )
    except ValidationError as exc:
        messages.error(request, _("Nothing was changed: %(why)s") % {"why": _refusal(exc)})
    else:
        messages.success(request, _("Saved the changes to “%(name)s”.") % {"name": saved.name})
    return redirect("search:saved")


@require_POST
@login_required
def delete(request: AuthedRequest, search_id: int) -> HttpResponse:
    saved = get_object_or_404(SavedSearch.objects.filter(user=request.user), pk=search_id)
    actions.delete_search(request.user, saved)
    messages.success(request, _("Deleted the saved search “%(name)s”.") % {"name": saved.name})
    return redirect("search:saved")
