"""Moderation pages, one module per concern."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def back_to(request: HttpRequest, given: str, fallback: str) -> str:
    """Where an action goes back to: GIVEN (a form's `next`) when it is an address on this
    site, else FALLBACK; never another site."""
    safe = url_has_allowed_host_and_scheme(
        given, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return given if given and safe and given.startswith("/") else fallback
