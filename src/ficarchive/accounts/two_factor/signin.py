"""The pending sign-in: after the right password, before the second factor.

An account with a second factor is not logged in by its password. The session keeps, for
TWO_FACTOR_PENDING_SECONDS, whose password it was, the backend that checked it and where to go
next; the second step logs the account in (Django's `login`, which rotates the session key, as
a sign-in without a second factor does). Each code or passkey tried counts against the log-in
failure limits of the account and of the address until it succeeds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import auth
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ficarchive.accounts import login_limits
from ficarchive.accounts.models import User
from ficarchive.accounts.two_factor import actions, devices, passkeys, totp

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

PENDING_KEY = "two_factor_pending"


@dataclass(frozen=True)
class Pending:
    user: User
    backend: str
    next_url: str


def begin(request: HttpRequest, user: AbstractBaseUser, next_url: str) -> None:
    """Keep USER's right password in the session until the second factor is given."""
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]),
        "since": time.time(),
        "next": next_url,
        "hash": user.get_session_auth_hash(),
    }


def pending(request: HttpRequest) -> Pending | None:
    """The sign-in waiting for its second factor, if it has not expired (an expired one is
    forgotten)."""
    kept: Any = request.session.get(PENDING_KEY)
    if not isinstance(kept, dict):
        return None
    age = time.time() - float(kept.get("since", 0))
    user = User.objects.filter(pk=int(kept.get("user", 0)), is_active=True).first()
    if (
        not 0 <= age <= settings.TWO_FACTOR_PENDING_SECONDS
        or user is None
        or user.get_session_auth_hash() != kept.get("hash")  # the password changed meanwhile
    ):
        forget(request)
        return None
    return Pending(user, str(kept.get("backend")), str(kept.get("next") or "/"))


def forget(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


def finish(request: HttpRequest, sign_in: Pending) -> str:
    """Log the pending account in; returns where to go next."""
    forget(request)
    auth.login(request, sign_in.user, backend=sign_in.backend)
    return sign_in.next_url


def check_code(request: HttpRequest, sign_in: Pending, code: str, *, backup: bool) -> None:
    """Take CODE (the app's, or with BACKUP a backup code) as the pending account's second
    factor; ValidationError, counted as a failed log-in, when it is wrong or used."""
    attempts = login_limits.count_attempt(request, sign_in.user.username)
    if backup:
        right = actions.take_backup_code(sign_in.user, code)
        refusal = _("That backup code is wrong or was used already.")
    else:
        device = devices.totp_device(sign_in.user)
        right = device is not None and totp.take_code(device, code)
        refusal = _("That code is wrong or was used already; wait for the next one.")
    if not right:
        raise ValidationError(refusal, code="wrong_code")
    login_limits.succeeded(attempts)


def check_passkey(request: HttpRequest, sign_in: Pending, credential: str) -> None:
    """Take a passkey's signature as the pending account's second factor; ValidationError,
    counted as a failed log-in, when it does not check out."""
    attempts = login_limits.count_attempt(request, sign_in.user.username)
    try:
        passkey, sign_count = passkeys.verified_passkey(request, sign_in.user, credential)
    except passkeys.PasskeyRefused as exc:
        raise ValidationError(str(exc), code="wrong_passkey") from None
    actions.note_passkey_use(passkey, sign_count)
    login_limits.succeeded(attempts)
