"""Personal access tokens: made and revoked on the tokens page, stored hashed, shown once."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.api import actions
from ficarchive.api.models import AccessToken
from tests.api.conftest import API, bearer, error_of, token_for
from tests.conftest import logged_in


def test_the_preferences_page_links_to_the_tokens_page(alice_client: Client) -> None:
    page = alice_client.get("/preferences").content.decode()
    assert 'href="/preferences/tokens"' in page


def test_a_guest_is_sent_to_log_in(db: Any) -> None:
    response = Client().get("/preferences/tokens")
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_a_new_key_is_shown_once_and_only_its_hash_is_stored(
    alice: User, alice_client: Client
) -> None:
    response = alice_client.post("/preferences/tokens", {"name": "Reader app", "scope": "read"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    token = AccessToken.objects.get(user=alice)
    key = page.split('id="new-token-key">')[1].split("<")[0]
    assert key.startswith(token.prefix)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(AccessToken.objects.values().get())
    assert key not in alice_client.get("/preferences/tokens").content.decode()
    assert bearer(key).get(f"{API}/me").json() == {
        "username": "alice",
        "auth": "token",
        "scope": "read",
        "token_name": "Reader app",
    }


def test_a_token_needs_a_name(alice_client: Client) -> None:
    response = alice_client.post("/preferences/tokens", {"name": "", "scope": "read"})
    assert response.status_code == 400
    assert not AccessToken.objects.exists()


def test_a_forged_scope_is_refused(alice: User) -> None:
    with pytest.raises(ValidationError):
        actions.create_access_token(alice, "Tool", "admin")
    assert not AccessToken.objects.exists()


def test_a_revoked_token_gets_a_401(alice: User, alice_client: Client) -> None:
    key = token_for(alice)
    token = AccessToken.objects.get(user=alice)
    response = alice_client.post(f"/preferences/tokens/{token.pk}/revoke")
    assert response.status_code == 302
    refused = bearer(key).get(f"{API}/works")
    assert refused.status_code == 401
    assert error_of(refused)["code"] == "unauthorized"


def test_nobody_revokes_another_users_token(alice: User, carol: User) -> None:
    key = token_for(alice)
    token = AccessToken.objects.get(user=alice)
    assert logged_in(carol).post(f"/preferences/tokens/{token.pk}/revoke").status_code == 404
    with pytest.raises(PermissionDenied):
        actions.revoke_access_token(carol, token)
    assert bearer(key).get(f"{API}/me").status_code == 200


def test_an_unknown_token_gets_a_401_even_for_public_reads(db: Any) -> None:
    response = bearer("fa_made-up").get(f"{API}/works")
    assert response.status_code == 401


def test_a_deactivated_accounts_token_stops_working(alice: User) -> None:
    key = token_for(alice)
    alice.is_active = False
    alice.save()
    assert bearer(key).get(f"{API}/me").status_code == 401


def test_using_a_token_notes_when_and_the_upkeep_writes_it(alice: User) -> None:
    key = token_for(alice)
    bearer(key).get(f"{API}/me")
    assert AccessToken.objects.get(user=alice).last_used_at is None, "a read does not write"
    assert actions.write_token_uses() == 1
    assert AccessToken.objects.get(user=alice).last_used_at is not None


def test_me_needs_a_token_or_a_session(db: Any, alice_client: Client) -> None:
    response = Client().get(f"{API}/me")
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"
    assert alice_client.get(f"{API}/me").json()["auth"] == "session"
