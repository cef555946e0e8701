"""Logging in with a second factor: the password alone does not log in; a code from the
authenticator app, a backup code or a passkey finishes the log-in, each once; wrong codes count
against the log-in failure limits; a pending log-in expires; tokens need no second factor."""

from __future__ import annotations

import base64
import time

import pytest
from django.test import Client
from django.urls import reverse

from ficarchive.accounts.two_factor import actions
from ficarchive.accounts.two_factor.signin import PENDING_KEY
from ficarchive.api.actions import create_access_token
from ficarchive.exporting.actions import create_feed_token
from tests.accounts.two_factor_helpers import (
    VERIFY,
    SoftPasskey,
    add_passkey,
    code_of,
    logged_in_as,
    password_step,
    sign_with_passkey,
    with_app,
)
from tests.conftest import PASSWORD, logged_in


def test_a_password_alone_does_not_log_in_an_account_with_an_app(client, alice):
    with_app(alice)
    response = password_step(client, alice)
    assert response.status_code == 302
    assert response.url == VERIFY
    assert logged_in_as(client) is None
    page = client.get(VERIFY).content.decode()
    assert "Code from your authenticator app" in page
    assert "Use a backup code" in page
    # Other pages still see a guest.
    assert client.get(reverse("accounts:preferences")).status_code == 302


def test_the_app_s_code_logs_in_and_follows_next(client, alice):
    device = with_app(alice)
    password_step(client, alice, next="/works")
    key_before = client.session.session_key
    response = client.post(VERIFY, {"code": code_of(device)})
    assert response.status_code == 302
    assert response.url == "/works"
    assert logged_in_as(client) == str(alice.pk)
    assert client.session.session_key != key_before  # the session is rotated, as without 2FA
    assert PENDING_KEY not in client.session


def test_a_code_typed_with_a_space_is_taken(client, alice):
    device = with_app(alice)
    password_step(client, alice)
    code = code_of(device)
    client.post(VERIFY, {"code": f"{code[:3]} {code[3:]}"})
    assert logged_in_as(client) == str(alice.pk)


def test_a_wrong_code_is_refused_and_says_so(client, alice):
    device = with_app(alice)
    password_step(client, alice)
    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 400
    assert "That code is wrong or was used already" in response.content.decode()
    assert logged_in_as(client) is None
    for bad in ("", "abcdef", "1" * 20):
        assert client.post(VERIFY, {"code": bad}).status_code == 400
    assert logged_in_as(client) is None


def test_a_used_code_cannot_be_used_again(alice):
    device = with_app(alice)
    first, second = Client(), Client()
    password_step(first, alice)
    password_step(second, alice)
    code = code_of(device)
    first.post(VERIFY, {"code": code})
    assert logged_in_as(first) == str(alice.pk)
    response = second.post(VERIFY, {"code": code})
    assert response.status_code == 400
    assert "used already" in response.content.decode()
    assert logged_in_as(second) is None
    # The next code works.
    second.post(VERIFY, {"code": code_of(device, later=1)})
    assert logged_in_as(second) == str(alice.pk)


def test_a_backup_code_logs_in_once(alice):
    with_app(alice)
    codes = actions.make_backup_codes(alice)
    first = Client()
    password_step(first, alice)
    page = first.get(VERIFY + "?method=backup").content.decode()
    assert "Backup code" in page
    first.post(VERIFY, {"code": codes[0].upper(), "method": "backup"})
    assert logged_in_as(first) == str(alice.pk)
    again = Client()
    password_step(again, alice)
    response = again.post(VERIFY, {"code": codes[0], "method": "backup"})
    assert response.status_code == 400
    assert "That backup code is wrong or was used already." in response.content.decode()
    assert logged_in_as(again) is None
    # A backup code is not taken as the app's code, nor the other way round.
    assert again.post(VERIFY, {"code": codes[1]}).status_code == 400
    assert logged_in_as(again) is None


def test_a_passkey_logs_in_and_its_use_is_noted(client, alice):
    passkey = SoftPasskey()
    add_passkey(logged_in(alice), passkey)
    password_step(client, alice, next="/works")
    page = client.get(VERIFY).content.decode()
    assert "Use a passkey" in page
    assert "Code from your authenticator app" not in page  # no app to ask a code of
    response = sign_with_passkey(client, passkey)
    assert response.status_code == 302
    assert response.url == "/works"
    assert logged_in_as(client) == str(alice.pk)
    kept = alice.passkeys.get()
    assert kept.last_used is not None
    assert kept.sign_count == passkey.count


def test_a_passkey_of_another_account_or_site_is_refused(client, alice, bob):
    bobs = SoftPasskey()
    add_passkey(logged_in(bob), bobs)
    add_passkey(logged_in(alice), SoftPasskey())
    password_step(client, alice)
    response = sign_with_passkey(client, bobs)
    assert response.status_code == 400
    assert "That passkey is not one of this account" in response.content.decode()
    assert logged_in_as(client) is None


