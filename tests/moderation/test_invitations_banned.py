"""Banned addresses and domains: refused at invitation request, sign-up and email change."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.moderation.actions import invitations
from ficarchive.moderation.actions.invitations import ban_address, is_banned_address, unban_address
from ficarchive.moderation.models import AuditEntry, BannedAddress, InvitationRequest, Role
from tests.conftest import PASSWORD, logged_in, make_user
from tests.moderation.holders import holder
from tests.moderation.invitation_helpers import signup_form


def change_link(message) -> str:
    found = re.search(rf"{re.escape(settings.SITE_URL)}(/account/email/\S+)", message.body)
    assert found, message.body
    return found.group(1)


@pytest.fixture
def sue(db):
    return holder(Role.SUPPORT)


def test_a_domain_ban_covers_its_subdomains_and_an_address_ban_only_itself(sue):
    ban_address(sue, "Spam.Example", "a spam farm")
    ban_address(sue, "troll@example.net")
    assert is_banned_address("x@spam.example").pattern == "spam.example"
    assert is_banned_address("X@Mail.SPAM.example").pattern == "spam.example"
    assert is_banned_address("x@notspam.example") is None
    assert is_banned_address("troll@example.net").pattern == "troll@example.net"
    assert is_banned_address("friend@example.net") is None


def test_a_ban_is_audited_and_lifting_it_too(sue):
    ban = ban_address(sue, "@Spam.Example", "a spam farm")
    assert ban.pattern == "spam.example" and ban.created_by == sue
    unban_address(sue, ban)
    assert not BannedAddress.objects.exists()
    verbs = list(AuditEntry.objects.order_by("created_at").values_list("verb", "target_label"))
    assert verbs == [("ban_address", "spam.example"), ("unban_address", "spam.example")]


@pytest.mark.parametrize("pattern", ["", "not an address", "com", "a@b@c", "spam..example"])
def test_a_pattern_that_is_neither_an_address_nor_a_domain_is_refused(sue, pattern):
    with pytest.raises(ValidationError) as refused:
        ban_address(sue, pattern)
    assert "pattern" in refused.value.error_dict
    assert not BannedAddress.objects.exists()


def test_banning_twice_is_refused(sue):
    ban_address(sue, "spam.example")
    with pytest.raises(ValidationError, match="banned already"):
        ban_address(sue, "SPAM.example")


def test_only_holders_of_the_permission_ban(carol):
    for who in (carol, holder(Role.POLICY_ABUSE)):
        with pytest.raises(PermissionDenied):
            ban_address(who, "spam.example")
    assert not BannedAddress.objects.exists()


def test_a_banned_address_cannot_ask_for_an_invitation(client, sue, turn):
    turn(signups="invitation")
    ban_address(sue, "spam.example")
    page = client.post("/invitations/request", {"email": "bot@mail.spam.example"})
    assert page.status_code == 400
    assert "The address bot@mail.spam.example may not be used on this archive." in (
        page.content.decode()
    )
    assert not InvitationRequest.objects.exists()


def test_a_banned_address_cannot_sign_up(client, sue):
    ban_address(sue, "troll@example.net")
    page = client.post("/signup", signup_form("troll", email="Troll@example.net"))
    assert page.status_code == 400
    assert "The address Troll@example.net may not be used on this archive." in (
        page.content.decode()
    )
    assert not User.objects.filter(username="troll").exists()
    assert not mail.outbox


def test_a_banned_address_cannot_sign_up_with_an_invitation_either(client, sue, turn):
    turn(signups="invitation")
    ban_address(sue, "spam.example")
    invitations.give_invitations(sue, sue, 1)
    link = invitations.share_invitation(sue, sue.invitations.get())
    code = link.split("invitation=")[1]
    page = client.post(f"/signup?invitation={code}", signup_form(email="x@spam.example"))
    assert "The address x@spam.example may not be used" in page.content.decode()
    assert sue.invitations.get().used_by is None


def test_a_banned_address_cannot_become_an_accounts_email(carol, sue):
    ban_address(sue, "spam.example")
    client = logged_in(carol)
    page = client.post("/account/email", {"email": "carol@spam.example", "password": PASSWORD})
    assert page.status_code == 400
    assert "The address carol@spam.example may not be used on this archive." in (
        page.content.decode()
    )
    assert not mail.outbox
    carol.refresh_from_db()
    assert carol.email == "carol@example.org"


def test_an_address_banned_after_the_link_was_mailed_is_still_refused(carol, sue):
    client = logged_in(carol)
    client.post("/account/email", {"email": "carol@later.example", "password": PASSWORD})
    [message] = mail.outbox
    path = change_link(message)
    ban_address(sue, "later.example")
    page = client.get(path)
    assert page.status_code == 400
    assert "The address carol@later.example may not be used" in page.content.decode()
    carol.refresh_from_db()
    assert carol.email == "carol@example.org"


def test_an_email_change_takes_the_password_and_the_link_once(carol):
    client = logged_in(carol)
    wrong = client.post("/account/email", {"email": "c@new.example", "password": "nope"})
    assert wrong.status_code == 400 and "That is not your password." in wrong.content.decode()
    sent = client.post("/account/email", {"email": "c@new.example", "password": PASSWORD})
    assert "A link is on its way to c@new.example" in sent.content.decode()
    [message] = mail.outbox
    assert message.to == ["c@new.example"]
    path = change_link(message)
    assert Client().get(path).status_code == 302
    carol.refresh_from_db()
    assert carol.email == "c@new.example"
    assert Client().get(path).status_code == 400, "the link works once"


def test_the_email_change_page_needs_a_login(client, db):
    response = client.get("/account/email")
    assert response.status_code == 302 and "/login" in response.url


def test_a_ban_finds_the_existing_accounts_it_covers(sue):
    farm = [make_user(name) for name in ("farm1", "farm2")]
    farm[0].email, farm[1].email = "farm1@spam.example", "Farm2@Mail.SPAM.example"
    for user in farm:
        user.save(update_fields=["email"])
    User.objects.filter(pk=make_user("neighbour").pk).update(email="n@notspam.example")
    domain = ban_address(sue, "spam.example")
    assert sorted(domain.accounts().values_list("username", flat=True)) == ["farm1", "farm2"]
    address = ban_address(sue, "FARM1@spam.example")
    assert list(address.accounts().values_list("username", flat=True)) == ["farm1"]
    assert not ban_address(sue, "nobody.example").accounts().exists()


def test_the_page_names_the_accounts_a_new_ban_covers(sue):
    User.objects.filter(pk=make_user("farm1").pk).update(email="farm1@spam.example")
    page = logged_in(sue).post(
        "/moderation/invitations/bans", {"pattern": "spam.example", "reason": ""}, follow=True
    )
    text = page.content.decode()
    assert "1 existing account uses spam.example: farm1" in text
    quiet = logged_in(sue).post(
        "/moderation/invitations/bans", {"pattern": "quiet.example", "reason": ""}, follow=True
    )
    assert "existing account" not in quiet.content.decode()
