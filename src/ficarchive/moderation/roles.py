"""Roles as Django groups: keeping the groups to `ROLE_PERMISSIONS`, and reading who holds what.

Giving and taking roles are actions (`actions.roles`); this module only reads and syncs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import QuerySet

from ficarchive.accounts.models import User
from ficarchive.moderation.models.roles import ROLE_PERMISSIONS, Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _named_permissions() -> dict[str, StrOrPromise]:
    """What each permission of a role lets its holder do, as the models name it (marked for
    translation there; the database keeps the English)."""
    from ficarchive.moderation.models import Case
    from ficarchive.tags.models import Tag

    return {codename: name for model in (Case, Tag) for codename, name in model._meta.permissions}


def sync_roles(using: str = DEFAULT_DB_ALIAS) -> None:
    """Make each role's group exist with exactly its permissions (idempotent).

    The permissions are made first for every app the roles name, whatever order the apps'
    `post_migrate` signals come in."""
    labels = {name.split(".", 1)[0] for names in ROLE_PERMISSIONS.values() for name in names}
    for label in sorted(labels):
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using)
    with transaction.atomic(using=using):
        for role, names in ROLE_PERMISSIONS.items():
            group, _ = Group.objects.using(using).get_or_create(name=role)
            wanted = [_permission(name, using) for name in names]
            if set(group.permissions.all()) != set(wanted):
                group.permissions.set(wanted)


def sync_roles_after_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """The `post_migrate` receiver (moderation is the last app to migrate)."""
    sync_roles(using)


def _permission(name: str, using: str) -> Permission:
    app_label, codename = name.split(".", 1)
    return Permission.objects.using(using).get(content_type__app_label=app_label, codename=codename)


def of_key(key: str) -> Role | None:
    """The role named KEY in addresses ("support", "tag_wrangler", "policy_abuse")."""
    return next((role for role in Role if role.name.lower() == key), None)


def key_of(role: Role) -> str:
    return role.name.lower()


def members(role: Role) -> QuerySet[User]:
    """The accounts holding ROLE, by user name."""
    return User.objects.filter(groups__name=role).order_by("username")


def roles_of(user: User) -> list[str]:
    """The roles USER holds, by name, in the order of `Role`."""
    held = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
    return [role.value for role in Role if role.value in held]


def permission_names(role: Role) -> list[str]:
    """What ROLE may do, in words, in the reader's language."""
    named = _named_permissions()
    return [str(named[name.split(".", 1)[1]]) for name in ROLE_PERMISSIONS[role]]
