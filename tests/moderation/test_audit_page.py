"""The audit log page: moderators read every action, newest first, filtered; nobody edits it."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.test import Client, override_settings

from ficarchive.moderation import audit, switches
from ficarchive.moderation.actions import change_switches
from ficarchive.moderation.actions.roles import give_role, take_role
from ficarchive.moderation.models import AuditEntry, Role
from ficarchive.moderation.models.audit import ReadOnlyEntry
from ficarchive.moderation.views.audit import readable
from tests.conftest import logged_in, make_user
from tests.moderation.holders import holder

PAGE = "/moderation/audit"


def entries_shown(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<li id="entry-(\d+)">', page)]


@pytest.fixture
def log(ada, carol):
    """Three entries: Ada gives Carol Support, turns downloads off, takes Support back."""
    first = give_role(ada, carol, Role.SUPPORT, reason="runs invitations")
    change_switches(ada, downloads=False)
    take_role(ada, carol, Role.SUPPORT)
    return [first, *AuditEntry.objects.filter(pk__gt=first.pk).order_by("pk")]


def test_a_moderator_reads_every_entry_newest_first_with_who_what_why_and_the_change(log):
    page = " ".join(logged_in(holder(Role.POLICY_ABUSE)).get(PAGE).content.decode().split())
    assert entries_shown(page) == [entry.pk for entry in reversed(log)]
    assert "<strong>gave a role</strong> · carol (Support) (user #" in page
    assert '<a href="/users/ada">ada</a>' in page
    assert "Why: runs invitations" in page
    assert "roles: — → Support" in page
    assert "<strong>changed the site switches</strong> · Site switches (site)" in page
    assert "downloads: on → off" in page
    assert "roles: Support → —" in page
    assert '· about <a href="/users/carol">carol</a>' in page


def test_support_reads_the_log_too(log):
    assert logged_in(holder(Role.SUPPORT)).get(PAGE).status_code == 200


@pytest.mark.parametrize(
    ("query", "verbs"),
    [
        ("actor=ADA", ["take_role", "change_switches", "give_role"]),
        ("actor=carol", []),
        ("verb=give_role", ["give_role"]),
        ("subject=carol", ["take_role", "give_role"]),
        ("target_kind=site", ["change_switches"]),
        ("target_kind=user&verb=take_role", ["take_role"]),
    ],
)
def test_the_log_filters_by_actor_verb_subject_and_target(log, ada_client, query, verbs):
    page = ada_client.get(f"{PAGE}?{query}").content.decode()
    by_id = {entry.pk: entry.verb for entry in log}
    assert [by_id[pk] for pk in entries_shown(page)] == verbs
    if not verbs:
        assert "No entries match these filters." in page


def test_the_log_filters_by_target_number_and_entry_number(log, ada_client, carol):
    page = ada_client.get(f"{PAGE}?target_kind=user&target_id={carol.pk}").content.decode()
    assert entries_shown(page) == [log[2].pk, log[0].pk]
    assert entries_shown(ada_client.get(f"{PAGE}?entry={log[1].pk}").content.decode()) == [
        log[1].pk
    ]


def test_a_bad_filter_is_shown_next_to_its_field(log, ada_client):
    response = ada_client.get(f"{PAGE}?verb=rewrite_history&target_id=x")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice. rewrite_history is not one of the available choices." in page
    assert "Enter a whole number." in page


@override_settings(AUDIT_ENTRIES_PER_PAGE=2)
def test_the_log_is_paginated_keeping_the_filters(ada, ada_client):
    entries = [give_role(ada, make_user(f"helper{n}"), Role.SUPPORT) for n in range(5)]
    first = ada_client.get(f"{PAGE}?verb=give_role").content.decode()
    assert entries_shown(first) == [entries[4].pk, entries[3].pk]
    assert 'href="?verb=give_role&amp;page=2"' in first
    last = ada_client.get(f"{PAGE}?verb=give_role&page=3").content.decode()
    assert entries_shown(last) == [entries[0].pk]


def test_the_page_makes_the_same_queries_for_ten_entries_as_for_fifty(ada, ada_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people = [make_user(f"helper{n}") for n in range(25)]
    for user in people[:5]:
        give_role(ada, user, Role.SUPPORT)
    switches.forget()  # each load reads the switches (a staff account's two-factor rule)
    with CaptureQueriesContext(connection) as few:
        ada_client.get(PAGE)
    for user in people[5:]:
        give_role(ada, user, Role.SUPPORT)
    for user in people:
        take_role(ada, user, Role.SUPPORT)
    switches.forget()
    with CaptureQueriesContext(connection) as many:
        ada_client.get(PAGE)
    assert len(many) == len(few)


def test_verbs_have_labels():
    assert audit.label("give_role") == "gave a role"
    assert audit.label("no_such_verb") == "no such verb"


def test_values_read_as_words():
    assert readable(True) == "on"
    assert readable(None) == "—"
    assert readable(["a", "b"]) == "a, b"
    assert readable({"x": False}) == "x: off"


def test_a_guest_is_sent_to_log_in(client: Client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/login")


@pytest.mark.parametrize("who", ["alice", "TAG_WRANGLER"])
def test_readers_and_wranglers_may_not_read_the_log(who, alice, log):
    user = alice if who == "alice" else holder(Role[who])
    response = logged_in(user).get(PAGE)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Only moderators may read the audit log." in page
    assert "carol" not in page


def test_no_page_offers_to_edit_or_delete_an_entry(log, ada_client):
    page = ada_client.get(PAGE).content.decode()
    assert "Edit" not in page and "Delete" not in page
    assert AuditEntry.objects.count() == 3


def test_saving_or_deleting_an_existing_entry_raises_read_only(log):
    entry = AuditEntry.objects.get(pk=log[0].pk)
    entry.reason = "something else"
    with pytest.raises(ReadOnlyEntry):
        entry.save()
    with pytest.raises(ReadOnlyEntry):
        entry.delete()
    assert AuditEntry.objects.get(pk=log[0].pk).reason == "runs invitations"


def test_the_django_admin_shows_entries_without_adding_changing_or_deleting(log, rf, ada):
    model_admin = admin.site._registry[AuditEntry]
    request = rf.get("/admin/")
    request.user = ada
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, log[0])
    assert not model_admin.has_delete_permission(request, log[0])
    response = logged_in(ada).get(f"/admin/moderation/auditentry/{log[0].pk}/change/")
    assert response.status_code == 200
    assert "carol (Support)" in response.content.decode()
