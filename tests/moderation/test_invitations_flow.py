"""The invitation queue end to end: a request, the batch, the mail, the sign-up, the account."""

from __future__ import annotations

import hashlib

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.moderation.actions import invitations
from ficarchive.moderation.models import AuditEntry, Invitation, InvitationRequest, Role
from ficarchive.moderation.switches import SIGNUP_MESSAGES, SwitchedOff
from tests.conftest import PASSWORD, logged_in
from tests.moderation.holders import holder
from tests.moderation.invitation_helpers import (
    committing,
    confirmation_link,
    invitation_code,
    signup_form,
)


@pytest.fixture
def by_invitation(turn):
    turn(signups="invitation")


def sign_up_with(client: Client, code: str, username: str = "newreader"):
    return client.post(f"/signup?invitation={code}", signup_form(username, invitation=code))


def test_a_request_goes_out_in_the_batch_and_its_link_opens_an_account(client, by_invitation):
    page = client.post("/invitations/request", {"email": "Newreader@Example.net"})
    assert page.status_code == 200
    assert "You are number 1 in the queue" in page.content.decode()
    with committing():
        assert invitations.send_invitation_batch() == 1

    [invite] = mail.outbox
    assert invite.to == ["newreader@example.net"]
    code = invitation_code(invite)
    stored = Invitation.objects.get()
    assert stored.key_hash == hashlib.sha256(code.encode()).hexdigest()
    assert code not in stored.key_hash and stored.sent_to == "newreader@example.net"
    assert InvitationRequest.objects.get().sent_at is not None

    form = client.get(f"/signup?invitation={code}").content.decode()
    assert 'name="password1"' in form and f'value="{code}"' in form
    assert "Check your email" in sign_up_with(client, code).content.decode()
    stored.refresh_from_db()
    assert stored.used_by is None, "used when the sign-up is confirmed, not before"

    opened = client.get(confirmation_link(mail.outbox[1]))
    assert opened.status_code == 302
    user = User.objects.get(username="newreader")
    assert user.is_active
    stored.refresh_from_db()
    assert stored.used_by == user and stored.used_at is not None


def test_a_used_invitation_is_refused_with_a_clear_error(client, by_invitation):
    invitations.request_invitation("first@example.net")
    with committing():
        invitations.send_invitations(1)
    code = invitation_code(mail.outbox[0])
    sign_up_with(client, code, "first")
    client.get(confirmation_link(mail.outbox[1]))

    refused = sign_up_with(Client(), code, "second")
    assert refused.status_code == 400
    assert invitations.USED in refused.content.decode()
    assert not User.objects.filter(username="second").exists()


def test_two_sign_ups_waiting_with_one_code_open_one_account(client, by_invitation):
    invitations.request_invitation("first@example.net")
    with committing():
        invitations.send_invitations(1)
    code = invitation_code(mail.outbox[0])
    sign_up_with(Client(), code, "first")
    sign_up_with(Client(), code, "second")
    first, second = (confirmation_link(message) for message in mail.outbox[1:])
    assert Client().get(first).status_code == 302
    refused = Client().get(second)
    assert refused.status_code == 400
    assert invitations.USED in refused.content.decode()
    assert not User.objects.get(username="second").is_active


def test_an_unknown_code_is_refused_with_a_clear_error(client, by_invitation):
    refused = sign_up_with(client, "made-up-code")
    assert refused.status_code == 400
    assert invitations.NOT_VALID in refused.content.decode()
    assert not User.objects.filter(username="newreader").exists()
    assert not mail.outbox


def test_a_confirmation_link_stripped_of_its_code_opens_nothing(client, by_invitation):
    invitations.request_invitation("newreader@example.net")
    with committing():
        invitations.send_invitations(1)
    code = invitation_code(mail.outbox[0])
    sign_up_with(client, code)
    stripped = confirmation_link(mail.outbox[1]).split("?")[0]
    assert client.get(stripped).status_code == 400
    assert not User.objects.get(username="newreader").is_active
    assert Invitation.objects.get().used_by is None


def test_by_invitation_the_sign_up_page_offers_the_queue_instead_of_a_form(client, by_invitation):
    page = client.get("/signup").content.decode()
    assert SIGNUP_MESSAGES["invitation"] in page
    assert 'action="/invitations/request"' in page
    assert 'name="password1"' not in page
    assert client.post("/signup", signup_form()).status_code == 403
    assert not User.objects.filter(username="newreader").exists()


def test_a_second_request_says_its_place_and_never_whether_an_account_exists(
    client, alice, by_invitation
):
    invitations.request_invitation("first@example.net")
    new = client.post("/invitations/request", {"email": "someone@example.net"})
    taken = client.post("/invitations/request", {"email": alice.email})
    again = client.post("/invitations/request", {"email": "someone@example.net"})
    assert "You are number 2 in the queue" in new.content.decode()
    assert "You are number 3 in the queue" in taken.content.decode()
    assert "You are number 2 in the queue" in again.content.decode()
    assert InvitationRequest.objects.count() == 3


