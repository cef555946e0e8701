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
