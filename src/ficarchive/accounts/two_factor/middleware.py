"""Keeping an account that must use a second factor, and has none, on the set-up pages."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from ficarchive.accounts.two_factor import devices


class TwoFactorRequiredMiddleware:
    """While the site switch "Require two-factor sign-in for moderators, wranglers and admins"
    is on, such an account without a second factor reaches only the two-factor pages and
    logging out. API tokens and feed tokens do not log anyone in: they are not concerned."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.allowed: tuple[str, ...] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and devices.must_set_up(user):
            if self.allowed is None:
                self.allowed = (reverse("accounts:two_factor"), reverse("accounts:logout"))
            if not request.path.startswith(self.allowed):
                return redirect("accounts:two_factor")
        return self.get_response(request)
