"""The site switches page, for superadmins."""

from __future__ import annotations

from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.moderation import actions, switches
from ficarchive.moderation.forms import SwitchesForm
from ficarchive.works.forms import add_action_errors
from ficarchive.works.views.posting import posted_data, status_of


@login_required
def site_switches(request: AuthedRequest) -> HttpResponse:
    if not actions.may_change_switches(request.user):
        raise PermissionDenied(_("Only superadmins may change the site switches."))
    form = SwitchesForm(posted_data(request), initial=asdict(switches.read()))
    if form.is_valid():
        try:
            actions.change_switches(request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request, _("Site switches saved; every server follows within a second.")
            )
            return redirect("moderation:switches")
    return render(request, "moderation/switches.html", {"form": form}, status=status_of(form))
