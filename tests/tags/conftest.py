"""Wendy wrangles tags: she is in the "Tag wranglers" group. Helpers make canonical tags
through the real wrangling actions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.tags import actions
from ficarchive.tags.models import Tag
from tests.conftest import logged_in, make_user


@pytest.fixture
def wendy(db: Any) -> User:
    user = make_user("wendy")
    user.groups.add(Group.objects.get(name="Tag wranglers"))
    return User.objects.get(pk=user.pk)  # no cached permissions


@pytest.fixture
def wendy_client(wendy: User) -> Client:
    return logged_in(wendy)


def tag(tag_type: str, name: str) -> Tag:
    """The tag of this type and name, made (unwrangled) if it does not exist yet."""
    found, _ = Tag.objects.get_or_create(type=tag_type, name=name)
    return found


def canonical(
    wrangler: User,
    tag_type: str,
    name: str,
    *,
    fandoms: Sequence[Tag] = (),
    characters: Sequence[Tag] = (),
) -> Tag:
    """A canonical tag, with fandoms and characters, made through the wrangling actions."""
    made = tag(tag_type, name)
    if not made.canonical:
        actions.make_canonical(wrangler, made)
    if fandoms:
        actions.set_parents(wrangler, made, fandoms)
    if characters:
        actions.set_relationship_characters(wrangler, made, characters)
    made.refresh_from_db()
    return made


def fresh(found: Tag) -> Tag:
    found.refresh_from_db()
    return found
