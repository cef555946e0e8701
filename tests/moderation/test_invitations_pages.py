"""The invitation pages: support's page and its forms, the request page, "My invitations"."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from ficarchive.moderation.actions import invitations
from ficarchive.moderation.models import BannedAddress, Invitation, InvitationRequest, Role
from tests.conftest import logged_in
from tests.moderation.holders import holder
from tests.moderation.invitation_helpers import committing

PAGE = "/moderation/invitations"
POSTS = {
    "/moderation/invitations/send": {"count": "1"},
    "/moderation/invitations/give": {"username": "carol", "count": "2"},
    "/moderation/invitations/bans": {"pattern": "spam.example", "reason": ""},
}


@pytest.fixture
def sue(db):
    return holder(Role.SUPPORT)


@pytest.fixture
def queue(turn):
    turn(signups="invitation")
    for n in range(3):
        invitations.request_invitation(f"r{n}@example.net")


def test_guests_are_sent_to_log_in(client, queue):
    assert client.get(PAGE).status_code == 302
    for address, data in POSTS.items():
        assert client.post(address, data).status_code == 302
    assert not Invitation.objects.exists() and not BannedAddress.objects.exists()


@pytest.mark.parametrize("who", ["reader", "policy"])
def test_readers_and_roles_without_the_permission_are_refused(who, carol, queue):
    user = carol if who == "reader" else holder(Role.POLICY_ABUSE)
    client = logged_in(user)
    page = client.get(PAGE)
    assert page.status_code == 403
    assert "Only support may run the invitation queue." in page.content.decode()
    for address, data in POSTS.items():
        assert client.post(address, data).status_code == 403
    ban = BannedAddress.objects.create(pattern="kept.example")
    assert client.post(f"/moderation/invitations/bans/{ban.pk}/remove").status_code == 403
    assert not Invitation.objects.exists()
    assert list(BannedAddress.objects.values_list("pattern", flat=True)) == ["kept.example"]


def test_support_sees_the_queue_oldest_first(sue, queue):
    page = logged_in(sue).get(PAGE).content.decode()
    assert "3 requests waiting" in page
    assert page.index("r0@example.net") < page.index("r1@example.net") < page.index("r2@")


def test_the_queue_is_paginated_with_as_many_queries_for_a_long_queue(sue, queue):
    client = logged_in(sue)
    with override_settings(INVITATION_QUEUE_PER_PAGE=2):
        with CaptureQueriesContext(connection) as few:
            first = client.get(PAGE).content.decode()
        for n in range(3, 30):
            InvitationRequest.objects.create(email=f"r{n}@example.net")
        with CaptureQueriesContext(connection) as many:
            client.get(PAGE)
        second = client.get(PAGE + "?page=2").content.decode()
    assert "r1@example.net" in first and "r2@example.net" not in first
    assert "r2@example.net" in second and "r0@example.net" not in second
    assert len(many) == len(few)


def test_support_sends_invitations_now(sue, queue):
    client = logged_in(sue)
    with committing():
        response = client.post("/moderation/invitations/send", {"count": "2"}, follow=True)
    assert "2 requests answered." in response.content.decode()
    assert sorted(message.to[0] for message in mail.outbox) == ["r0@example.net", "r1@example.net"]
    assert InvitationRequest.objects.filter(sent_at=None).count() == 1


def test_sending_zero_is_refused_next_to_the_field(sue, queue):
    response = logged_in(sue).post("/moderation/invitations/send", {"count": "0"})
    assert response.status_code == 400
    assert "greater than or equal to 1" in response.content.decode()


def test_support_gives_invitations_and_the_user_finds_them(sue, carol):
    client = logged_in(sue)
    response = client.post("/moderation/invitations/give", {"username": "Carol", "count": "2"})
    assert response.status_code == 302
    assert Invitation.objects.filter(owner=carol, used_by=None).count() == 2
    carols = logged_in(carol)
    assert 'href="/invitations/mine"' in carols.get("/preferences").content.decode()
    assert carols.get("/invitations/mine").content.decode().count("Not shared yet.") == 2


def test_giving_to_no_such_user_says_so(sue):
    response = logged_in(sue).post(
        "/moderation/invitations/give", {"username": "nobody", "count": "1"}
    )
    assert response.status_code == 400
    assert "No account is named nobody." in response.content.decode()


def test_support_bans_and_unbans_an_address(sue):
    client = logged_in(sue)
    added = client.post("/moderation/invitations/bans", {"pattern": "Spam.Example", "reason": "x"})
    assert added.status_code == 302
    ban = BannedAddress.objects.get()
    assert "spam.example" in client.get(PAGE).content.decode()
    refused = client.post("/moderation/invitations/bans", {"pattern": "nope", "reason": ""})
    assert refused.status_code == 400
    assert "neither an email address nor a domain" in refused.content.decode()
    assert client.post(f"/moderation/invitations/bans/{ban.pk}/remove").status_code == 302
    assert not BannedAddress.objects.exists()


def test_the_request_page_says_when_no_invitation_is_needed(client, turn):
    assert "no invitation is needed" in client.get("/invitations/request").content.decode()
    turn(signups="closed")
    assert "Sign-ups are closed" in client.get("/invitations/request").content.decode()


def test_the_honeypot_keeps_a_bot_out_of_the_queue(client, turn):
    turn(signups="invitation")
    page = client.post("/invitations/request", {"email": "bot@example.net", "website": "x"})
    assert page.status_code == 400
    assert not InvitationRequest.objects.exists()


@override_settings(INVITATION_REQUESTS_PER_ADDRESS=2)
def test_one_network_address_may_ask_only_so_often(client, turn):
    turn(signups="invitation")
    for n in range(2):
        assert (
            client.post("/invitations/request", {"email": f"a{n}@example.net"}).status_code == 200
        )
    refused = client.post("/invitations/request", {"email": "a9@example.net"})
    assert refused.status_code == 400
    assert "Too many invitation requests from your address" in refused.content.decode()
    assert InvitationRequest.objects.count() == 2


def test_my_invitations_needs_a_login_and_a_suspended_user_cannot_share(client, carol, sue):
    assert client.get("/invitations/mine").status_code == 302
    invitations.give_invitations(sue, carol, 1)
    carol.suspended_until = carol.date_joined.replace(year=2999)
    carol.save(update_fields=["suspended_until"])
    invitation = Invitation.objects.get()
    response = logged_in(carol).post(f"/invitations/mine/{invitation.pk}/share", {"email": ""})
    assert response.status_code == 403
    assert Invitation.objects.get().sent_at is None


def test_a_reader_without_invitations_sees_none_and_no_link(carol):
    client = logged_in(carol)
    assert "You have no invitations to share." in client.get("/invitations/mine").content.decode()
    assert 'href="/invitations/mine"' not in client.get("/preferences").content.decode()


def test_the_forms_need_csrf(sue):
    client = Client(enforce_csrf_checks=True)
    client.force_login(sue)
    assert client.post("/moderation/invitations/send", {"count": "1"}).status_code == 403


def test_support_and_superadmins_find_the_page_in_the_navigation(sue, ada_client, carol):
    link = '<a href="/moderation/invitations">Invitations</a>'
    assert link in logged_in(sue).get("/works").content.decode()
    assert link in ada_client.get("/works").content.decode()
    assert link not in logged_in(holder(Role.POLICY_ABUSE)).get("/works").content.decode()
    assert link not in logged_in(carol).get("/works").content.decode()
