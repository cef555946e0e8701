from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")


def logged_in_as(client):
    return client.session.get("_auth_user_id")


def test_login_page_has_the_form(client, db):
    response = client.get(LOGIN + "?next=/works")
    assert response.status_code == 200
    assert "User name or email" in response.content.decode()
    assert b'name="next" value="/works"' in response.content


def test_user_logs_in_by_name(client, alice):
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert logged_in_as(client) == str(alice.pk)


def test_user_name_is_matched_in_any_case(client, alice):
    client.post(LOGIN, {"username": "Alice", "password": PASSWORD})
    assert logged_in_as(client) == str(alice.pk)


def test_user_logs_in_by_email(client, alice):
    response = client.post(LOGIN, {"username": "ALICE@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_as(client) == str(alice.pk)


def test_wrong_password_is_refused(client, alice):
    response = client.post(LOGIN, {"username": "alice", "password": "not it"})
    assert response.status_code == 400
    assert "do not match an account" in response.content.decode()
    assert logged_in_as(client) is None


def test_unknown_email_is_refused_like_a_wrong_password(client, alice):
    response = client.post(LOGIN, {"username": "nobody@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "do not match an account" in response.content.decode()


def test_login_follows_next_on_this_site(client, alice):
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD, "next": "/works"})
    assert response.url == "/works"


def test_login_with_next_to_another_site_stays_on_this_site(client, alice):
    for target in ("https://evil.example/steal", "//evil.example/", "javascript:alert(1)"):
        response = client.post(LOGIN, {"username": "alice", "password": PASSWORD, "next": target})
        assert response.status_code == 302
        assert response.url == reverse("home")


def test_forged_login_without_csrf_token_is_refused(alice):
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 403
    assert logged_in_as(client) is None


def test_logout_by_get_is_refused(alice_client, alice):
    response = alice_client.get(LOGOUT)
    assert response.status_code == 405
    assert logged_in_as(alice_client) == str(alice.pk)


def test_logout_by_post_logs_out(alice_client):
    response = alice_client.post(LOGOUT)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert logged_in_as(alice_client) is None


def test_user_logs_in_with_a_long_email_address(client, db):
    from ficarchive.accounts.actions import create_user

    email = "a.reader.with.a.rather.long.address@lighthouses.example.org"
    user = create_user("longmail", email, PASSWORD)
    page = client.get(LOGIN).content.decode()
    assert 'maxlength="254"' in page
    client.post(LOGIN, {"username": email, "password": PASSWORD})
    assert logged_in_as(client) == str(user.pk)


def test_repeated_failures_lock_the_account_name_for_a_while(client, alice, bob, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        response = client.post(LOGIN, {"username": "alice", "password": "guess"})
        assert "do not match an account" in response.content.decode()
    # Now even the right password waits, and says why and for how long.
    response = client.post(LOGIN, {"username": "ALICE", "password": PASSWORD})
    assert response.status_code == 400
    assert "Too many failed log-ins; try again in" in response.content.decode()
    assert logged_in_as(client) is None
    # Another account from the same address is not locked by alice's failures.
    bob_client = Client()
    assert bob_client.post(LOGIN, {"username": "bob", "password": PASSWORD}).status_code == 302


def test_failures_are_also_limited_per_address(client, alice, bob, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 2
    client.post(LOGIN, {"username": "alice", "password": "guess"})
    client.post(LOGIN, {"username": "carol", "password": "guess"})
    response = client.post(LOGIN, {"username": "bob", "password": PASSWORD})
    assert "Too many failed log-ins" in response.content.decode()
    assert logged_in_as(client) is None


def test_successful_log_ins_are_not_counted(client, alice, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(4):
        assert client.post(LOGIN, {"username": "alice", "password": PASSWORD}).status_code == 302
        client.post(LOGOUT)
