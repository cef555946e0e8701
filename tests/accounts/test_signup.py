from django.test import Client
from django.urls import reverse

from ficarchive.accounts.models import User
from tests.conftest import PASSWORD

SIGNUP = reverse("accounts:signup")


def form(**changes):
    data = {
        "username": "newreader",
        "email": "newreader@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return {**data, **changes}


def test_signup_page_has_the_form(client, db):
    response = client.get(SIGNUP)
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password2"' in response.content


def test_signup_creates_the_account_and_logs_in(client, db):
    response = client.post(SIGNUP, form())
    user = User.objects.get(username="newreader")
    assert response.status_code == 302
    assert response.url == reverse("accounts:profile", args=["newreader"])
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.email == "newreader@example.org"
    assert user.default_pseud.name == "newreader"


def test_passwords_are_stored_with_argon2(client, db):
    client.post(SIGNUP, form())
    user = User.objects.get(username="newreader")
    assert user.password.startswith("argon2")
    assert user.check_password(PASSWORD)


def test_taken_user_name_is_refused_in_any_case(client, alice):
    response = client.post(SIGNUP, form(username="ALICE"))
    assert response.status_code == 400
    assert "That user name is taken." in response.content.decode()
    assert User.objects.filter(username__iexact="alice").count() == 1
    assert "_auth_user_id" not in client.session


def test_email_in_use_is_refused(client, alice):
    response = client.post(SIGNUP, form(email="Alice@Example.org"))
    assert response.status_code == 400
    assert "An account with that email address exists." in response.content.decode()
    assert not User.objects.filter(username="newreader").exists()


def test_bad_user_name_is_refused(client, db):
    response = client.post(SIGNUP, form(username="no spaces!"))
    assert response.status_code == 400
    assert "Use 3 to 40 letters, digits or underscores" in response.content.decode()
    assert not User.objects.exists()


def test_names_the_archive_keeps_are_refused(client, db):
    for name in ("orphan_account", "Admin"):
        response = client.post(SIGNUP, form(username=name))
        assert response.status_code == 400
        assert f"The user name &#x27;{name}&#x27; is reserved." in response.content.decode()
    assert not User.objects.exists()


def test_mismatched_passwords_are_refused(client, db):
    response = client.post(SIGNUP, form(password2=PASSWORD + "x"))
    assert response.status_code == 400
    assert "The two passwords differ." in response.content.decode()
    assert not User.objects.exists()


def test_weak_password_is_refused(client, db):
    response = client.post(SIGNUP, form(password1="password", password2="password"))
    assert response.status_code == 400
    assert "This password is too common." in response.content.decode()
    assert not User.objects.exists()


def test_missing_fields_are_named(client, db):
    response = client.post(SIGNUP, form(email=""))
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not User.objects.exists()


def test_forged_signup_without_csrf_token_is_refused(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(SIGNUP, form())
    assert response.status_code == 403
    assert not User.objects.exists()
