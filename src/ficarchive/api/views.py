"""The tokens page: a reader's personal access tokens for the API, made and revoked here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.api import actions
from ficarchive.api.forms import TokenForm
from ficarchive.api.models import AccessToken
from ficarchive.works.forms import add_action_errors
from ficarchive.works.views.posting import posted_data, status_of


@login_required
def tokens(request: AuthedRequest) -> HttpResponse:
    """The user's tokens, and a form for a new one; a new key is shown on this answer only."""
    form = TokenForm(posted_data(request))
    key = ""
    if form.is_valid():
        try:
            _, key = actions.create_access_token(
                request.user, form.cleaned_data["name"], form.cleaned_data["scope"]
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            form = TokenForm()
    context = {
        "form": form,
        "key": key,
        "tokens": AccessToken.objects.of(request.user).filter(revoked_at__isnull=True),
        "docs": request.build_absolute_uri(reverse("api:openapi-view")),
        "api_root": request.build_absolute_uri("/api/v1/"),
    }
    response = render(request, "api/tokens.html", context, status=status_of(form))
    if key:
        response["Cache-Control"] = "no-store"  # the key must not stay in any cache
    return response


@require_POST
@login_required
def revoke(request: AuthedRequest, token_id: int) -> HttpResponse:
    found = get_object_or_404(AccessToken.objects.of(request.user), pk=token_id)
    actions.revoke_access_token(request.user, found)
    revoked = gettext("The token “%(name)s” is revoked; apps that used it stop.")
    messages.success(request, revoked % {"name": found.name})
    return redirect("tokens:list")
