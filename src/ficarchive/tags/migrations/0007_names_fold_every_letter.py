"""On SQLite, rebuild the indexes on lower(...) now that LOWER folds every letter (ficarchive.db).

Before, SQLite's LOWER folded only ASCII letters, so "Ёлка" and "ёлка" could both be tags of one
type. Such tags would break the rebuilt unique index: the migration then stops and names them,
to be renamed (or one of each removed) before migrating again. Nothing to do on PostgreSQL.
"""

from django.core.management.base import CommandError
from django.db import IntegrityError, migrations

# NOT INDEXED: the old index still holds the ASCII-only keys, so read the names themselves.
CLASHING_TAGS = """
SELECT type, name FROM tags_tag NOT INDEXED
WHERE (type, lower(name)) IN (
    SELECT type, lower(name) FROM tags_tag NOT INDEXED GROUP BY 1, 2 HAVING count(*) > 1
)
ORDER BY type, lower(name), id
"""
LOWER_INDEXES = "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%lower(%'"


def rebuild_lower_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT lower('ÉMILE')")
        if cursor.fetchone()[0] != "émile":
            raise CommandError(
                "LOWER folds only ASCII letters here: ficarchive.db is not connected."
            )
        cursor.execute(CLASHING_TAGS)
        clashes: dict[tuple[str, str], list[str]] = {}
        for tag_type, name in cursor.fetchall():
            clashes.setdefault((tag_type, name.lower()), []).append(repr(name))
        if clashes:
            listed = "; ".join(
                f"{kind}: {', '.join(names)}" for (kind, _), names in clashes.items()
            )
            raise CommandError(
                "Tag names are unique per type without regard to case, and case now folds every "
                f"letter, not only ASCII ones. These tags clash: {listed}. Rename all but one of "
                "each (in the admin, say), then migrate again."
            )
        cursor.execute(LOWER_INDEXES)
        for (index,) in cursor.fetchall():
            try:
                cursor.execute(f'REINDEX "{index}"')
            except IntegrityError as exc:
                raise CommandError(
                    f"Index {index} holds names that now differ only in the case of non-ASCII "
                    f"letters ({exc}). Rename one of each, then migrate again."
                ) from exc


class Migration(migrations.Migration):
    dependencies = [("tags", "0006_wranglers_group")]

    operations = [migrations.RunPython(rebuild_lower_indexes, migrations.RunPython.noop)]
