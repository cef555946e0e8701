"""Two-factor sign-in in a browser: a reader sets up an authenticator app (QR code, secret, a
first code, backup codes) and a passkey (Chromium's virtual authenticator), then logs in once
with a code from the app and once with the passkey. Each two-factor page is seen in light and
dark at 1280 and 390 px (the `page` fixture checks every control's contrast).

The live server answers on http://localhost:PORT: browsers take `localhost` as a secure
context, and refuse IP addresses as WebAuthn relying party ids.

Screenshots go to FICARCHIVE_SCREENSHOTS when it names a directory (else the test's own
temporary directory)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.accounts.two_factor_helpers import code_of
from tests.browser.screens import each_width, screenshots_dir
from tests.conftest import PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def virtual_authenticator(page: Any) -> tuple[Any, str]:
    """A passkey authenticator inside Chromium that always verifies its user."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def log_in_with_password(page: Any, username: str) -> None:
    page.goto("/login?next=/works")
    page.get_by_label("User name or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()


def log_out(page: Any) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_a_reader_signs_in_with_an_app_code_and_with_a_passkey(page, live_server, tmp_path):
    assert urlsplit(live_server.url).hostname == "localhost"
    alice = make_user("alice")
    shots = screenshots_dir(tmp_path)
    cdp, authenticator = virtual_authenticator(page)

    # Without a second factor the password logs in at once.
    log_in_with_password(page, "alice")
    expect(page).to_have_url(f"{live_server.url}/works")
    page.goto("/preferences")
    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.get_by_text("Two-factor sign-in is off.")).to_be_visible()
    for _ in each_width(page, shots, "two-factor-off"):
        pass

    # The app: a QR code and the secret, then a first code turns it on.
    page.get_by_role("button", name="Add an authenticator app").click()
    expect(page.locator("figure.qr svg")).to_be_visible()
    secret = page.locator("code.secret").inner_text()
    assert len(secret.replace(" ", "")) == 32
    for _ in each_width(page, shots, "two-factor-app"):
        pass
    device = TOTPDevice.objects.get(user=alice)
    page.get_by_label("Code from your authenticator app").fill(code_of(device))
    page.get_by_role("button", name="Confirm and turn on").click()
    expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
    expect(page.locator(".backup-codes li")).to_have_count(10)
    for _ in each_width(page, shots, "two-factor-backup-codes"):
        pass
    page.get_by_role("link", name="I have saved them").click()
    expect(page.get_by_text("You have 10 backup codes left.")).to_be_visible()

    # A passkey, made by the browser's (virtual) authenticator.
    page.get_by_label("Name of the new passkey").fill("Laptop")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_text("Your passkey is added.")).to_be_visible()
    expect(page.get_by_role("cell", name="Laptop", exact=True)).to_be_visible()
    made = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(made["credentials"]) == 1
    for _ in each_width(page, shots, "two-factor-on"):
        pass
    log_out(page)

    # The password alone is not enough now: the second step asks for a code or the passkey.
    log_in_with_password(page, "alice")
    expect(page.get_by_role("heading", name="Second factor")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    for _ in each_width(page, shots, "two-factor-verify"):
        pass
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page.get_by_text("That code is wrong or was used already")).to_be_visible()
    page.get_by_label("Code from your authenticator app").fill(code_of(device, later=1))
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/works")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    log_out(page)

    # And with the passkey.
    log_in_with_password(page, "alice")
    page.get_by_role("button", name="Use a passkey").click()
    expect(page).to_have_url(f"{live_server.url}/works")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert alice.passkeys.get().last_used is not None

    # The backup code page, for the screenshots.
    log_out(page)
    log_in_with_password(page, "alice")
    page.get_by_role("link", name="Use a backup code").click()
    expect(page.get_by_label("Backup code")).to_be_visible()
    for _ in each_width(page, shots, "two-factor-backup"):
        pass
