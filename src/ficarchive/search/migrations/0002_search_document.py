"""The works' text documents: an FTS5 table on SQLite, tsvector columns and GIN indexes on
PostgreSQL (search/documents.py); 0004 fills it for the works already in the archive, with
the works' columns of today."""

from typing import Any

from django.db import migrations


def create(apps: Any, schema_editor: Any) -> None:
    from ficarchive.search import documents

    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(documents.SQLITE_CREATE)
    else:
        for statement in documents.POSTGRES_CREATE:
            schema_editor.execute(statement)


def drop(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute("DROP TABLE IF EXISTS search_document")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_change_log"),
        ("works", "0001_initial"),
        ("social", "0002_comments_outlive_chapters"),
        ("accounts", "0003_standing_filters"),
        ("tags", "0006_wranglers_group"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
