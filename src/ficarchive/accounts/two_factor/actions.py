"""Two-factor writes: adding and removing second factors, and taking a code at sign-in.

Removing a second factor or turning two-factor sign-in off asks for the account's password.
An account the site switch obliges to use a second factor cannot remove its last one. Each
change is mailed to the account's address after it commits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ficarchive.accounts.two_factor import devices, totp
from ficarchive.accounts.two_factor.models import MAX_NAME, Passkey

if TYPE_CHECKING:
    from ficarchive.accounts.models import User

BACKUP_CODES = 10


def _check_password(user: User, password: str) -> None:
    if not user.check_password(password or ""):
        raise ValidationError({"password": [_("That is not your password.")]})


def _keep_one(user: User, *, app: bool = False, passkey: Passkey | None = None) -> None:
    """Refuse to remove the last second factor (the app if APP, else PASSKEY, else all) of an
    account the site switch obliges to have one."""
    if not devices.required_for(user):
        return
    everything = not app and passkey is None
    app_left = not (app or everything) and devices.totp_device(user) is not None
    other_passkeys = Passkey.objects.filter(user=user)
    if passkey is not None:
        other_passkeys = other_passkeys.exclude(pk=passkey.pk)
    if everything or not (app_left or other_passkeys.exists()):
        raise ValidationError(
            _(
                "Accounts with moderation, wrangling or admin rights must keep a second factor "
                "on this archive: add another before you remove this one."
            )
        )


def _tell(user: User, change: str) -> None:
    """Mail USER that CHANGE (a sentence) happened to their sign-in, after the commit."""
    context = {"user": user, "change": change, "SITE_NAME": settings.SITE_NAME}
    context["link"] = settings.SITE_URL + reverse("accounts:two_factor")
    language = getattr(user, "language", "") or translation.get_language()

    def send() -> None:
        with translation.override(language):
            subject = render_to_string("accounts/email/two_factor_subject.txt", context)
            body = render_to_string("accounts/email/two_factor_changed.txt", context)
        send_mail(" ".join(subject.split()), body, None, [user.email], fail_silently=True)

    transaction.on_commit(send)


# --- the authenticator app -----------------------------------------------------------------


def start_totp(user: User) -> TOTPDevice:
    """A new secret for an authenticator app, not in use until `confirm_totp`."""
    if devices.totp_device(user) is not None:
        raise ValidationError(
            _("You have an authenticator app already; remove it first to use another.")
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device: TOTPDevice = TOTPDevice.objects.create(
            user=user, name=_("Authenticator app"), confirmed=False
        )
    return device


def confirm_totp(user: User, device: TOTPDevice, code: str) -> TOTPDevice:
    """Put the authenticator app in use once it shows CODE."""
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied(_("That authenticator app is not being set up by you."))
    if not totp.take_code(device, code):
        raise ValidationError(
            {"code": [_("That code is not the one your app shows now; try the next one.")]}
        )
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        _tell(user, _("An authenticator app was added to your account."))
    return device


def remove_totp(user: User, password: str) -> None:
    _check_password(user, password)
    if devices.totp_device(user) is None:
        raise ValidationError(_("You have no authenticator app to remove."))
    _keep_one(user, app=True)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        _tell(user, _("The authenticator app was removed from your account."))


# --- backup codes ----------------------------------------------------------------------------


def make_backup_codes(user: User) -> list[str]:
    """BACKUP_CODES new one-time codes; the old ones stop working. Shown once: only their
    count is read again."""
    codes = [StaticToken.random_token() for _n in range(BACKUP_CODES)]
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=devices.BACKUP_DEVICE, confirmed=True)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
        _tell(user, _("New backup codes were made for your account; the old ones stop working."))
    return codes


def take_backup_code(user: User, code: str) -> bool:
    """Whether CODE is one of USER's unused backup codes; it is used up (once, even if sent
    twice at the same moment)."""
    given = totp.normalize_code(code).lower()
    if not given:
        return False
    taken, _counts = StaticToken.objects.filter(
        device__user=user, device__confirmed=True, token=given
    ).delete()
    return taken == 1


# --- passkeys ----------------------------------------------------------------------------------


def add_passkey(
    user: User, name: str, credential_id: str, public_key: bytes, sign_count: int
) -> Passkey:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Name the passkey, say for the device it is on.")]})
    if len(name) > MAX_NAME:
        raise ValidationError(
            {"name": [_("Name the passkey in %(max)d characters at most.") % {"max": MAX_NAME}]}
        )
    if Passkey.objects.filter(credential_id=credential_id).exists():
        raise ValidationError(_("That passkey is added already."))
    with transaction.atomic():
        passkey = Passkey.objects.create(
            user=user,
            name=name,
            credential_id=credential_id,
            public_key=public_key,
            sign_count=sign_count,
        )
        _tell(user, _("A passkey named “%(name)s” was added to your account.") % {"name": name})
    return passkey


def note_passkey_use(passkey: Passkey, sign_count: int) -> None:
    Passkey.objects.filter(pk=passkey.pk).update(sign_count=sign_count, last_used=timezone.now())


def remove_passkey(user: User, passkey: Passkey, password: str) -> None:
    if passkey.user_id != user.pk:
        raise PermissionDenied(_("That passkey is not yours."))
    _check_password(user, password)
    _keep_one(user, passkey=passkey)
    with transaction.atomic():
        passkey.delete()
        _tell(
            user,
            _("The passkey named “%(name)s” was removed from your account.")
            % {"name": passkey.name},
        )


# --- all of it ---------------------------------------------------------------------------------


def turn_off(user: User, password: str) -> None:
    """Remove every second factor and the backup codes: the password alone signs in again."""
    _check_password(user, password)
    _keep_one(user)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        Passkey.objects.filter(user=user).delete()
        _tell(user, _("Two-factor sign-in was turned off for your account."))
