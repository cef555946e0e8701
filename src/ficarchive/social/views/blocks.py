"""Blocking and muting other accounts, and the lists of them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ficarchive.accounts import actions as account_actions
from ficarchive.accounts.models import Block, Mute, User
from ficarchive.accounts.requests import AuthedRequest
from ficarchive.pages import paginate
from ficarchive.social.views.common import owner
from ficarchive.works.forms import add_action_errors
from ficarchive.works.views.posting import posted_data, status_of

VERBS = {
    "block": (account_actions.block_user, "You blocked {}: they cannot comment on, reply to or "
              "leave kudos on your works and comments."),
    "unblock": (account_actions.unblock_user, "You unblocked {}."),
    "mute": (account_actions.mute_user, "You muted {}: their works and comments are hidden "
             "from you."),
    "unmute": (account_actions.unmute_user, "You unmuted {}."),
}  # fmt: skip


@require_POST
@login_required
def change(request: AuthedRequest, username: str, verb: str) -> HttpResponse:
    """Block, unblock, mute or unmute the account."""
    if verb not in VERBS:
        raise Http404("No such change.")
    person = owner(username)
    action, done = VERBS[verb]
    try:
        action(request.user, person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done.format(person.username))
    return redirect("social:blocked" if verb.endswith("block") else "social:muted")


class PersonForm(forms.Form):
    username = forms.CharField(label="User name", max_length=40)

    def clean_username(self) -> User:
        found = User.objects.filter(username__iexact=self.cleaned_data["username"]).first()
        if found is None:
            raise forms.ValidationError("There is no account with that user name.")
        return found


def _list_page(request: AuthedRequest, kind: str, found: QuerySet[Any]) -> HttpResponse:
    """The accounts the user blocks (or mutes); POST username adds one."""
    form = PersonForm(posted_data(request))
    if form.is_valid():
        try:
            VERBS[kind][0](request.user, form.cleaned_data["username"])
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, VERBS[kind][1].format(form.cleaned_data["username"]))
            return redirect("social:muted" if kind == "mute" else "social:blocked")
    context = {**paginate(request, found), "kind": kind, "form": form}
    return render(request, "social/blocked.html", context, status=status_of(form))


@login_required
def blocked(request: AuthedRequest) -> HttpResponse:
    found = Block.objects.filter(blocker=request.user).select_related("blocked")
    return _list_page(request, "block", found)


@login_required
def muted(request: AuthedRequest) -> HttpResponse:
    found = Mute.objects.filter(muter=request.user).select_related("muted")
    return _list_page(request, "mute", found)
