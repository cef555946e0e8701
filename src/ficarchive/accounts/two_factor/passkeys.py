"""Passkeys (WebAuthn): the options a browser needs and checking what it answers.

The relying party is the archive as the browser reaches it: its id is the request's host name
without the port (which Django has already checked against ALLOWED_HOSTS), its origin the
scheme and host of the request (https behind SECURE_PROXY_SSL_HEADER). Browsers refuse IP
addresses as relying party ids; `localhost` is a secure context without HTTPS.

A challenge lives in the session until it is answered once.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from ficarchive.accounts.two_factor.models import Passkey

if TYPE_CHECKING:
    from ficarchive.accounts.models import User

CHALLENGE_KEY = "two_factor_passkey_challenge"
TIMEOUT_MS = 120_000


class PasskeyRefused(Exception):
    """What the browser sent is no valid answer to our challenge (said in the message)."""


def rp_id(request: HttpRequest) -> str:
    host = request.get_host()
    if host.startswith("["):  # an IPv6 address, which no browser takes as an id anyway
        return host.partition("]")[0] + "]"
    return host.rpartition(":")[0] if ":" in host else host


def origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def user_handle(user: User) -> bytes:
    """The account's WebAuthn user id: stable, and telling nothing about the account."""
    return salted_hmac("ficarchive.two_factor.user_handle", str(user.pk)).digest()


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    ids = Passkey.objects.of(user).values_list("credential_id", flat=True)
    return [PublicKeyCredentialDescriptor(id=base64url_to_bytes(cid)) for cid in ids]


def _keep_challenge(session: SessionBase, purpose: str, challenge: bytes) -> None:
    session[CHALLENGE_KEY] = {"purpose": purpose, "challenge": bytes_to_base64url(challenge)}


def _take_challenge(session: SessionBase, purpose: str) -> bytes:
    kept = session.pop(CHALLENGE_KEY, None)
    if not kept or kept.get("purpose") != purpose:
        raise PasskeyRefused(_("No passkey request is open here; start again."))
    return base64url_to_bytes(kept["challenge"])


def registration_options(request: HttpRequest, user: User) -> str:
    """JSON for navigator.credentials.create(), for USER to add a passkey."""
    options = generate_registration_options(
        rp_id=rp_id(request),
        rp_name=settings.SITE_NAME,
        user_name=user.username,
        user_id=user_handle(user),
        timeout=TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=_descriptors(user),
    )
    _keep_challenge(request.session, "register", options.challenge)
    return options_to_json(options)


def verified_registration(request: HttpRequest, credential: Any) -> tuple[str, bytes, int]:
    """The new credential's id (base64url), public key and sign count; PasskeyRefused when
    CREDENTIAL does not answer this session's challenge for this site."""
    challenge = _take_challenge(request.session, "register")
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id(request),
            expected_origin=origin(request),
        )
    except (InvalidRegistrationResponse, ValueError, TypeError, KeyError) as exc:
        raise PasskeyRefused(_("The passkey was not made for this site.")) from exc
    return (
        bytes_to_base64url(verified.credential_id),
        verified.credential_public_key,
        verified.sign_count,
    )


def authentication_options(request: HttpRequest, user: User) -> str:
    """JSON for navigator.credentials.get(), offering USER's passkeys."""
    options = generate_authentication_options(
        rp_id=rp_id(request),
        timeout=TIMEOUT_MS,
        allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    _keep_challenge(request.session, "sign_in", options.challenge)
    return options_to_json(options)


def verified_passkey(request: HttpRequest, user: User, credential: Any) -> tuple[Passkey, int]:
    """USER's passkey that signed this session's challenge, and its new sign count;
    PasskeyRefused otherwise."""
    challenge = _take_challenge(request.session, "sign_in")
    if isinstance(credential, str):
        try:
            credential = json.loads(credential)
        except ValueError:
            raise PasskeyRefused(_("The passkey's answer is not JSON.")) from None
    if not isinstance(credential, dict):
        raise PasskeyRefused(_("The passkey's answer is not a credential."))
    passkey = Passkey.objects.filter(user=user, credential_id=str(credential.get("id", ""))).first()
    if passkey is None:
        raise PasskeyRefused(_("That passkey is not one of this account's."))
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id(request),
            expected_origin=origin(request),
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
        )
    except (InvalidAuthenticationResponse, ValueError, TypeError, KeyError) as exc:
        raise PasskeyRefused(_("The passkey's signature does not check out.")) from exc
    return passkey, verified.new_sign_count
