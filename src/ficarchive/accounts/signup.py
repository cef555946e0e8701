"""Signing up without telling anyone which email addresses have accounts.

The sign-up page answers every valid form the same way: "check your email". A new address gets
a link that confirms it and opens the account; an address that already has an account gets a
note saying so, with links to log in and to reset the password, exactly as the reset form tells
only the mailbox. Both paths hash the password, so neither answers faster than the other.
User names stay public (each has a profile page), so a taken name is still said on the page.

While sign-ups are by invitation, a sign-up needs an unused invitation's code (from the link
`/signup?invitation=CODE`); the confirmation link carries the code, and confirming uses the
invitation in the transaction that opens the account, so one code opens one account. A banned
address (`moderation.actions.invitations.is_banned_address`) is refused, naming it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from ficarchive.accounts.actions import check_new_account, create_user
from ficarchive.accounts.models import User
from ficarchive.moderation.actions.invitations import (
    check_invitation,
    refuse_banned_address,
    use_invitation,
)
from ficarchive.moderation.switches import current, require_signups

NEEDS_INVITATION = _("Sign-ups are by invitation now: confirming needs the invitation's link.")


def sign_up(username: str, email: str, password: str, invitation: str = "") -> User | None:
    """Make an inactive account and mail its confirmation link, or, when EMAIL already has an
    account, mail that account's owner instead and make nothing. Raises ValidationError for a
    bad or taken user name, a weak password, a banned address and (by invitation) a bad or
    used INVITATION code, and SwitchedOff while sign-ups are closed, or by invitation without
    a code (see the site switches)."""
    require_signups(invited=bool(invitation))
    if current().by_invitation:
        check_invitation(invitation)
    else:
        invitation = ""
    refuse_banned_address(email)
    check_new_account(username, email, password)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        make_password(password)  # the same work as the other path: no answer comes faster
        if is_pending(existing):
            _send_confirmation(existing, invitation)  # a second try before confirming: a fresh link
        else:
            _mail(existing.email, "already", {"user": existing, "login": _link("accounts:login")})
        return None
    with transaction.atomic():
        user = create_user(username, email, password)
        user.is_active = False
        user.save(update_fields=["is_active"])
    _send_confirmation(user, invitation)  # after the commit above: the link opens a saved account
    return user


def is_pending(user: User) -> bool:
    """Signed up but never confirmed: inactive and never logged in (a deactivated account has
    logged in, or was made by the archive's own setup)."""
    return not user.is_active and user.last_login is None


def _send_confirmation(user: User, invitation: str = "") -> None:
    token = default_token_generator.make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = _link("accounts:signup_confirm", uidb64=uid, token=token)
    if invitation:
        link += f"?{urlencode({'invitation': invitation})}"
    _mail(user.email, "confirm", {"user": user, "link": link})


def confirm_sign_up(uidb64: str, token: str, invitation: str = "") -> User | None:
    """The account the link opens, now active, or None when the link is not (or no longer)
    good. With an INVITATION code, the invitation is used in the same transaction; a used or
    unknown code, or none while sign-ups are by invitation, raises ValidationError."""
    try:
        user = User.objects.get(pk=int(urlsafe_base64_decode(uidb64).decode()))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    if not is_pending(user) or not default_token_generator.check_token(user, token):
        return None
    with transaction.atomic():
        if invitation:
            use_invitation(invitation, user)
        elif current().by_invitation:
            raise ValidationError({"invitation": [NEEDS_INVITATION]})
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def _link(name: str, **kwargs: str) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs or None)


def _mail(address: str, kind: str, context: dict[str, object]) -> None:
    context = {**context, "SITE_NAME": settings.SITE_NAME, "site_url": settings.SITE_URL}
    subject = " ".join(
        render_to_string(f"accounts/email/signup_{kind}_subject.txt", context).split()
    )
    body = render_to_string(f"accounts/email/signup_{kind}.txt", context)
    send_mail(subject, body, None, [address])
