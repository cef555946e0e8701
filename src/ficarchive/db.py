"""SQLite's LOWER() folds only the ASCII letters: lower('ÉMILE') is 'Émile'. Names that must be
unique without regard to case (tags per type, usernames, a user's pseuds) are indexed and looked
up by LOWER(name), so on every SQLite connection LOWER is replaced by Python's `str.lower`, which
folds every letter, as PostgreSQL's lower() does.

The function is deterministic, so SQLite accepts it in the expression indexes. Every connection
that writes to the database must have it: a row written through one without it (the sqlite3
shell, say) is indexed under its ASCII-only key. `PRAGMA integrity_check` reports such rows, and
a `REINDEX` through the archive's own connection puts them right.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created


def lower(value: Any) -> Any:
    """LOWER(value): a string in lower case by Unicode's rules (str.lower); anything else as is."""
    return value.lower() if isinstance(value, str) else value


def use_unicode_lower(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """On a new SQLite connection, replace the built-in LOWER with `lower`."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("lower", 1, lower, deterministic=True)


def connect_signals() -> None:
    connection_created.connect(use_unicode_lower, dispatch_uid="ficarchive.db.use_unicode_lower")
