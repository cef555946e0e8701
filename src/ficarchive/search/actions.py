"""Writes for search: the change log the index follows, and the works' text documents."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone

from ficarchive.search.documents import write_documents
from ficarchive.search.models import SearchChange

# Change log rows are kept this long: a process whose index is older than this (it has not
# answered a query for an hour) builds its index again instead of reading the log.
KEEP_CHANGES = timedelta(hours=1)
_recorded = [0]  # changes this process has noted: its index reads the log at once after one


def recorded() -> int:
    """How many times this process has noted a change (the index polls when it moves)."""
    return _recorded[0]


def record_change(work_ids: Iterable[int | None], *, text: bool = True) -> None:
    """Note that these works' searchable data changed (None: the tags were wrangled).

    Call it inside the transaction that makes the change, after the change, so the note
    commits with it. It rewrites the works' text documents at once (TEXT=False: only numbers
    changed, such as kudos or hits; the documents stay as they are).
    """
    ids = list(dict.fromkeys(work_ids))
    _recorded[0] += 1
    SearchChange.objects.bulk_create([SearchChange(work_id=work_id) for work_id in ids])
    works = [work_id for work_id in ids if work_id is not None]
    if works and text:
        write_documents(works)


def prune_changes(keep: timedelta = KEEP_CHANGES) -> int:
    """Delete change log rows older than KEEP (indexes that old rebuild instead); how many."""
    deleted, _ = SearchChange.objects.filter(created_at__lt=timezone.now() - keep).delete()
    return deleted
