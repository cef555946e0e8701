"""Writes for search: the change log the index follows."""

from __future__ import annotations

from collections.abc import Iterable

from ficarchive.search.models import SearchChange


def record_change(work_ids: Iterable[int | None]) -> None:
    """Note that these works' searchable data changed (None: the tags were wrangled).

    Call it inside the transaction that makes the change, so the note commits with it.
    """
    SearchChange.objects.bulk_create(
        [SearchChange(work_id=work_id) for work_id in dict.fromkeys(work_ids)]
    )
