"""The roles page: superadmins see each role with its members, add and remove them."""

from __future__ import annotations

from html import escape

import pytest
from django.test import Client, override_settings

from ficarchive.moderation.actions.roles import give_role
from ficarchive.moderation.models import AuditEntry, Role
from ficarchive.moderation.roles import roles_of
from tests.conftest import logged_in, make_user
from tests.moderation.holders import holder

PAGE = "/moderation/roles"
ADDRESSES = [
    ("get", PAGE),
    ("get", f"{PAGE}/support"),
    ("post", f"{PAGE}/support"),
    ("post", f"{PAGE}/support/remove"),
]


def test_a_superadmin_sees_each_role_with_its_members_and_permissions(ada, ada_client, carol):
    give_role(ada, carol, Role.TAG_WRANGLER)
    page = ada_client.get(PAGE).content.decode()
    assert "<h1>Roles</h1>" in page
    for role in Role:
        assert escape(role.label) in page
    assert "Can wrangle tags" in page
    assert "Can import works for their authors" in page
    assert "Remove carol from Tag wranglers" in page
    assert page.count("Add to ") == len(Role)


def test_a_superadmin_adds_a_member_by_user_name(ada, ada_client: Client, carol):
    response = ada_client.post(f"{PAGE}/support", {"username": "carol", "reason": "helps out"})
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}/support"
    assert roles_of(carol) == [Role.SUPPORT]
    assert AuditEntry.objects.get().reason == "helps out"
    page = ada_client.get(response["Location"]).content.decode()
    assert "carol now holds Support." in page
    assert "Remove carol from Support" in page


def test_an_unknown_user_name_is_shown_next_to_the_field(ada_client: Client):
    response = ada_client.post(f"{PAGE}/support", {"username": "nobody_here"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is no account named &#x27;nobody_here&#x27;." in page
    assert 'class="field has-errors"' in page
    assert not AuditEntry.objects.exists()


def test_an_empty_user_name_is_refused(ada_client: Client):
    response = ada_client.post(f"{PAGE}/support", {"username": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_a_superadmin_makes_someone_an_archivist(ada, ada_client: Client, carol):
    response = ada_client.post(f"{PAGE}/archivist", {"username": "carol"}, follow=True)
    assert roles_of(carol) == [Role.ARCHIVIST]
    assert "carol now holds Archivists." in response.content.decode()
    assert carol.has_perm("moderation.import_for_others")


def test_a_superadmin_removes_a_member(ada, ada_client: Client, carol):
    give_role(ada, carol, Role.SUPPORT)
    response = ada_client.post(f"{PAGE}/support/remove", {"username": "carol"}, follow=True)
    assert roles_of(carol) == []
    assert "carol no longer holds Support." in response.content.decode()


def test_removing_someone_without_the_role_says_so(ada_client: Client, carol):
    response = ada_client.post(f"{PAGE}/support/remove", {"username": "carol"}, follow=True)
    assert "carol does not hold Support." in response.content.decode()


def test_an_unknown_role_is_not_found(ada_client: Client):
    assert ada_client.get(f"{PAGE}/overlords").status_code == 404
    assert ada_client.post(f"{PAGE}/overlords", {"username": "ada"}).status_code == 404


@override_settings(ROLE_MEMBERS_PER_PAGE=2)
def test_a_long_role_is_paginated(ada, ada_client: Client):
    for n in range(5):
        give_role(ada, make_user(f"helper{n}"), Role.SUPPORT)
    overview = ada_client.get(PAGE).content.decode()
    assert "helper1" in overview and "helper2" not in overview
    assert "All 5 members of Support" in overview
    first = ada_client.get(f"{PAGE}/support").content.decode()
    assert "helper0" in first and "helper2" not in first
    last = ada_client.get(f"{PAGE}/support?page=3").content.decode()
    assert "helper4" in last and "helper0" not in last


def test_a_guest_is_sent_to_log_in(client: Client):
    for method, address in ADDRESSES:
        response = getattr(client, method)(address)
        assert response.status_code == 302
        assert response["Location"].startswith("/login")


@pytest.mark.parametrize("who", ["alice", "sam", *Role.names])
def test_everyone_but_a_superadmin_is_refused(who, alice, sam, carol):
    user = holder(Role[who]) if who in Role.names else {"alice": alice, "sam": sam}[who]
    client = logged_in(user)
    for method, address in ADDRESSES:
        response = getattr(client, method)(address, {"username": "carol"})
        assert response.status_code == 403, address
        assert "Only superadmins may give moderation roles." in response.content.decode()
    assert roles_of(carol) == []


def test_the_forms_need_csrf(ada, carol):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ada)
    assert client.post(f"{PAGE}/support", {"username": "carol"}).status_code == 403
    assert roles_of(carol) == []
