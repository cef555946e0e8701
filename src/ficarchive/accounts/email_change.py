"""Changing an account's email address: the new address confirms by a mailed link.

The form asks the password; the link is signed (no table), names the account, the new address
and the address it replaces, so it works once (after the change, the old address no longer
matches) and for EMAIL_CHANGE_LINK_HOURS. A banned address is refused when asked and again when
confirmed. Whether another account has the new address is never said on the page: the link
simply does not change anything then, and says so to whoever holds that mailbox.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ficarchive.accounts.models import User
from ficarchive.moderation.actions.invitations import refuse_banned_address

SALT = "ficarchive.accounts.email_change"
BAD_LINK = _("This link does not work: it was used already, or it expired. Ask for a new one.")
TAKEN = _("The address could not be changed: another account has it.")


def request_email_change(user: User, email: str, password: str) -> None:
    """Mail a link to EMAIL that makes it USER's address. ValidationError on "password" or
    "email" (a banned address is named)."""
    if not user.check_password(password):
        raise ValidationError({"password": [gettext("That is not your password.")]})
    address = email.strip()
    try:
        validate_email(address)
    except ValidationError:
        refusal = gettext("%(email)s is not an email address.") % {"email": repr(email)}
        raise ValidationError({"email": [refusal]}) from None
    if address.lower() == user.email.lower():
        raise ValidationError({"email": [gettext("That is your address already.")]})
    refuse_banned_address(address)
    token = signing.dumps({"u": user.pk, "e": address, "o": user.email}, salt=SALT)
    link = settings.SITE_URL + reverse("accounts:email_change_confirm", args=[token])
    context = {"user": user, "link": link, "SITE_NAME": settings.SITE_NAME}
    subject = " ".join(render_to_string("accounts/email/email_change_subject.txt", context).split())
    send_mail(
        subject, render_to_string("accounts/email/email_change.txt", context), None, [address]
    )


def confirm_email_change(token: str) -> User:
    """Make the link's new address its account's; ValidationError when the link is bad, used,
    expired, or the address is banned or taken meanwhile."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.EMAIL_CHANGE_LINK_HOURS * 3600)
    except signing.BadSignature:
        raise ValidationError(BAD_LINK) from None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=data["u"], is_active=True).first()
        if user is None or user.email != data["o"]:
            raise ValidationError(BAD_LINK)
        refuse_banned_address(data["e"])
        if User.objects.filter(email__iexact=data["e"]).exclude(pk=user.pk).exists():
            raise ValidationError(TAKEN)
        user.email = data["e"]
        user.save(update_fields=["email"])
    return user
