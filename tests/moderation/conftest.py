"""Site switch helpers: Ada is a superadmin (conftest), Sam is staff without being one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ficarchive.accounts.models import User
from ficarchive.moderation import switches
from ficarchive.moderation.actions import change_switches
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def switches_start_and_end_on(db: Any) -> Iterator[None]:
    """Each test's database is new: no process memory of another test's switches."""
    switches.forget()
    yield
    switches.forget()


@pytest.fixture
def sam(db: Any) -> User:
    user = make_user("sam", staff=True)
    user.is_superuser = False
    user.save(update_fields=["is_superuser"])
    return user


@pytest.fixture
def turn(ada: User) -> Any:
    """`turn(downloads=False)`: Ada changes the switches through the action."""

    def change(**given: Any) -> switches.Switches:
        return change_switches(ada, **given)

    return change
