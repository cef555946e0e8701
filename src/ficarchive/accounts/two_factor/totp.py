"""The authenticator app: its secret as text and as a QR code, and checking its codes.

A code is taken once: a right code moves the device's `last_t` (the last time step used) in a
conditional update, so that the same code sent twice, even at the same moment, passes once.
"""

from __future__ import annotations

import base64
import re
import time

import segno
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

CODE = re.compile(r"^\d{6}$")


def normalize_code(given: str) -> str:
    """A code as people type it ("123 456", "123-456") without its spaces and dashes."""
    return re.sub(r"[\s-]", "", given or "")


def secret_of(device: TOTPDevice) -> str:
    """The device's secret in base32, as authenticator apps take it typed in, in groups of 4."""
    text = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth address as an inline SVG QR code (drawn here: no outside service sees it)."""
    qr = segno.make(device.config_url, error="m")
    svg: str = qr.svg_inline(scale=4, dark="#000", light="#fff", border=4)
    return svg


def take_code(device: TOTPDevice, code: str) -> bool:
    """Whether CODE is the device's current code and was not taken before; takes it."""
    code = normalize_code(code)
    if not CODE.match(code):
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(int(code), device.tolerance, device.last_t + 1):
        return False
    step = totp.t()
    taken = TOTPDevice.objects.filter(pk=device.pk, last_t__lt=step).update(
        last_t=step, last_used_at=timezone.now()
    )
    if taken:
        device.last_t = step
    return bool(taken)
