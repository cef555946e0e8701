from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.accounts.standing import good_standing_required
from ficarchive.pages import paginate
from ficarchive.works import actions
from ficarchive.works.forms import (
    PickForm,
    SeriesAddForm,
    SeriesEditForm,
    SeriesForm,
    add_action_errors,
)
from ficarchive.works.models import Series, Work
from ficarchive.works.views.posting import (
    editable_work,
    posted_data,
    status_of,
)


def detail(request: HttpRequest, series_id: int) -> HttpResponse:
    """A series and its parts the reader may see, in order.

    A series with no part the reader may see is a 404, except to its own creators.
    """
    visible = Series.objects.visible_to(request.user).prefetch_related("creators__user")
    series = get_object_or_404(visible, pk=series_id)
    parts = (
        series.parts_listed_for(request.user)
        .select_related(None)
        .prefetch_related(Prefetch("work", queryset=Work.objects.with_blurb_data()))
    )
    page = paginate(request, parts)
    context = {
        **page,
        "series": series,
        "parts": page["page_obj"],
        "editable": series.is_editable_by(request.user),
    }
    return render(request, "works/series_detail.html", context)


@login_required
@good_standing_required
def add_work(request: AuthedRequest, work_id: int) -> HttpResponse:
    """Put a work into one of the user's series (or a new one) at a position, or take it out."""
    work = editable_work(request, work_id)
    if request.method == "POST" and "pick" in request.POST:
        return _remove_part(request, work)
    form = SeriesAddForm(request.user, work, posted_data(request))
    if form.is_valid():
        try:
            with transaction.atomic():
                series = form.cleaned_data["series"] or actions.create_series(
                    request.user, form.cleaned_data["new_series"]
                )
                part = actions.add_work_to_series(
                    request.user, work, series, form.cleaned_data["position"]
                )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("The work is part %(position)s of “%(title)s”.")
                % {"position": part.position, "title": series.title},
            )
            return redirect("works:series_add", work.pk)
    parts = work.series_parts.select_related("series").order_by("series__title")
    context = {"form": form, "work": work, "parts": parts}
    return render(request, "works/series_add.html", context, status=status_of(form))


def _remove_part(request: AuthedRequest, work: Work) -> HttpResponse:
    pick = PickForm(work.series_parts.select_related("series"), request.POST)
    if not pick.is_valid():
        raise Http404("This work is not part of that series.")
    part = pick.cleaned_data["pick"]
    actions.remove_work_from_series(request.user, part)
    messages.success(
        request, _("The work is no longer part of “%(title)s”.") % {"title": part.series.title}
    )
    return redirect("works:series_add", work.pk)


@login_required
@good_standing_required
def new(request: AuthedRequest) -> HttpResponse:
    form = SeriesForm(posted_data(request))
    if form.is_valid():
        try:
            series = actions.create_series(request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request, _("Series “%(title)s” created; add works to it.") % {"title": series.title}
            )
            return redirect(reverse("accounts:user_series", args=[request.user.get_username()]))
    return render(request, "works/series_form.html", {"form": form}, status=status_of(form))


@login_required
@good_standing_required
def edit(request: AuthedRequest, series_id: int) -> HttpResponse:
    series = get_object_or_404(Series, pk=series_id)
    if not series.is_editable_by(request.user):
        raise PermissionDenied("Only the series' creators may change it.")
    form = SeriesEditForm(posted_data(request), series=series)
    if form.is_valid():
        try:
            actions.update_series(request.user, series, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
            series.refresh_from_db()
        else:
            messages.success(request, _("Series saved."))
            return redirect("works:series_edit", series.pk)
    context = {"form": form, "series": series}
    return render(request, "works/series_form.html", context, status=status_of(form))
