"""Subscriptions (following works, series and creators) and the inbox."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.pages import paginate
from ficarchive.social import actions
from ficarchive.social.forms import InboxForm, NewCommentForm, SubscribeForm
from ficarchive.social.models import InboxItem, Subscription
from ficarchive.social.places import places_of
from ficarchive.social.views.common import owner, readable_work
from ficarchive.works.models import Series


def _subscribe(request: AuthedRequest, **target: Any) -> None:
    form = SubscribeForm(request.POST)
    form.is_valid()
    try:
        actions.subscribe(request.user, email=form.cleaned_data.get("email", False), **target)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Subscribed: new posts will reach your inbox."))


@require_POST
@login_required
def subscribe_work(request: AuthedRequest, work_id: int) -> HttpResponse:
    work = readable_work(request, work_id)
    _subscribe(request, work=work)
    return redirect(work)


@require_POST
@login_required
def subscribe_series(request: AuthedRequest, series_id: int) -> HttpResponse:
    series = get_object_or_404(Series, pk=series_id)
    _subscribe(request, series=series)
    return redirect(series)


@require_POST
@login_required
def subscribe_user(request: AuthedRequest, username: str) -> HttpResponse:
    person = owner(username)
    _subscribe(request, creator=person)
    return redirect(person)


@require_POST
@login_required
def unsubscribe(request: AuthedRequest, subscription_id: int) -> HttpResponse:
    found = get_object_or_404(Subscription.objects.filter(user=request.user), pk=subscription_id)
    actions.unsubscribe(request.user, found)
    messages.success(request, _("Unsubscribed."))
    return redirect("social:subscriptions")


@require_POST
@login_required
def subscription_email(request: AuthedRequest, subscription_id: int) -> HttpResponse:
    """Turn one subscription's emails on (POST email=on) or off; the inbox hears either way."""
    found = get_object_or_404(Subscription.objects.filter(user=request.user), pk=subscription_id)
    form = SubscribeForm(request.POST)
    form.is_valid()
    wanted = bool(form.cleaned_data.get("email", False))
    actions.set_subscription_email(request.user, found, wanted)
    messages.success(
        request, "Emails on: updates also reach your email." if wanted else "Emails off."
    )
    return redirect("social:subscriptions")


@login_required
def subscriptions(request: AuthedRequest) -> HttpResponse:
    found = Subscription.objects.filter(user=request.user).for_listing()
    page = paginate(request, found)
    shown = list(page["page_obj"])
    places = places_of(request.user, [s.work_id for s in shown if s.work_id])
    for subscription in shown:
        subscription.place = places.get(subscription.work_id or 0)  # type: ignore[attr-defined]
    return render(request, "social/subscriptions.html", page)


@login_required
def inbox(request: AuthedRequest) -> HttpResponse:
    """The user's own inbox, newest first; check items to mark them read or delete them."""
    actions.recount_unread(request.user)
    items = InboxItem.objects.of(request.user).for_listing().with_work_shown(request.user)
    if request.GET.get("filter") == "unread":
        items = items.unread()
    context = {**paginate(request, items), "reply_form": NewCommentForm(guest=False)}
    return render(request, "social/inbox.html", context)


@require_POST
@login_required
def update_inbox(request: AuthedRequest) -> HttpResponse:
    form = InboxForm(request.user, request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose at least one message and what to do with it."))
        return redirect("social:inbox")
    ids = [item.pk for item in form.cleaned_data["items"]]
    verb = form.cleaned_data["action"]
    if verb == "delete":
        actions.delete_inbox_items(request.user, ids)
    else:
        actions.mark_inbox_items(request.user, ids, read=verb == "read")
    messages.success(request, _("Your inbox is updated."))
    return redirect("social:inbox")
