"""An account's standing: whether it may write now. Moderation sets it (suspensions, bans,
warnings, through `moderation.actions`); every write path asks `require_good_standing` first.

The standing lives on the user row, so asking costs no query.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils import dateformat, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User


BANNED = _("This account is banned.")


class AccountSuspended(PermissionDenied):
    """Refused because moderators suspended (or banned) the account. Pages answer 403 with the
    message; the API answers 403 with the code "suspended"."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_suspended(user: User | AnonymousUser) -> bool:
    until = getattr(user, "suspended_until", None)
    return until is not None and until > timezone.now()


def suspension_message(user: User) -> str:
    until = user.suspended_until
    if until is None:
        return ""
    when = dateformat.format(timezone.localtime(until), "d F Y, H:i T")
    if user.suspension_reason:
        return gettext(
            "Your account is suspended until %(when)s: you may read but not post. "
            "Reason: %(reason)s"
        ) % {"when": when, "reason": user.suspension_reason}
    return gettext("Your account is suspended until %(when)s: you may read but not post.") % {
        "when": when
    }


def refusal_to_write(user: User | AnonymousUser) -> str:
    """Why USER may not write now ("" when they may): for hiding forms, at no query."""
    if not user.is_authenticated:
        return ""
    if not user.is_active:
        return str(BANNED)
    if is_suspended(user):
        return suspension_message(user)  # type: ignore[arg-type]
    return ""


def require_good_standing(user: User | AnonymousUser) -> None:
    """Raise AccountSuspended when USER may not write now (suspended, or banned: not active).
    Guests pass here; whether a guest may do the thing is the caller's rule."""
    refusal = refusal_to_write(user)
    if refusal:
        raise AccountSuspended(refusal)


def good_standing_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """A view decorator: a suspended or banned user gets the 403 page with the reason instead
    of a form they could not send."""

    @wraps(view)
    def checked(request: Any, *args: Any, **kwargs: Any) -> Any:
        require_good_standing(request.user)
        return view(request, *args, **kwargs)

    return checked
