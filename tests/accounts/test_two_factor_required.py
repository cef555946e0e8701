"""The site switch "Require two-factor sign-in for moderators, wranglers and admins": such an
account without a second factor sets one up right after its password, before any other page;
readers are not concerned, and tokens keep working."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ficarchive.accounts.two_factor import actions
from ficarchive.accounts.two_factor.devices import is_staff_account
from ficarchive.api.actions import create_access_token
from ficarchive.exporting.actions import create_feed_token
from ficarchive.moderation.actions import change_switches
from ficarchive.moderation.models import Role
from tests.accounts.two_factor_helpers import (
    VERIFY,
    SoftPasskey,
    add_passkey,
    code_of,
    logged_in_as,
    password_step,
    with_app,
)
from tests.conftest import PASSWORD, logged_in
from tests.moderation.holders import holder

SETUP = reverse("accounts:two_factor")


@pytest.fixture
def required(ada):
    change_switches(ada, two_factor_for_staff=True)


@pytest.fixture
def wrangler(db):
    return holder(Role.TAG_WRANGLER)


def test_who_counts_as_staff(ada, alice, wrangler):
    assert is_staff_account(ada)
    assert is_staff_account(wrangler)
    assert is_staff_account(holder(Role.POLICY_ABUSE))
    assert is_staff_account(holder(Role.SUPPORT))
    assert not is_staff_account(holder(Role.ARCHIVIST))
    assert not is_staff_account(alice)


def test_a_wrangler_without_a_second_factor_must_set_one_up_first(client, wrangler, required):
    response = password_step(client, wrangler, next="/works")
    assert response.url == SETUP
    page = client.get(SETUP).content.decode()
    assert "This archive asks accounts with moderation, wrangling or admin rights" in page
    for address in ("/", "/works", reverse("accounts:preferences"), "/wrangling"):
        assert client.get(address).url == SETUP
    client.post(reverse("accounts:two_factor_app"), {"start": "1"})
    assert client.get(reverse("accounts:two_factor_app")).status_code == 200
    # Once the app is set up, every page opens again.
    device = wrangler.totpdevice_set.get()
    client.post(reverse("accounts:two_factor_app"), {"code": code_of(device)})
    assert client.get("/works").status_code == 200
    assert client.get(reverse("accounts:preferences")).status_code == 200


def test_a_session_from_before_the_switch_is_kept_to_the_set_up_too(ada, wrangler):
    client = logged_in(wrangler)
    assert client.get("/works").status_code == 200
    change_switches(ada, two_factor_for_staff=True)
    assert client.get("/works").url == SETUP


def test_such_an_account_may_log_out(client, wrangler, required):
    password_step(client, wrangler)
    response = client.post(reverse("accounts:logout"))
    assert response.url == reverse("home")
    assert logged_in_as(client) is None


def test_the_switch_concerns_neither_readers_nor_staff_when_off(client, alice, wrangler, ada):
    change_switches(ada, two_factor_for_staff=True)
    assert password_step(client, alice, next="/works").url == "/works"
    change_switches(ada, two_factor_for_staff=False)
    other = Client()
    assert password_step(other, wrangler, next="/works").url == "/works"
    assert other.get("/works").status_code == 200


def test_a_staff_account_with_a_passkey_signs_in_with_it(client, wrangler, required):
    add_passkey(logged_in(wrangler), SoftPasskey())
    assert password_step(client, wrangler).url == VERIFY
    assert logged_in_as(client) is None


def test_the_last_second_factor_cannot_be_removed_while_required(wrangler, required):
    with_app(wrangler)
    client = logged_in(wrangler)
    for address in (reverse("accounts:two_factor_app_remove"), reverse("accounts:two_factor_off")):
        response = client.post(address, {"password": PASSWORD})
        assert response.status_code == 400
        assert "must keep a second factor" in response.content.decode()
    assert wrangler.totpdevice_set.filter(confirmed=True).exists()
    # With a passkey beside it, the app may go.
    add_passkey(client, SoftPasskey())
    actions.remove_totp(wrangler, PASSWORD)
    assert not wrangler.totpdevice_set.exists()


def test_tokens_of_such_an_account_keep_working(client, wrangler, required):
    _, key = create_access_token(wrangler, "Tool", "read")
    me = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/me")
    assert me.status_code == 200
    feed = create_feed_token(wrangler).token
    assert client.get(f"/feeds/personal/{feed}.atom").status_code == 200


def test_a_superadmin_turns_the_switch_on_in_the_switches_page(ada):
    client = logged_in(ada)
    form = {
        "signups": "open",
        "guest_comments": "on",
        "downloads": "on",
        "imports": "on",
        "new_works": "on",
        "two_factor_for_staff": "on",
    }
    page = client.get("/moderation/switches").content.decode()
    assert "Require two-factor sign-in for moderators, wranglers and admins" in page
    assert client.post("/moderation/switches", form).status_code == 302
    # Ada herself is an admin without a second factor: she is sent to set one up.
    assert client.get("/moderation/switches").url == SETUP
