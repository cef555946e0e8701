"""Setting up two-factor sign-in in preferences: an authenticator app confirmed by a first code,
backup codes shown once, passkeys named and listed; each removal asks for the password, and
nobody touches another account's second factors."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ficarchive.accounts.two_factor import actions
from ficarchive.accounts.two_factor.devices import has_second_factor
from tests.accounts.two_factor_helpers import SoftPasskey, add_passkey, code_of, with_app
from tests.conftest import PASSWORD, logged_in

PAGE = reverse("accounts:two_factor")
APP = reverse("accounts:two_factor_app")
BACKUP = reverse("accounts:two_factor_backup")
OFF = reverse("accounts:two_factor_off")


def test_preferences_link_to_the_two_factor_page(alice_client):
    assert PAGE in alice_client.get(reverse("accounts:preferences")).content.decode()
    page = alice_client.get(PAGE).content.decode()
    assert "Two-factor sign-in is off." in page
    assert "Add an authenticator app" in page
    assert "Add a passkey" in page


def test_guests_are_sent_to_log_in(client, db):
    for address in (PAGE, APP, OFF):
        response = client.get(address)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    assert client.post(BACKUP).status_code == 302
    assert not StaticToken.objects.exists()


def test_an_app_is_set_up_with_a_qr_code_and_confirmed_by_a_first_code(
    alice, alice_client, django_capture_on_commit_callbacks
):
    assert alice_client.get(APP).url == PAGE  # nothing to show before a secret is asked for
    assert not TOTPDevice.objects.exists()
    assert alice_client.post(APP, {"start": "1"}).url == APP
    page = alice_client.get(APP).content.decode()
    assert "<svg" in page  # the QR code, drawn in the page
    device = TOTPDevice.objects.get(user=alice)
    assert not device.confirmed
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page)
    assert secret is not None and len(secret.group(1).replace(" ", "")) == 32
    assert not has_second_factor(alice)  # not before the first code
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(APP, {"code": code_of(device)})
    assert response.status_code == 200  # the backup codes, shown once
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert has_second_factor(alice)
    assert sorted(codes) == sorted(StaticToken.objects.values_list("token", flat=True))
    assert "An authenticator app was added to your account." in mail.outbox[0].body
    assert mail.outbox[0].to == ["alice@example.org"]
    page = alice_client.get(PAGE).content.decode()
    assert "Two-factor sign-in is on." in page
    assert "You have 10 backup codes left." in page
    assert codes[0] not in page  # shown once only


def test_a_wrong_first_code_turns_nothing_on(alice, alice_client):
    alice_client.post(APP, {"start": "1"})
    device = TOTPDevice.objects.get(user=alice)
    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"
    response = alice_client.post(APP, {"code": wrong})
    assert response.status_code == 400
    assert "That code is not the one your app shows now" in response.content.decode()
    assert not has_second_factor(alice)
    # The same secret stays on the page to try again, and the right code then works.
    assert alice_client.post(APP, {"code": code_of(device)}).status_code == 200
    assert has_second_factor(alice)


def test_a_second_app_is_refused_while_one_is_in_use(alice, alice_client):
    with_app(alice)
    response = alice_client.post(APP, {"start": "1"})
    assert response.url == PAGE
    assert "You have an authenticator app already" in alice_client.get(PAGE).content.decode()
    assert TOTPDevice.objects.filter(user=alice).count() == 1


def test_new_backup_codes_replace_the_old_ones(alice, alice_client):
    old = actions.make_backup_codes(alice)
    response = alice_client.post(BACKUP)
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(new) == 10
    assert not set(old) & set(StaticToken.objects.values_list("token", flat=True))
    assert actions.take_backup_code(alice, new[0])
    assert not actions.take_backup_code(alice, old[0])
    assert "You have 9 backup codes left." in alice_client.get(PAGE).content.decode()


def test_removing_the_app_asks_for_the_password(
    alice, alice_client, django_capture_on_commit_callbacks
):
    with_app(alice)
    remove = reverse("accounts:two_factor_app_remove")
    response = alice_client.post(remove, {"password": "not it"})
    assert response.status_code == 400
    assert "That is not your password." in response.content.decode()
    assert has_second_factor(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(remove, {"password": PASSWORD})
    assert response.url == PAGE
    assert not has_second_factor(alice)
    assert "The authenticator app was removed" in mail.outbox[-1].body


def test_a_passkey_is_added_named_listed_and_removed(
    alice, alice_client, django_capture_on_commit_callbacks
):
    response = add_passkey(alice_client, SoftPasskey(), name="Blue key")
    assert response.status_code == 302
    page = alice_client.get(PAGE).content.decode()
    assert "Blue key" in page
    assert "never" in page  # not used yet
    passkey = alice.passkeys.get()
    remove = reverse("accounts:two_factor_passkey_remove", args=[passkey.pk])
    assert alice_client.post(remove, {"password": "wrong"}).status_code == 400
    assert alice.passkeys.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert alice_client.post(remove, {"password": PASSWORD}).status_code == 302
    assert not alice.passkeys.exists()
    assert "“Blue key” was removed" in mail.outbox[-1].body


def test_a_passkey_without_a_name_or_an_answer_is_refused(alice, alice_client):
    response = add_passkey(alice_client, SoftPasskey(), name="")
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    response = alice_client.post(
        reverse("accounts:two_factor_passkey_add"), {"name": "Phone", "credential": ""}
    )
    assert response.status_code == 400
    assert "Your browser made no passkey" in response.content.decode()
    assert not alice.passkeys.exists()


def test_a_passkey_made_for_another_site_is_refused(alice, alice_client):
    response = add_passkey(alice_client, SoftPasskey(origin="http://evil.example"))
    assert response.status_code == 400
    assert "The passkey was not made for this site." in response.content.decode()
    assert not alice.passkeys.exists()


def test_turning_off_removes_everything_after_the_password(
    alice, alice_client, django_capture_on_commit_callbacks
):
    with_app(alice)
    actions.make_backup_codes(alice)
    add_passkey(alice_client, SoftPasskey())
    assert alice_client.post(OFF, {"password": "nope"}).status_code == 400
    assert has_second_factor(alice)
    with django_capture_on_commit_callbacks(execute=True):
        assert alice_client.post(OFF, {"password": PASSWORD}).url == PAGE
    assert not has_second_factor(alice)
    assert not StaticToken.objects.exists()
    assert "Two-factor sign-in was turned off" in mail.outbox[-1].body


def test_another_user_cannot_remove_your_second_factors(alice, bob):
    with_app(alice)
    add_passkey(logged_in(alice), SoftPasskey())
    passkey = alice.passkeys.get()
    bob_client = logged_in(bob)
    remove = reverse("accounts:two_factor_passkey_remove", args=[passkey.pk])
    assert bob_client.post(remove, {"password": PASSWORD}).status_code == 404
    assert bob_client.get(remove).status_code == 404
    # Bob's own pages act on Bob only.
    assert bob_client.post(OFF, {"password": PASSWORD}).status_code == 302
    assert bob_client.post(reverse("accounts:two_factor_app_remove")).status_code == 404
    assert alice.passkeys.exists()
    assert TOTPDevice.objects.filter(user=alice, confirmed=True).exists()


def test_forged_posts_are_refused(alice):
    with_app(alice)
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    for address in (OFF, reverse("accounts:two_factor_app_remove"), BACKUP):
        assert client.post(address, {"password": PASSWORD}).status_code == 403
    assert client.post(reverse("accounts:two_factor_passkey_options")).status_code == 403
    assert has_second_factor(alice)
    assert not StaticToken.objects.exists()


def test_passkey_options_only_answer_a_post(alice_client):
    assert alice_client.get(reverse("accounts:two_factor_passkey_options")).status_code == 405
    options = alice_client.post(reverse("accounts:two_factor_passkey_options")).json()
    assert options["rp"]["id"] == "testserver"
    assert options["user"]["name"] == "alice"


def test_a_superadmin_sees_second_factors_without_secrets_and_may_remove_one(ada_client, alice):
    device = with_app(alice)
    add_passkey(logged_in(alice), SoftPasskey(), name="Blue key")
    listing = ada_client.get("/admin/otp_totp/totpdevice/").content.decode()
    assert "alice" in listing
    page = ada_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in page
    assert "qrcode" not in page
    assert ada_client.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    assert "Blue key" in ada_client.get("/admin/two_factor/passkey/").content.decode()
    passkey = alice.passkeys.get()
    delete = f"/admin/two_factor/passkey/{passkey.pk}/delete/"
    assert ada_client.post(delete, {"post": "yes"}).status_code == 302
    assert not alice.passkeys.exists()


def test_readers_cannot_open_the_second_factors_admin(carol_client):
    response = carol_client.get("/admin/otp_totp/totpdevice/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
