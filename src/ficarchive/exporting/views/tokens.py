"""The feeds page: the catalog's address, and the reader's feed token to make or revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.exporting import actions
from ficarchive.exporting.models import FeedToken


def _page(request: AuthedRequest, status: int = 200, error: str = "") -> HttpResponse:
    found = FeedToken.objects.active().of(request.user).first()
    addresses = {}
    if found is not None:
        addresses = {
            "opds": reverse("exporting:opds_root_token", args=[found.token]),
            "opds2": reverse("exporting:opds2_root_token", args=[found.token]),
            "atom": reverse("exporting:atom_personal", args=[found.token]),
        }
    context = {
        "token": found,
        "catalog": request.build_absolute_uri(reverse("exporting:opds_root")),
        "catalog2": request.build_absolute_uri(reverse("exporting:opds2_root")),
        "addresses": {name: request.build_absolute_uri(path) for name, path in addresses.items()},
        "error": error,
    }
    return render(request, "exporting/feeds.html", context, status=status)


@login_required
def feeds(request: AuthedRequest) -> HttpResponse:
    return _page(request)


@require_POST
@login_required
def new_token(request: AuthedRequest) -> HttpResponse:
    actions.create_feed_token(request.user)
    messages.success(request, _("Your new feed token is ready; the old one no longer works."))
    return redirect("exporting:feeds")


@require_POST
@login_required
def revoke_token(request: AuthedRequest) -> HttpResponse:
    try:
        actions.revoke_feed_token(request.user)
    except ValidationError as exc:
        return _page(request, status=400, error=" ".join(exc.messages))
    messages.success(request, _("Your feed token is revoked; apps that used it get nothing more."))
    return redirect("exporting:feeds")