def test_a_passkey_answer_made_for_another_site_is_refused(client, alice):
    passkey = SoftPasskey()
    add_passkey(logged_in(alice), passkey)
    password_step(client, alice)
    passkey.origin = "http://evil.example"
    response = sign_with_passkey(client, passkey)
    assert response.status_code == 400
    assert "does not check out" in response.content.decode()
    assert logged_in_as(client) is None


def test_a_replayed_passkey_answer_is_refused(client, alice):
    passkey = SoftPasskey()
    add_passkey(logged_in(alice), passkey)
    password_step(client, alice)
    options = client.post(reverse("accounts:two_factor_verify_passkey_options")).json()
    answer = passkey.get(options)
    verify = reverse("accounts:two_factor_verify_passkey")
    client.post(verify, {"credential": answer})
    assert logged_in_as(client) == str(alice.pk)
    other = Client()
    password_step(other, alice)
    other.post(reverse("accounts:two_factor_verify_passkey_options"))
    response = other.post(verify, {"credential": answer})  # another challenge was asked
    assert response.status_code == 400
    assert logged_in_as(other) is None


def test_wrong_codes_count_against_the_account_s_failure_limit(client, alice, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    device = with_app(alice)
    password_step(client, alice)
    for _ in range(3):
        client.post(VERIFY, {"code": "000000" if code_of(device) != "000000" else "111111"})
    response = client.post(VERIFY, {"code": code_of(device)})
    assert response.status_code == 400
    assert "Too many failed log-ins; try again in" in response.content.decode()
    assert logged_in_as(client) is None
    # And the password step too is locked for this account now.
    response = password_step(Client(), alice)
    assert "Too many failed log-ins" in response.content.decode()


def test_wrong_codes_count_against_the_address_s_failure_limit(client, alice, bob, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 2
    with_app(alice)
    password_step(client, alice)
    client.post(VERIFY, {"code": "abc"})  # not even a code: still a failed try
    client.post(VERIFY, {"code": "12345x"})
    response = password_step(Client(), bob)
    assert response.status_code == 400
    assert "Too many failed log-ins" in response.content.decode()


def test_right_codes_are_not_counted(alice, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    device = with_app(alice)
    backup = actions.make_backup_codes(alice)
    answers = [{"code": code_of(device, later=later)} for later in (0, 1)]
    answers += [{"code": code, "method": "backup"} for code in backup[:2]]
    for answer in answers:
        client = Client()
        password_step(client, alice)
        client.post(VERIFY, answer)
        assert logged_in_as(client) == str(alice.pk)


def test_a_pending_log_in_expires(client, alice, settings):
    device = with_app(alice)
    password_step(client, alice)
    session = client.session
    session[PENDING_KEY]["since"] = time.time() - settings.TWO_FACTOR_PENDING_SECONDS - 1
    session.save()
    response = client.post(VERIFY, {"code": code_of(device)})
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert logged_in_as(client) is None
    assert "Your log-in took too long" in client.get(response.url).content.decode()


def test_the_second_step_without_a_password_step_sends_to_log_in(client, alice):
    with_app(alice)
    assert client.get(VERIFY).url == reverse("accounts:login")
    assert client.post(VERIFY, {"code": "123456"}).url == reverse("accounts:login")
    options = client.post(reverse("accounts:two_factor_verify_passkey_options"))
    assert options.status_code == 403
    assert logged_in_as(client) is None


def test_a_password_change_ends_a_pending_log_in(client, alice):
    device = with_app(alice)
    password_step(client, alice)
    alice.set_password("a whole new password 42")
    alice.save()
    client.post(VERIFY, {"code": code_of(device)})
    assert logged_in_as(client) is None


def test_the_second_step_refuses_a_forged_post(alice):
    device = with_app(alice)
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("accounts:login"))
    token = page.cookies["csrftoken"].value
    client.post(
        reverse("accounts:login"),
        {"username": "alice", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert client.post(VERIFY, {"code": code_of(device)}).status_code == 403
    assert logged_in_as(client) is None


def test_api_and_feed_tokens_work_without_a_second_factor(client, alice):
    with_app(alice)
    _, key = create_access_token(alice, "My tool", "read")
    me = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["username"] == "alice"
    feed = create_feed_token(alice).token
    assert client.get(f"/feeds/personal/{feed}.atom").status_code == 200


def test_apps_password_is_refused_for_an_account_with_a_second_factor(client, alice, bob):
    with_app(alice)
    for user in (alice, bob):
        basic = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()
        response = client.get("/feeds/personal", HTTP_AUTHORIZATION=f"Basic {basic}")
        if user == alice:
            assert response.status_code == 401
            assert "feed token" in response.content.decode()
        else:
            assert response.status_code == 200


@pytest.mark.parametrize("backup", [False, True])
def test_the_code_field_is_refused_when_empty(client, alice, backup):
    with_app(alice)
    password_step(client, alice)
    data = {"code": "", **({"method": "backup"} if backup else {})}
    assert client.post(VERIFY, data).status_code == 400
