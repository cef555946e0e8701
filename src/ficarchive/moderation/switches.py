"""Reading the site switches, and refusing what a switch has turned off.

`current()` answers from this process's memory when it read the switches less than a second ago,
else from the database (one query by primary key), so every process of every machine follows a
change within a second without a cache service: a busy process reads the row once a second.

A refusal is `SwitchedOff`, a PermissionDenied with the switch's message: pages answer 403 with
the message, the API answers 403 with the error code "switched_off".
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Literal, TypeVar

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext, gettext_noop

from ficarchive.moderation.models import SignupMode, SiteSwitches

KEPT_SECONDS = 1.0

Switch = Literal["guest_comments", "downloads", "imports", "new_works"]

# In English; a refusal says its message in the reader's language (`gettext` at the refusal).
OFF_MESSAGES: dict[str, str] = {
    "guest_comments": gettext_noop("Guest comments are off; log in to comment."),
    "downloads": gettext_noop("Downloads are switched off on this archive for now."),
    "imports": gettext_noop("Importing works is switched off on this archive for now."),
    "new_works": gettext_noop(
        "Posting new works is switched off on this archive for now; "
        "you can still add chapters to your posted works."
    ),
}
SIGNUP_MESSAGES: dict[str, str] = {
    SignupMode.CLOSED: gettext_noop("Sign-ups are closed on this archive for now."),
    SignupMode.INVITATION: gettext_noop("Sign-ups are by invitation only: ask for an invitation."),
}


@dataclass(frozen=True)
class Switches:
    signups: str = SignupMode.OPEN
    guest_comments: bool = True
    downloads: bool = True
    imports: bool = True
    new_works: bool = True
    two_factor_for_staff: bool = False

    @classmethod
    def of(cls, row: SiteSwitches) -> Switches:
        return cls(
            signups=row.signups,
            guest_comments=row.guest_comments,
            downloads=row.downloads,
            imports=row.imports,
            new_works=row.new_works,
            two_factor_for_staff=row.two_factor_for_staff,
        )

    def refusal(self, switch: Switch) -> str:
        """The message when SWITCH is off (in the reader's language), "" when it is on."""
        return "" if getattr(self, switch) else gettext(OFF_MESSAGES[switch])

    @property
    def downloads_message(self) -> str:
        return gettext(OFF_MESSAGES["downloads"])

    @property
    def signup_refusal(self) -> str:
        """Why nobody may sign up now: "" when sign-ups are open or by invitation (then the
        sign-up needs an invitation, see `by_invitation`)."""
        return gettext(SIGNUP_MESSAGES[self.signups]) if self.signups == SignupMode.CLOSED else ""

    @property
    def by_invitation(self) -> bool:
        return self.signups == SignupMode.INVITATION


class SwitchedOff(PermissionDenied):
    """Refused because a superadmin turned this off for the whole archive."""

    def __init__(self, switch: str, message: str) -> None:
        super().__init__(message)
        self.switch = switch
        self.message = message


_kept: tuple[float, Switches] | None = None


def read() -> Switches:
    """The switches as the database holds them now (everything on when never saved)."""
    row = SiteSwitches.objects.filter(pk=SiteSwitches.ROW).first()
    return Switches() if row is None else Switches.of(row)


def current() -> Switches:
    """The switches in force: read at most once a second per process."""
    global _kept
    now = time.monotonic()
    kept = _kept
    if kept is not None and 0 <= now - kept[0] < KEPT_SECONDS:
        return kept[1]
    switches = read()
    _kept = (now, switches)
    return switches


def forget() -> None:
    """Read the database on the next call of `current()` (after a change in this process)."""
    global _kept
    _kept = None


def require(*switches: Switch) -> None:
    """Raise SwitchedOff for the first of SWITCHES that is off."""
    now = current()
    for switch in switches:
        refusal = now.refusal(switch)
        if refusal:
            raise SwitchedOff(switch, refusal)


def require_signups(*, invited: bool = False) -> None:
    """Raise SwitchedOff while sign-ups are closed, or by invitation and not INVITED."""
    now = current()
    refusal = now.signup_refusal
    if not refusal and now.by_invitation and not invited:
        refusal = gettext(SIGNUP_MESSAGES[SignupMode.INVITATION])
    if refusal:
        raise SwitchedOff("signups", refusal)


View = TypeVar("View", bound=Callable[..., Any])


def switch_required(*switches: Switch) -> Callable[[View], View]:
    """A view decorator: the view answers 403 with the message while one of SWITCHES is off."""

    def decorate(view: View) -> View:
        @wraps(view)
        def checked(request: Any, *args: Any, **kwargs: Any) -> Any:
            require(*switches)
            return view(request, *args, **kwargs)

        return checked  # type: ignore[return-value]

    return decorate
