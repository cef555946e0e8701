"""A property-based run against the OpenAPI schema (schemathesis, through WSGI, no server):
whatever a client sends, the API never answers 5xx and its answers match the schema."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ficarchive.accounts.models import User
from ficarchive.api.main import api
from ficarchive.social import actions
from ficarchive.wsgi import application
from tests.api.conftest import token_for
from tests.conftest import post_work

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """The WSGI handler closes the database connection after each request; inside a test's
    transaction that would end the test's data (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def carol_key(db: Any, settings: Any, alice: User, carol: User) -> str:
    """A write token of Carol's, in an archive with something in it (ids 1 and up)."""
    settings.API_RATE_LIMIT_GUEST = settings.API_RATE_LIMIT_USER = 10**9
    work = post_work(alice, chapters=["<p>One</p>", "<p>Two</p>"])
    actions.post_comment(carol, work, "Nice")
    actions.save_bookmark(carol, actions.BookmarkDetails(notes="Good"), work=work)
    return token_for(carol, "write", "Fuzzer")


def _live_schema() -> Any:
    """The schema the API serves (as /api/v1/openapi.json gives it), called through WSGI."""
    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema())))
    loaded.app = application
    return loaded


schema = _live_schema()


@schema.parametrize()
@hypothesis_settings(
    max_examples=4,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_matches_the_schema_and_none_is_a_server_error(
    case: Any, carol_key: str
) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {carol_key}"}, checks=CHECKS)