def test_an_address_with_an_account_gets_a_note_instead_of_an_invitation(alice, by_invitation):
    invitations.request_invitation(alice.email.upper())
    with committing():
        assert invitations.send_invitations(5) == 1
    [note] = mail.outbox
    assert note.to == [alice.email] and "already has" in note.body
    assert "invitation=" not in note.body
    assert not Invitation.objects.exists()


def test_the_oldest_requests_go_first_and_a_sent_request_says_so(client, by_invitation):
    for n in range(3):
        invitations.request_invitation(f"r{n}@example.net")
    with committing():
        assert invitations.send_invitations(2) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["r0@example.net", "r1@example.net"]
    assert invitations.request_invitation("r2@example.net").position == 1
    sent = client.post("/invitations/request", {"email": "r0@example.net"}).content.decode()
    assert "went out on" in sent


def test_a_user_given_invitations_mails_one_and_copies_another(ada, bob, by_invitation):
    support = holder(Role.SUPPORT)
    invitations.give_invitations(support, bob, 2)
    entry = AuditEntry.objects.get(verb="give_invitations")
    assert entry.subject == bob and entry.after == {"count": 2}
    first, second = Invitation.objects.filter(owner=bob)

    client = logged_in(bob)
    assert client.get("/invitations/mine").content.decode().count("Not shared yet.") == 2
    with committing():
        sent = client.post(f"/invitations/mine/{first.pk}/share", {"email": "friend@example.net"})
    assert sent.status_code == 302
    [message] = mail.outbox
    assert message.to == ["friend@example.net"] and "bob invites you" in message.body

    copied = client.post(f"/invitations/mine/{second.pk}/share", {"email": ""}).content.decode()
    assert "shown only once" in copied
    code = copied.split("?invitation=")[1].split('"')[0]
    invitations.check_invitation(code)
    assert code not in client.get("/invitations/mine").content.decode(), "shown once"

    client.post(f"/invitations/mine/{second.pk}/share", {"email": ""})
    with pytest.raises(ValidationError):
        invitations.check_invitation(code)  # sharing again made a new link


def test_a_user_cannot_share_someone_elses_invitation(bob, carol, by_invitation):
    invitations.give_invitations(holder(Role.SUPPORT), bob, 1)
    theirs = Invitation.objects.get()
    response = logged_in(carol).post(f"/invitations/mine/{theirs.pk}/share", {"email": ""})
    assert response.status_code == 404


def test_giving_invitations_needs_the_permission(bob, carol):
    with pytest.raises(PermissionDenied):
        invitations.give_invitations(carol, bob, 1)
    with pytest.raises(PermissionDenied):
        invitations.give_invitations(holder(Role.POLICY_ABUSE), bob, 1)
    with pytest.raises(PermissionDenied):
        invitations.send_invitations(1, by=carol)
    assert not Invitation.objects.exists()


def test_requests_are_refused_while_sign_ups_are_open_or_closed(turn, db):
    with pytest.raises(ValidationError, match="no invitation is needed"):
        invitations.request_invitation("x@example.net")
    turn(signups="closed")
    with pytest.raises(SwitchedOff):
        invitations.request_invitation("x@example.net")
    assert not InvitationRequest.objects.exists()


def test_open_and_closed_sign_ups_are_as_before(client, turn, db):
    assert "Check your email" in client.post("/signup", signup_form("opener")).content.decode()
    assert Client().get(confirmation_link(mail.outbox[0])).status_code == 302
    turn(signups="closed")
    closed = client.post("/signup", signup_form("closer"))
    assert closed.status_code == 403
    assert SIGNUP_MESSAGES["closed"] in closed.content.decode()
    assert not User.objects.filter(username="closer").exists()
    assert Client().login(username="opener", password=PASSWORD)


def test_an_invitation_code_is_not_needed_nor_used_while_sign_ups_are_open(client, bob, turn):
    invitations.give_invitations(holder(Role.SUPPORT), bob, 1)
    client.post("/signup?invitation=whatever", signup_form(invitation="whatever"))
    assert client.get(confirmation_link(mail.outbox[0])).status_code == 302
    assert Invitation.objects.get().used_by is None


def test_a_user_given_invitations_finds_them_in_the_inbox(bob, by_invitation):
    invitations.give_invitations(holder(Role.SUPPORT), bob, 3)
    client = logged_in(bob)
    inbox = client.get("/inbox").content.decode()
    assert "Invitations to share" in inbox
    assert "You were given 3 invitations." in inbox
    assert 'href="/invitations/mine"' in inbox
    bob.refresh_from_db()
    assert bob.unread_inbox == 1


def test_a_refused_gift_tells_nobody(bob, carol, by_invitation):
    with pytest.raises(ValidationError):
        invitations.give_invitations(holder(Role.SUPPORT), bob, 0)
    assert "Invitations to share" not in logged_in(bob).get("/inbox").content.decode()
