"""API test helpers: tokens, clients that send them, and a fresh cache and search index."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.api.actions import create_access_token

API = "/api/v1"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def api_tests_use_the_database(db: Any) -> None:
    """Every API test reads the database (the cache and index are reset by the root fixture)."""


def token_for(user: User, scope: str = "write", name: str = "My tool") -> str:
    _, key = create_access_token(user, name, scope)
    return key


def bearer(key: str) -> Client:
    """A client with no session that sends KEY as a bearer token."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def error_of(response: Any) -> dict[str, Any]:
    """The error body of RESPONSE, checked to have the API's one error shape."""
    body = response.json()
    assert set(body) == {"error"}
    assert {"code", "message", "field"} <= set(body["error"])
    return body["error"]  # type: ignore[no-any-return]


@pytest.fixture
def alice_api(alice: User) -> Client:
    return bearer(token_for(alice))


@pytest.fixture
def carol_api(carol: User) -> Client:
    return bearer(token_for(carol))


@pytest.fixture
def carol_reader(carol: User) -> Client:
    """Carol with a read-only token."""
    return bearer(token_for(carol, "read"))


@pytest.fixture
def mallory_api(mallory: User) -> Client:
    return bearer(token_for(mallory))


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = IMMEDIATE
