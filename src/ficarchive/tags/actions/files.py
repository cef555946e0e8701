"""Tags files in our own CSV format (tags/csvfile.py), and the starter tags of the demo."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction

from ficarchive.search.actions import record_change
from ficarchive.tags import csvfile
from ficarchive.tags.actions.wrangling import _q, _require_wrangler, _snapshot, check_tag_rules
from ficarchive.tags.models import FIXED_TYPES, ChangeKind, Tag, TagType, WranglingChange

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User

    AnyUser = User | AnonymousUser


@dataclass
class LoadReport:
    created: int = 0
    changed: int = 0
    unchanged: int = 0


_UNWRANGLED: dict[str, Any] = {
    "canonical": False,
    "synonym_of": None,
    "parents": [],
    "characters": [],
}


def load_tags(data: bytes, source: str, user: AnyUser | None = None) -> LoadReport:
    """Load a tags file (see `tags.csvfile`): all or nothing, and loading it twice changes
    nothing the second time. Each bad row is reported by line number and nothing is written.

    Each tag the file changes gets a logged (undoable) change. The command line passes no user.
    """
    if user is not None:
        _require_wrangler(user)
    rows = csvfile.read_rows(data, source)
    report = LoadReport()
    with transaction.atomic():
        tags = csvfile.check_rows(rows, source)
        created: set[int] = set()
        for row in rows:
            if row.key not in tags:
                tags[row.key] = Tag.objects.create(type=row.type, name=row.name)
                created.add(tags[row.key].pk)
        free = [row for row in rows if row.type not in FIXED_TYPES]
        for row in free:
            if row.synonym_of:  # links it repeats are its canonical tag's (checked): not its own
                row.fandoms, row.characters = [], []
        before = _snapshot(tags[row.key].pk for row in free)
        for row in free:
            target = tags[csvfile.key_of(row.type, row.synonym_of)] if row.synonym_of else None
            Tag.objects.filter(pk=tags[row.key].pk).update(
                canonical=row.is_canonical, synonym_of=target
            )
        for row in free:
            tag = tags[row.key]
            tag.parents.set([tags[csvfile.key_of(TagType.FANDOM, n)] for n in row.fandoms])
            tag.characters.set([tags[csvfile.key_of(TagType.CHARACTER, n)] for n in row.characters])
        check_tag_rules(tags[row.key] for row in free)
        after = _snapshot(tags[row.key].pk for row in free)
        for row in free:
            pk = str(tags[row.key].pk)
            was = _UNWRANGLED if int(pk) in created else before[pk]
            if was == after[pk] and int(pk) not in created:
                report.unchanged += 1
                continue
            if int(pk) in created:
                report.created += 1
            else:
                report.changed += 1
            WranglingChange.objects.create(
                kind=ChangeKind.LOAD,
                tag=tags[row.key],
                user=user if user is not None and user.is_authenticated else None,
                description=f"Loaded {_row_summary(row)} from {source}, line {row.line}.",
                before={pk: was},
                after={pk: after[pk]},
            )
        report.unchanged += len(rows) - len(free)
        media_changed = _set_media(rows, tags)
        for row in free:  # a tag whose only change is its media type (not logged: no state)
            tag_id = tags[row.key].pk
            same = before[str(tag_id)] == after[str(tag_id)]
            if tag_id in media_changed and tag_id not in created and same:
                report.unchanged -= 1
                report.changed += 1
        if report.created or report.changed:
            record_change([None])  # filters follow the file's wrangling at once
    return report


def _set_media(rows: list[csvfile.Row], tags: dict[csvfile.Key, Tag]) -> set[int]:
    """Give the fandoms whose rows name a media type that type (one statement per type);
    returns the ids of the tags whose media type changed."""
    by_media: dict[str, list[int]] = {}
    for row in rows:
        tag = tags[row.key]
        if row.media and tag.media != row.media:
            by_media.setdefault(row.media, []).append(tag.pk)
            tag.media = row.media
    for media, ids in by_media.items():
        Tag.objects.filter(pk__in=ids).update(media=media)
    return {pk for ids in by_media.values() for pk in ids}


def _row_summary(row: csvfile.Row) -> str:
    if row.is_canonical:
        state = "canonical"
    elif row.synonym_of:
        state = f"a synonym of {_q(row.synonym_of)}"
    else:
        state = "unwrangled"
    parts = [f"{_q(row.name)} ({state}"]
    if row.fandoms:
        parts.append(f"; fandoms {', '.join(_q(n) for n in row.fandoms)}")
    if row.characters:
        parts.append(f"; characters {', '.join(_q(n) for n in row.characters)}")
    return "".join(parts) + ")"


STARTER_DIR = Path(__file__).parent.parent / "starter"


def load_starter_tags() -> LoadReport:
    """Load the starter tags shipped for the demo's fandoms (every file in tags/starter/)."""
    total = LoadReport()
    for path in sorted(STARTER_DIR.glob("*.csv")):
        report = load_tags(path.read_bytes(), path.name)
        total.created += report.created
        total.changed += report.changed
        total.unchanged += report.unchanged
    return total
