"""SQLite's LOWER() folds only the ASCII letters: lower('ÉMILE') is 'Émile'. Names that must be
unique without regard to case (tags per type, usernames, a user's pseuds) are indexed and looked
up by LOWER(name), so on every SQLite connection LOWER is replaced by Python's `str.lower`, which
folds every letter, as PostgreSQL's lower() does.

The function is deterministic, so SQLite accepts it in the expression indexes. Every connection
that writes to the database must have it: a row written through one without it (the sqlite3
shell, say) is indexed under its ASCII-only key. `PRAGMA integrity_check` reports such rows, and
a `REINDEX` through the archive's own connection puts them right.

On PostgreSQL, every statement a web request runs is cut after STATEMENT_TIMEOUT_MS (setting
FICARCHIVE_STATEMENT_TIMEOUT_MS; 0 for none), so a runaway query ends, and the request answers
503 (see unavailable.py). Commands, task workers and the search index build are not limited.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.signals import request_started
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

_thread = threading.local()  # .serves_requests: this thread answers web requests


def lower(value: Any) -> Any:
    """LOWER(value): a string in lower case by Unicode's rules (str.lower); anything else as is."""
    return value.lower() if isinstance(value, str) else value


def use_unicode_lower(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """On a new SQLite connection, replace the built-in LOWER with `lower`."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("lower", 1, lower, deterministic=True)


def _set_statement_timeout(connection: BaseDatabaseWrapper, milliseconds: int) -> None:
    with connection.connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{milliseconds}ms"])
    connection.statement_timeout = milliseconds  # type: ignore[attr-defined]


def _limited(connection: BaseDatabaseWrapper) -> bool:
    return connection.vendor == "postgresql" and getattr(_thread, "serves_requests", False)


def limit_new_connection(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """A connection opened by a request thread gets the statement timeout."""
    if _limited(connection) and settings.STATEMENT_TIMEOUT_MS:
        _set_statement_timeout(connection, settings.STATEMENT_TIMEOUT_MS)


def limit_request_thread(sender: Any, **kwargs: Any) -> None:
    """Mark the thread as a request thread; a connection it kept open gets the timeout too."""
    _thread.serves_requests = True
    for connection in connections.all(initialized_only=True):
        timeout = getattr(connection, "statement_timeout", 0)
        if (
            _limited(connection)
            and connection.connection is not None
            and timeout != settings.STATEMENT_TIMEOUT_MS
        ):
            _set_statement_timeout(connection, settings.STATEMENT_TIMEOUT_MS)


@contextmanager
def unlimited_statements() -> Iterator[None]:
    """Run a long job (the search index build) inside a request without the statement timeout."""
    serves, _thread.serves_requests = getattr(_thread, "serves_requests", False), False
    limited = [
        c for c in connections.all(initialized_only=True) if getattr(c, "statement_timeout", 0)
    ]
    try:
        for connection in limited:
            if connection.connection is not None:
                _set_statement_timeout(connection, 0)
        yield
    finally:
        _thread.serves_requests = serves
        for connection in limited:
            if connection.connection is not None:
                _set_statement_timeout(connection, settings.STATEMENT_TIMEOUT_MS)


@contextmanager
def without_waiting() -> Iterator[None]:
    """Writes inside fail at once (OperationalError) where they would wait for another
    writer's lock: for a read that writes only if it can do so at no cost to the reader."""
    connection = connections["default"]
    if connection.vendor == "sqlite":
        waits = int(float(connection.settings_dict["OPTIONS"].get("timeout", 5)) * 1000)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 0")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA busy_timeout = {waits}")
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', '100ms', false)")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")
    else:
        yield


def connect_signals() -> None:
    connection_created.connect(use_unicode_lower, dispatch_uid="ficarchive.db.use_unicode_lower")
    connection_created.connect(limit_new_connection, dispatch_uid="ficarchive.db.limit_new")
    request_started.connect(limit_request_thread, dispatch_uid="ficarchive.db.limit_request")
