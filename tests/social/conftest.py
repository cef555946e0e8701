"""Fixtures for the social tests: a clean cache and tasks that run at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ficarchive.accounts.models import User
from tests.conftest import logged_in

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    """Background tasks run as soon as they are queued."""
    settings.TASKS = IMMEDIATE


@pytest.fixture
def bob_client(bob: User) -> Client:
    return logged_in(bob)


@pytest.fixture
def mallory_client(mallory: User) -> Client:
    return logged_in(mallory)
