"""Undo on the audit log page: for registered verbs not yet undone, checked by the undo itself."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.moderation import switches, undo
from ficarchive.moderation.actions import change_switches
from ficarchive.moderation.actions.roles import give_role
from ficarchive.moderation.models import AuditEntry, Role
from ficarchive.moderation.roles import roles_of
from tests.conftest import logged_in
from tests.moderation.holders import holder

PAGE = "/moderation/audit"


def undo_address(entry: AuditEntry) -> str:
    return f"{PAGE}/{entry.pk}/undo"


def test_undoing_a_role_given_takes_it_back_and_links_both_entries(ada, ada_client, carol):
    given = give_role(ada, carol, Role.SUPPORT)
    assert f'action="{undo_address(given)}"' in ada_client.get(PAGE).content.decode()
    response = ada_client.post(undo_address(given))
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?entry={given.pk}"
    assert roles_of(carol) == []
    taken = AuditEntry.objects.get(undoes=given)
    assert (taken.verb, taken.actor) == ("take_role", ada)
    followed = ada_client.get(response["Location"]).content.decode()
    assert f"Undone: entry #{given.pk} is undone by entry #{taken.pk}." in followed
    page = ada_client.get(PAGE).content.decode()
    assert f'Undone by <a href="?entry={taken.pk}">#{taken.pk}</a>' in page
    assert f'Undoes <a href="?entry={given.pk}">#{given.pk}</a>' in page
    assert f'action="{undo_address(given)}"' not in page, "an undone entry offers no Undo"
    assert f'action="{undo_address(taken)}"' in page, "the undo itself can be undone"


def test_undoing_a_switches_change_restores_what_it_changed(ada, ada_client):
    change_switches(ada, downloads=False, signups="closed")
    change_switches(ada, imports=False)
    first = AuditEntry.objects.filter(verb="change_switches").earliest("id")
    assert first.before == {"downloads": True, "signups": "open"}
    ada_client.post(undo_address(first))
    now = switches.read()
    assert (now.downloads, now.signups, now.imports) == (True, "open", False)
    restoring = AuditEntry.objects.get(undoes=first)
    assert restoring.after == {"downloads": True, "signups": "open"}


def test_an_entry_is_undone_once_even_when_asked_twice(ada, ada_client, carol):
    given = give_role(ada, carol, Role.SUPPORT)
    ada_client.post(undo_address(given))
    give_role(ada, carol, Role.SUPPORT)
    response = ada_client.post(undo_address(given), follow=True)
    assert f"Entry #{given.pk} was already undone." in response.content.decode()
    assert roles_of(carol) == [Role.SUPPORT]
    assert AuditEntry.objects.filter(undoes=given).count() == 1


def test_a_verb_without_an_undo_offers_no_button_and_refuses_one(ada, ada_client):
    entry = AuditEntry.objects.create(actor=ada, actor_name="ada", verb="delete_work")
    assert "delete_work" not in undo.undoable_verbs()
    assert f'action="{undo_address(entry)}"' not in ada_client.get(PAGE).content.decode()
    response = ada_client.post(undo_address(entry), follow=True)
    assert f"Entry #{entry.pk} (delete_work) cannot be undone." in response.content.decode()
    assert AuditEntry.objects.count() == 1


def test_a_missing_entry_is_not_found(ada_client):
    assert ada_client.post(f"{PAGE}/999999/undo").status_code == 404


def test_undo_answers_only_posts(ada, ada_client, carol):
    given = give_role(ada, carol, Role.SUPPORT)
    assert ada_client.get(undo_address(given)).status_code == 405
    assert roles_of(carol) == [Role.SUPPORT]


def test_a_guest_is_sent_to_log_in(ada, carol, client: Client):
    given = give_role(ada, carol, Role.SUPPORT)
    response = client.post(undo_address(given))
    assert response["Location"].startswith("/login")
    assert roles_of(carol) == [Role.SUPPORT]


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("alice", "Only moderators may read the audit log."),
        ("TAG_WRANGLER", "Only moderators may read the audit log."),
        ("SUPPORT", "Only superadmins may give moderation roles."),
        ("POLICY_ABUSE", "Only superadmins may give moderation roles."),
    ],
)
def test_who_may_not_undo_a_role_change_is_refused(who, refusal, ada, alice, carol):
    given = give_role(ada, carol, Role.SUPPORT)
    change_switches(ada, downloads=False)
    switched = AuditEntry.objects.get(verb="change_switches")
    client = logged_in(alice if who == "alice" else holder(Role[who]))
    response = client.post(undo_address(given))
    assert response.status_code == 403
    assert refusal in response.content.decode()
    assert client.post(undo_address(switched)).status_code == 403
    assert roles_of(carol) == [Role.SUPPORT]
    assert not switches.read().downloads
    assert AuditEntry.objects.count() == 2


def test_the_undo_form_needs_csrf(ada, carol):
    given = give_role(ada, carol, Role.SUPPORT)
    client = Client(enforce_csrf_checks=True)
    client.force_login(ada)
    assert client.post(undo_address(given)).status_code == 403
    assert roles_of(carol) == [Role.SUPPORT]
