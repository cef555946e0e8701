import re

from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from ficarchive.accounts.models import User
from tests.conftest import PASSWORD

CHANGE = reverse("accounts:password_change")
RESET = reverse("accounts:password_reset")
NEW_PASSWORD = "a brand new lighthouse lamp"


def test_guest_is_sent_to_login_to_change_password(client, db):
    response = client.get(CHANGE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_user_changes_password_and_stays_logged_in(alice_client, alice):
    response = alice_client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert alice.password.startswith("argon2")
    assert alice_client.get(reverse("accounts:preferences")).status_code == 200


def test_password_change_with_wrong_old_password_changes_nothing(alice_client, alice):
    response = alice_client.post(
        CHANGE,
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert "Your old password was entered incorrectly" in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_password_change_to_a_weak_password_is_refused(alice_client, alice):
    response = alice_client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"}
    )
    assert response.status_code == 400
    assert "This password is too short." in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_forged_password_change_without_csrf_token_is_refused(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 403
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_password_reset_by_email_end_to_end(client, alice):
    assert client.get(RESET).status_code == 200
    response = client.post(RESET, {"email": "alice@example.org"})
    assert response.url == reverse("accounts:password_reset_done")
    assert "Check your email" in client.get(response.url).content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    address = re.escape(settings.SITE_URL)
    link = re.search(rf"{address}(/password/reset/\S+)", message.body).group(1)

    response = client.get(link)  # Django swaps the token for a session and redirects
    assert response.status_code == 302
    form_url = response.url
    assert 'name="new_password1"' in client.get(form_url).content.decode()
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.url == reverse("accounts:password_reset_complete")
    assert "Your password is changed" in client.get(response.url).content.decode()

    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert "does not work" in client.get(link, follow=True).content.decode()


def test_a_reset_asked_with_a_forged_host_is_refused_and_sends_nothing(client, alice):
    response = client.post(RESET, {"email": "alice@example.org"}, HTTP_HOST="evil.invalid")
    assert response.status_code == 400
    assert mail.outbox == []


def test_reset_links_use_site_url_even_when_every_host_is_allowed(client, alice, settings):
    """An operator who allows every host still mails links to the archive, not to the Host."""
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "https://fics.example.org"
    response = client.post(RESET, {"email": "alice@example.org"}, HTTP_HOST="evil.invalid")
    assert response.status_code == 302
    body = mail.outbox[0].body
    assert "evil.invalid" not in body
    assert re.search(r"^https://fics\.example\.org/password/reset/\S+/\S+$", body, re.M)


def test_password_reset_for_unknown_email_looks_the_same_and_sends_nothing(client, alice):
    known = client.post(RESET, {"email": "alice@example.org"})
    mail.outbox.clear()
    unknown = client.post(RESET, {"email": "nobody@example.org"})
    assert unknown.status_code == known.status_code == 302
    assert unknown.url == known.url
    assert mail.outbox == []


def test_password_reset_link_with_bad_token_is_refused(client, alice):
    response = client.get(reverse("accounts:password_reset_confirm", args=["MQ", "bad-token"]))
    assert response.status_code == 200
    assert "does not work" in response.content.decode()
    assert User.objects.get(pk=alice.pk).check_password(PASSWORD)
