"""The log-in failure limits, per account name and per address, shared by the password and the
second factor of two-factor sign-in (and by apps' HTTP Basic credentials, which use the form).

Each attempt is counted as a failure first and given back if it succeeds, so that concurrent
attempts cannot all pass the limit before any of them is counted (see `ficarchive.ratelimit`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import ngettext

from ficarchive.ratelimit import Hit, count_hit, uncount_hit


def failure_limits(request: HttpRequest | None, username: str) -> list[tuple[str, int]]:
    """Failed log-ins are counted per account name and per address, each with its limit."""
    address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    return [
        (f"login-failures:name:{username.casefold()}", settings.LOGIN_FAILURE_LIMIT),
        (f"login-failures:address:{address}", settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS),
    ]


def count_attempt(request: HttpRequest | None, username: str) -> list[Hit]:
    """Count one attempt as a failure; ValidationError (code "too_many_failures", nothing
    counted) when a limit is already reached. Give the hits back with `succeeded`."""
    window = settings.LOGIN_FAILURE_WINDOW
    attempts = [
        count_hit(key, limit=limit, window=window)
        for key, limit in failure_limits(request, username)
    ]
    over = [attempt for attempt in attempts if not attempt.allowed]
    if over:
        succeeded(attempts)
        minutes = -(-max(attempt.retry_after for attempt in over) // 60)
        raise ValidationError(
            ngettext(
                "Too many failed log-ins; try again in %(minutes)d minute, or reset your password.",
                "Too many failed log-ins; try again in %(minutes)d minutes, or reset your "
                "password.",
                minutes,
            )
            % {"minutes": minutes},
            code="too_many_failures",
        )
    return attempts


def succeeded(attempts: list[Hit]) -> None:
    """Give back the attempts counted by `count_attempt`: they were no failure."""
    for attempt in attempts:
        uncount_hit(attempt)
