"""A database that is busy or in maintenance answers 503 with Retry-After and a page saying so
(the API's JSON error under /api/), and the reads that need no write keep being served."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from django.db import OperationalError, connection
from django.test import Client, RequestFactory

from ficarchive.db import unlimited_statements
from ficarchive.social.models import Kudos
from ficarchive.unavailable import is_database_fault, server_error
from tests.api.conftest import API, bearer, token_for
from tests.conftest import logged_in, post_work

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite")
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL")
BUSY = "The archive is busy"


def assert_busy_page(response: Any) -> None:
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert BUSY in page
    assert "try again in a minute" in page
    assert "<nav" in page, "the page is the site's, with its navigation"


def assert_busy_json(response: Any) -> None:
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response.json()["error"]["code"] == "unavailable"
    assert response.json()["error"]["field"] is None


def assert_reads_served(work: Any, key: str, reader: Client) -> None:
    assert reader.get(f"/works/{work.pk}").status_code == 200
    assert reader.get("/").status_code == 200
    assert Client().get(f"/works/{work.pk}").status_code == 200
    assert Client().get("/works/search?q=lighthouse").status_code == 200
    assert bearer(key).get(f"{API}/works/{work.pk}").status_code == 200


@pytest.fixture
def read_only_sqlite(db: Any) -> Iterator[None]:
    """The archive's connection may only read (as a database file that is read-only)."""
    yield
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA query_only = OFF")


def make_read_only() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("SET default_transaction_read_only = on")


@sqlite_only
def test_a_write_to_a_read_only_sqlite_database_answers_503(read_only_sqlite, alice, carol):
    work = post_work(alice)
    key = token_for(carol)
    reader = logged_in(carol)
    make_read_only()
    assert_busy_page(reader.post(f"/works/{work.pk}/kudos"))
    assert_busy_json(bearer(key).post(f"{API}/works/{work.pk}/kudos"))
    assert_reads_served(work, key, reader)
    assert not Kudos.objects.exists()


@pytest.fixture
def read_only_postgresql(transactional_db: Any) -> Iterator[None]:
    """The archive's connection runs every transaction read-only (a replica, maintenance)."""
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET default_transaction_read_only = off")


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_in_a_read_only_postgresql_transaction_answers_503(
    read_only_postgresql, alice, carol
):
    work = post_work(alice)
    key = token_for(carol)
    reader = logged_in(carol)
    make_read_only()
    assert_busy_page(reader.post(f"/works/{work.pk}/kudos"))
    assert_busy_json(bearer(key).post(f"{API}/works/{work.pk}/kudos"))
    assert_reads_served(work, key, reader)
    assert not Kudos.objects.exists()


@pytest.fixture
def short_lock_wait(transactional_db: Any) -> Iterator[None]:
    options = connection.settings_dict["OPTIONS"]
    before = options.get("timeout")
    connection.close()
    options["timeout"] = 0.2
    yield
    connection.close()
    options["timeout"] = before


@sqlite_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_that_waits_past_the_lock_timeout_answers_503(short_lock_wait, alice, carol):
    work = post_work(alice)
    key = token_for(carol)
    reader = logged_in(carol)
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        assert_busy_page(reader.post(f"/works/{work.pk}/kudos"))
        assert_busy_json(bearer(key).post(f"{API}/works/{work.pk}/kudos"))
        assert_reads_served(work, key, reader)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert reader.post(f"/works/{work.pk}/kudos").status_code == 302, "works once it is free"


def _other_postgresql_connection() -> psycopg.Connection[Any]:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**params, autocommit=False)


@postgresql_only
def test_a_statement_past_the_statement_timeout_answers_503(db, alice, carol, settings):
    settings.STATEMENT_TIMEOUT_MS = 300
    work = post_work(alice)
    key = token_for(carol)
    reader = logged_in(carol)
    other = _other_postgresql_connection()
    try:  # writes to the kudos table wait for this lock, reads do not
        other.execute(f"LOCK TABLE {Kudos._meta.db_table} IN EXCLUSIVE MODE")
        assert_busy_page(reader.post(f"/works/{work.pk}/kudos"))
        assert_busy_json(bearer(key).post(f"{API}/works/{work.pk}/kudos"))
        assert_reads_served(work, key, reader)
    finally:
        other.rollback()
        other.close()


@pytest.fixture
def database_gone(transactional_db: Any) -> Iterator[None]:
    """The database cannot be reached (the server is down, or the file's folder is gone)."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent/folder/archive.sqlite3"
    else:
        connection.settings_dict["PORT"] = "1"
    yield
    connection.close()
    connection.settings_dict.update(saved)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pages_answer_503_when_the_database_cannot_be_reached(database_gone):
    assert_busy_page(Client().get("/"))
    assert_busy_page(Client().get("/works/1"))
    assert_busy_json(Client().get(f"{API}/works"))


def test_other_errors_stay_500():
    request = RequestFactory().get("/works")
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500
    try:
        raise OperationalError("database is locked")
    except OperationalError:
        assert server_error(request).status_code == 503
    assert not is_database_fault(ValueError("a bug"))


def _statement_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return str(cursor.fetchone()[0])


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_connections_opened_by_requests_get_the_statement_timeout_but_not_the_index_build(
    settings,
):
    settings.STATEMENT_TIMEOUT_MS = 1234
    connection.close()
    assert Client().get("/").status_code == 200
    assert _statement_timeout() == "1234ms"
    with unlimited_statements():
        assert _statement_timeout() == "0"
    assert _statement_timeout() == "1234ms"
