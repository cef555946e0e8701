"""Fill the works' text documents (0002 made the table) for the works already in the archive,
once the works have every column the documents read; an archive whose documents are already
filled is left as it is."""

from typing import Any

from django.db import migrations


def fill(apps: Any, schema_editor: Any) -> None:
    from ficarchive.search import documents

    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {documents.TABLE} LIMIT 1")  # noqa: S608
        if cursor.fetchone() is None:
            documents.rebuild_documents()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_saved_searches"),
        ("works", "0006_collection_secrecy"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
