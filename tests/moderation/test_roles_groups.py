"""The role groups exist after every migrate with exactly the permissions the roles name."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from ficarchive.moderation.models import Role
from ficarchive.moderation.models.roles import ROLE_PERMISSIONS
from ficarchive.moderation.roles import sync_roles
from tests.moderation.holders import holder


def held(group: Group) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_a_fresh_database_has_each_role_group_with_its_permissions(db):
    groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    assert set(groups) == set(Role.values)
    for role, names in ROLE_PERMISSIONS.items():
        assert held(groups[role]) == set(names), role


def test_syncing_again_changes_nothing_and_restores_what_was_changed(db):
    support = Group.objects.get(name=Role.SUPPORT)
    support.permissions.add(Permission.objects.get(codename="hide_content"))
    support.permissions.remove(Permission.objects.get(codename="view_audit_log"))
    Group.objects.filter(name=Role.TAG_WRANGLER).delete()
    sync_roles()
    sync_roles()
    assert Group.objects.filter(name__in=Role.values).count() == len(Role)
    for role, names in ROLE_PERMISSIONS.items():
        assert held(Group.objects.get(name=role)) == set(names), role


def test_syncing_keeps_the_members_of_each_role(db):
    sue = holder(Role.SUPPORT)
    sync_roles()
    assert list(sue.groups.values_list("name", flat=True)) == [Role.SUPPORT]


def test_each_role_holds_exactly_its_permissions_through_django(db):
    polly, wren, sue = holder(Role.POLICY_ABUSE), holder(Role.TAG_WRANGLER), holder(Role.SUPPORT)
    assert polly.has_perm("moderation.hide_content")
    assert not polly.has_perm("tags.wrangle")
    assert wren.has_perm("tags.wrangle")
    assert not wren.has_perm("moderation.handle_reports")
    assert sue.has_perm("moderation.manage_invitations")
    assert not sue.has_perm("moderation.hide_content")
    archie = holder(Role.ARCHIVIST)
    assert archie.has_perm("moderation.import_for_others")
    assert not archie.has_perm("moderation.handle_reports")
    assert not any(user.has_perm("moderation.import_for_others") for user in (polly, wren, sue))
