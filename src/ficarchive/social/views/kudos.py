"""Kudos on a work, and the favorites (works given kudos) of a user."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ficarchive.pages import paginate
from ficarchive.social import actions, panels
from ficarchive.social.models.kudos import favorite_works, favorites_filtered_out
from ficarchive.social.views.common import is_htmx, owner, readable_work

GUEST_COOKIE_AGE = 365 * 24 * 3600


@require_POST
def give(request: HttpRequest, work_id: int) -> HttpResponse:
    """Leave kudos; guests get a signed anonymous token so they can leave it only once."""
    work = readable_work(request, work_id)
    token = panels.guest_token(request) or secrets.token_urlsafe(18)
    error = ""
    try:
        actions.give_kudos(request.user, work, guest_token=token)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if is_htmx(request):
        work = readable_work(request, work_id)  # with its new count
        context = panels.kudos_context(request, work, editable=False) | {"kudos_error": error}
        if not error:  # a new guest's token is not in this request's cookies yet
            context |= {"kudos_given": True, "can_give_kudos": False}
        response = render(request, "social/_kudos.html", context)
        response.write(panels.counters_update(request, work))
    else:
        (messages.error if error else messages.success)(
            request, error or "Thank you for leaving kudos!"
        )
        response = redirect(work)
    if not request.user.is_authenticated:
        response.set_signed_cookie(
            panels.GUEST_COOKIE,
            token,
            salt=panels.GUEST_SALT,
            max_age=GUEST_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
        )
    return response


def favorites(request: HttpRequest, username: str) -> HttpResponse:
    """The works a user left kudos on, as the reader may see them."""
    person = owner(username)
    works = favorite_works(person, request.user)
    context = {
        "owner": person,
        "filtered_out": favorites_filtered_out(person, request.user),
        **paginate(request, works),
    }
    return render(request, "social/favorites.html", context)
