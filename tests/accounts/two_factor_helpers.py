"""Second factors for tests: an authenticator app's current code, and a software passkey that
signs as a browser's authenticator would (ES256, "none" attestation)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from webauthn.helpers.cose import COSEAlgorithmIdentifier

from ficarchive.accounts.models import User
from tests.conftest import PASSWORD

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:two_factor_verify")


def code_of(device: TOTPDevice, *, later: int = 0) -> str:
    """The code DEVICE's app shows now (or LATER steps of 30 seconds from now)."""
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + later)
    return f"{code:06d}"


def with_app(user: User) -> TOTPDevice:
    """USER with an authenticator app in use."""
    device: TOTPDevice = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return device


def password_step(client: Client, user: User, **extra: str) -> Any:
    return client.post(LOGIN, {"username": user.username, "password": PASSWORD, **extra})


def logged_in_as(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _cbor(value: Any) -> bytes:
    """The little CBOR a "none" attestation and a COSE key need."""

    def head(major: int, n: int) -> bytes:
        if n < 24:
            return bytes([major << 5 | n])
        if n < 256:
            return bytes([major << 5 | 24, n])
        return bytes([major << 5 | 25]) + n.to_bytes(2, "big")

    if isinstance(value, int):
        return head(0, value) if value >= 0 else head(1, -1 - value)
    if isinstance(value, bytes):
        return head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode()
        return head(3, len(raw)) + raw
    if isinstance(value, dict):
        return head(5, len(value)) + b"".join(_cbor(k) + _cbor(v) for k, v in value.items())
    raise TypeError(value)


@dataclass
class SoftPasskey:
    """One credential, answering a site's options as an authenticator does."""

    origin: str = "http://testserver"
    rp_id: str = "testserver"
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    credential_id: bytes = field(default_factory=lambda: os.urandom(32))
    count: int = 0

    def _client_data(self, kind: str, challenge: str) -> bytes:
        data = {"type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": False}
        return json.dumps(data).encode()

    def _auth_data(self, flags: int, attested: bytes = b"") -> bytes:
        self.count += 1
        rp_hash = hashlib.sha256(self.rp_id.encode()).digest()
        return rp_hash + bytes([flags]) + self.count.to_bytes(4, "big") + attested

    def create(self, options: dict[str, Any]) -> str:
        numbers = self.key.public_key().public_numbers()
        cose = {1: 2, 3: int(COSEAlgorithmIdentifier.ECDSA_SHA_256), -1: 1,
                -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}  # fmt: skip
        attested = bytes(16) + len(self.credential_id).to_bytes(2, "big") + self.credential_id
        auth_data = self._auth_data(0x45, attested + _cbor(cose))  # UP, UV, AT
        attestation = _cbor({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return json.dumps(
            {
                "id": b64(self.credential_id),
                "rawId": b64(self.credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": b64(
                        self._client_data("webauthn.create", options["challenge"])
                    ),
                    "attestationObject": b64(attestation),
                },
                "clientExtensionResults": {},
            }
        )

    def get(self, options: dict[str, Any]) -> str:
        client_data = self._client_data("webauthn.get", options["challenge"])
        auth_data = self._auth_data(0x05)  # UP, UV
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = self.key.sign(signed, ec.ECDSA(hashes.SHA256()))
        return json.dumps(
            {
                "id": b64(self.credential_id),
                "rawId": b64(self.credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": b64(client_data),
                    "authenticatorData": b64(auth_data),
                    "signature": b64(signature),
                    "userHandle": None,
                },
                "clientExtensionResults": {},
            }
        )


def add_passkey(client: Client, passkey: SoftPasskey, name: str = "My phone") -> Any:
    """Add PASSKEY to the account CLIENT is logged in as, through the preferences pages."""
    options = client.post(reverse("accounts:two_factor_passkey_options")).json()
    return client.post(
        reverse("accounts:two_factor_passkey_add"),
        {"name": name, "credential": passkey.create(options)},
    )


def sign_with_passkey(client: Client, passkey: SoftPasskey) -> Any:
    """Answer the pending sign-in's second step with PASSKEY."""
    options = client.post(reverse("accounts:two_factor_verify_passkey_options")).json()
    return client.post(
        reverse("accounts:two_factor_verify_passkey"), {"credential": passkey.get(options)}
    )
