"""Reading an account's second factors, and whether the site obliges it to have one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ficarchive.accounts.two_factor.models import Passkey
from ficarchive.moderation import switches
from ficarchive.moderation.models.roles import ROLE_PERMISSIONS, Role

if TYPE_CHECKING:
    from ficarchive.accounts.models import User

BACKUP_DEVICE = "backup codes"
# The roles whose holders the site switch obliges to use a second factor (archivists only
# import works for others: they keep the choice, as every reader does).
STAFF_ROLES = (Role.POLICY_ABUSE, Role.TAG_WRANGLER, Role.SUPPORT)
STAFF_PERMISSIONS = frozenset(name for role in STAFF_ROLES for name in ROLE_PERMISSIONS[role])


def totp_device(user: User) -> TOTPDevice | None:
    """The account's confirmed authenticator app, if any."""
    found: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return found


def unconfirmed_totp(user: User) -> TOTPDevice | None:
    """The authenticator app being set up (shown as a QR code, not yet confirmed by a code)."""
    found: TOTPDevice | None = (
        TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    )
    return found


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def has_backup_codes(user: User) -> bool:
    return StaticDevice.objects.filter(user=user, confirmed=True).exists()


def has_second_factor(user: Any) -> bool:
    """Whether signing in as USER asks for a second factor: a confirmed authenticator app or a
    passkey. Backup codes alone are no second factor (they only stand in for one)."""
    if user is None or not getattr(user, "pk", None):
        return False
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or Passkey.objects.filter(user=user).exists()
    )


def is_staff_account(user: User) -> bool:
    """Whether USER has moderation, wrangling or admin rights."""
    if user.is_superuser or user.is_staff:
        return True
    return bool(STAFF_PERMISSIONS & user.get_all_permissions())


def required_for(user: User) -> bool:
    """Whether the site switch obliges USER to use a second factor (whether or not they have
    one). Ordinary readers are answered without a query (their lack of permissions comes with
    the session's user); only staff accounts read the switches, at most once a second."""
    return is_staff_account(user) and switches.current().two_factor_for_staff


def must_set_up(user: User) -> bool:
    """Whether USER must set up a second factor before using any other page."""
    return required_for(user) and not has_second_factor(user)
