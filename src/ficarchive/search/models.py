"""The search change log: one row per work whose searchable data changed (or per wrangling change).

Rows are written in the transaction of the action that makes the change; every process's index
reads the rows it has not seen before answering a query.
"""

from __future__ import annotations

from django.db import models


class SearchChange(models.Model):
    """`work_id` None means tags were wrangled: the index reloads the tag table."""

    work_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"change {self.pk} to work {self.work_id}" if self.work_id else f"tags {self.pk}"


from ficarchive.search.saved import SavedSearch, SavedSearchHit  # noqa: E402,F401 (this app's)
