"""Bookmarking works and series; a user's bookmarks and a work's bookmarks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.pages import paginate
from ficarchive.social import actions
from ficarchive.social.forms import BookmarkForm
from ficarchive.social.models import Bookmark
from ficarchive.social.views.common import owner, readable_work
from ficarchive.works.forms import add_action_errors
from ficarchive.works.models import Series, Work
from ficarchive.works.views.posting import posted_data, status_of


def _initial(bookmark: Bookmark | None) -> dict[str, object]:
    if bookmark is None:
        return {}
    return {
        "notes": bookmark.notes,
        "tags": ", ".join(bookmark.tags),
        "is_private": bookmark.is_private,
        "is_rec": bookmark.is_rec,
    }


def _bookmark_form(
    request: AuthedRequest, *, work: Work | None = None, series: Series | None = None
) -> HttpResponse:
    target = work or series
    mine = Bookmark.objects.filter(user=request.user, work=work, series=series).first()
    form = BookmarkForm(posted_data(request), initial=_initial(mine))
    if form.is_valid():
        try:
            actions.save_bookmark(request.user, form.details(), work=work, series=series)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Bookmark saved."))
            return redirect("social:user_bookmarks", request.user.username)
    context = {"form": form, "target": target, "bookmark": mine}
    return render(request, "social/bookmark_form.html", context, status=status_of(form))


@login_required
def bookmark_work(request: AuthedRequest, work_id: int) -> HttpResponse:
    return _bookmark_form(request, work=readable_work(request, work_id))


@login_required
def bookmark_series(request: AuthedRequest, series_id: int) -> HttpResponse:
    series = get_object_or_404(Series, pk=series_id)
    if not series.parts_visible_to(request.user).exists():
        raise Http404("No such series.")
    return _bookmark_form(request, series=series)


def _shown_bookmark(request: HttpRequest, bookmark_id: int) -> Bookmark:
    """A bookmark the reader may see; someone else's private bookmark is a 404."""
    return get_object_or_404(Bookmark.objects.shown_to(request.user).for_listing(), pk=bookmark_id)


def bookmark(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    found = _shown_bookmark(request, bookmark_id)
    return render(request, "social/bookmark.html", {"bookmark": found})


@require_POST
@login_required
def delete(request: AuthedRequest, bookmark_id: int) -> HttpResponse:
    found = _shown_bookmark(request, bookmark_id)
    if found.user_id != request.user.pk:
        raise PermissionDenied("This bookmark is not yours.")
    actions.delete_bookmark(request.user, found)
    messages.success(request, _("Bookmark deleted."))
    return redirect("social:user_bookmarks", request.user.username)


def user_bookmarks(request: HttpRequest, username: str) -> HttpResponse:
    """A user's bookmarks: all of them for the user, the public ones for everyone else."""
    person = owner(username)
    found = Bookmark.objects.of_user(person).shown_to(request.user).for_listing()
    context = {"owner": person, **paginate(request, found)}
    return render(request, "social/user_bookmarks.html", context)


def work_bookmarks(request: HttpRequest, work_id: int) -> HttpResponse:
    """Readers' public bookmarks of a work."""
    work = readable_work(request, work_id)
    found = (
        Bookmark.objects.filter(work=work, is_private=False).shown_to(request.user).for_listing()
    )
    context = {"work": work, **paginate(request, found)}
    return render(request, "social/work_bookmarks.html", context)
