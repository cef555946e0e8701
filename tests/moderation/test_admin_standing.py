"""The Django admin does not ban or give roles behind the moderation actions: those write the
audit log, end a banned account's sessions and tokens, and are undoable; the admin would not."""

from __future__ import annotations

from ficarchive.accounts.models import User
from tests.conftest import logged_in


def test_the_admins_user_form_shows_standing_and_roles_without_changing_them(
    ada: User, bob: User
) -> None:
    page = logged_in(ada).get(f"/admin/accounts/user/{bob.pk}/change/").content.decode()
    assert "bob" in page
    for name in ("is_active", "is_superuser", "groups", "user_permissions"):
        assert f'name="{name}"' not in page, name


def test_a_staff_change_made_in_the_admin_is_in_the_audit_log(ada: User, bob: User) -> None:
    from django.contrib import admin
    from django.test import RequestFactory

    from ficarchive.moderation.models import AuditEntry

    request = RequestFactory().post("/admin/")
    request.user = ada
    model_admin = admin.site._registry[User]
    bob.is_staff = True
    model_admin.save_model(request, bob, form=None, change=True)
    entry = AuditEntry.objects.get(verb="change_staff")
    assert (entry.actor, entry.subject) == (ada, bob)
    assert (entry.before, entry.after) == ({"is_staff": False}, {"is_staff": True})
    bob.first_name = "Bob"
    model_admin.save_model(request, bob, form=None, change=True)
    assert AuditEntry.objects.filter(verb="change_staff").count() == 1, "no change of staff"
    assert "changed the staff status of" in logged_in(ada).get("/moderation/audit").content.decode()


def test_the_admin_deletes_no_account(ada: User, bob: User) -> None:
    client = logged_in(ada)
    assert client.get(f"/admin/accounts/user/{bob.pk}/delete/").status_code == 403
    assert client.post(f"/admin/accounts/user/{bob.pk}/delete/", {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=bob.pk).exists()


def test_the_role_groups_are_read_only_in_the_admin(ada: User) -> None:
    from django.contrib.auth.models import Group

    from ficarchive.moderation.models import Role

    role = Group.objects.get(name=Role.POLICY_ABUSE)
    kept = set(role.permissions.values_list("codename", flat=True))
    client = logged_in(ada)
    page = client.get(f"/admin/auth/group/{role.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(f"/admin/auth/group/{role.pk}/change/", {"name": "x"}).status_code == 403
    assert client.post(f"/admin/auth/group/{role.pk}/delete/", {"post": "yes"}).status_code == 403
    role.refresh_from_db()
    assert role.name == Role.POLICY_ABUSE
    assert set(role.permissions.values_list("codename", flat=True)) == kept
    other = Group.objects.create(name="Beta readers")
    assert 'name="_save"' in client.get(f"/admin/auth/group/{other.pk}/change/").content.decode()
