"""Request types for views, so type checkers know who is asking."""

from __future__ import annotations

from django.http import HttpRequest

from ficarchive.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request behind `login_required`: its user is an account, never anonymous."""

    user: User
