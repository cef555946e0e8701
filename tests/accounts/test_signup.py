import re

from django.conf import settings
from django.core import mail
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


def confirmation_link(message) -> str:
    return re.search(rf"{re.escape(settings.SITE_URL)}(/signup/confirm/\S+)", message.body).group(1)


def test_signup_mails_a_link_that_opens_the_account_and_logs_in(client, db):
    response = client.post(SIGNUP, form())
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    user = User.objects.get(username="newreader")
    assert not user.is_active, "not open until the address is confirmed"
    assert "_auth_user_id" not in client.session
    assert not Client().login(username="newreader", password=PASSWORD)

    [message] = mail.outbox
    assert message.to == ["newreader@example.org"]
    link = confirmation_link(message)
    response = client.get(link)
    assert response.status_code == 302
    assert response.url == reverse("accounts:profile", args=["newreader"])
    user.refresh_from_db()
    assert user.is_active
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.email == "newreader@example.org"
    assert user.default_pseud.name == "newreader"

    again = Client().get(link)
    assert again.status_code == 400
    assert "This link does not work" in again.content.decode()


def test_a_forged_confirmation_link_opens_nothing(client, db):
    client.post(SIGNUP, form())
    user = User.objects.get(username="newreader")
    for path in (f"/signup/confirm/{user.pk}/bad-token", "/signup/confirm/zz/x-y"):
        assert client.get(path).status_code == 400
    user.refresh_from_db()
    assert not user.is_active


def test_signing_up_again_before_confirming_mails_a_fresh_link(client, db):
    client.post(SIGNUP, form())
    client.post(SIGNUP, form(username="otherreader"))
    assert len(mail.outbox) == 2
    assert not User.objects.filter(username="otherreader").exists()
    assert client.get(confirmation_link(mail.outbox[1])).status_code == 302
    assert User.objects.get(username="newreader").is_active


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


def test_an_email_in_use_is_told_only_to_its_mailbox(client, alice):
    new = Client().post(SIGNUP, form(username="someone", email="someone@example.org"))
    mail.outbox.clear()
    response = client.post(SIGNUP, form(email="Alice@Example.org"))
    assert response.status_code == new.status_code == 200
    shown = response.content.decode().replace("Alice@Example.org", "ADDRESS")
    assert shown == new.content.decode().replace("someone@example.org", "ADDRESS")
    assert not User.objects.filter(username="newreader").exists()
    [message] = mail.outbox
    assert message.to == ["alice@example.org"]
    assert "already belongs to\nyour account, alice" in message.body
    assert f"{settings.SITE_URL}/login" in message.body
    assert f"{settings.SITE_URL}/password/reset" in message.body


def test_a_weak_password_is_refused_whether_or_not_the_email_has_an_account(client, alice):
    for email in ("alice@example.org", "fresh@example.org"):
        response = client.post(
            SIGNUP, form(email=email, password1="password", password2="password")
        )
        assert response.status_code == 400
        assert "This password is too common." in response.content.decode()
    assert mail.outbox == []


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
