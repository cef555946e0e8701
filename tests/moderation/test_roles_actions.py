"""Giving and taking roles: only superadmins, each an audit entry, undoable."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ficarchive.moderation import undo
from ficarchive.moderation.actions.roles import give_role, take_role
from ficarchive.moderation.models import AuditEntry, Role
from ficarchive.moderation.roles import roles_of
from tests.moderation.holders import holder


def test_a_superadmin_gives_a_role_by_user_name_with_an_audit_entry(ada, carol):
    entry = give_role(ada, "Carol", Role.SUPPORT, reason="  runs the invitations  ")
    assert roles_of(carol) == [Role.SUPPORT]
    assert (entry.actor, entry.verb, entry.subject) == (ada, "give_role", carol)
    assert entry.reason == "runs the invitations"
    assert entry.before == {"roles": []}
    assert entry.after == {"roles": ["Support"]}
    assert entry.target_label == "carol (Support)"


def test_a_superadmin_takes_a_role_away(ada, carol):
    give_role(ada, carol, Role.SUPPORT)
    give_role(ada, carol, Role.TAG_WRANGLER)
    entry = take_role(ada, carol, Role.SUPPORT)
    assert roles_of(carol) == [Role.TAG_WRANGLER]
    assert entry.verb == "take_role"
    assert entry.before["roles"] == ["Tag wranglers", "Support"]
    assert entry.after["roles"] == ["Tag wranglers"]


@pytest.mark.parametrize("role", list(Role))
def test_nobody_but_a_superadmin_gives_or_takes_roles(role, alice, carol, ada):
    asking = [alice, *(holder(other) for other in Role)]
    for user in asking:
        with pytest.raises(PermissionDenied, match="Only superadmins"):
            give_role(user, carol, role)
        with pytest.raises(PermissionDenied):
            take_role(user, user, role)
    assert roles_of(carol) == []
    assert not AuditEntry.objects.exists()


def test_a_staff_member_who_is_not_a_superadmin_cannot_give_roles(sam, carol):
    with pytest.raises(PermissionDenied):
        give_role(sam, carol, Role.SUPPORT)


def test_a_banned_superadmin_cannot_give_roles(ada, carol):
    ada.is_active = False
    with pytest.raises(PermissionDenied):
        give_role(ada, carol, Role.SUPPORT)


def test_an_unknown_role_or_user_is_refused_by_name(ada, carol):
    with pytest.raises(ValidationError) as unknown_role:
        give_role(ada, carol, "Overlords")
    assert "'Overlords' is not a role" in str(unknown_role.value)
    with pytest.raises(ValidationError) as unknown_user:
        give_role(ada, "nobody_here", Role.SUPPORT)
    assert unknown_user.value.message_dict == {
        "username": ["There is no account named 'nobody_here'."]
    }
    assert not AuditEntry.objects.exists()


def test_giving_a_role_held_or_taking_one_not_held_is_refused(ada, carol):
    give_role(ada, carol, Role.SUPPORT)
    with pytest.raises(ValidationError, match="carol already holds Support"):
        give_role(ada, carol, Role.SUPPORT)
    with pytest.raises(ValidationError, match="carol does not hold Tag wranglers"):
        take_role(ada, carol, Role.TAG_WRANGLER)
    assert AuditEntry.objects.count() == 1


def test_undoing_a_give_takes_the_role_back_and_undoing_that_gives_it_again(ada, carol):
    given = give_role(ada, carol, Role.POLICY_ABUSE)
    taken = undo.undo(ada, given)
    assert roles_of(carol) == []
    assert (taken.verb, taken.undoes) == ("take_role", given)
    given.refresh_from_db()
    assert given.undone_by == taken
    again = undo.undo(ada, taken)
    assert roles_of(carol) == [Role.POLICY_ABUSE]
    assert (again.verb, again.undoes) == ("give_role", taken)


def test_an_entry_is_undone_once(ada, carol):
    given = give_role(ada, carol, Role.SUPPORT)
    undo.undo(ada, given)
    give_role(ada, carol, Role.SUPPORT)
    with pytest.raises(ValidationError, match=f"#{given.pk} was already undone"):
        undo.undo(ada, given)
    assert roles_of(carol) == [Role.SUPPORT]


def test_only_a_superadmin_may_undo_a_role_change(ada, carol):
    given = give_role(ada, carol, Role.SUPPORT)
    with pytest.raises(PermissionDenied):
        undo.undo(holder(Role.POLICY_ABUSE), given)
    assert roles_of(carol) == [Role.SUPPORT]
    assert not AuditEntry.objects.filter(undoes=given).exists()
