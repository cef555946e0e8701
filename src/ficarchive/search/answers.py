"""The answers a process gave lately, kept until its index changes (`engine.Index.answers`).

A search that names the same query for the same kind of reader as one answered since the index
last changed gets that answer again without reading the index: the listings and the search
page ask the same few queries over and over (the home page, a big fandom's works, the feeds)
while an archive changes far less often than it is read. Every change the index takes (a
change-log row read, a work read again, the tag table read again) forgets them all.

Only answers that depend on nothing but the query, the index and whether the reader is signed
in are kept: not those of a reader with standing filters or mutes (their hidden works differ),
nor those of a collection (read from the database, whose changes are not in the change log).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ficarchive.search.engine import Result
    from ficarchive.search.query import SearchQuery

# Answers kept per process: a page of ids, its stamps and facets each, a few kilobytes.
KEPT = 256

AnswerKey = tuple[str, bool]


class Answers:
    """The last KEPT answers, the least recently asked going first."""

    def __init__(self, kept: int = KEPT) -> None:
        self.kept = kept
        self._answers: OrderedDict[AnswerKey, Result] = OrderedDict()

    @staticmethod
    def key(query: SearchQuery, signed_in: bool) -> AnswerKey | None:
        """What names QUERY's answer for every reader who hides nothing; None when the answer
        is not kept (a collection's works are read from the database)."""
        if query.collection is not None:
            return None
        return repr(query), signed_in

    def get(self, key: AnswerKey) -> Result | None:
        found = self._answers.get(key)
        if found is not None:
            self._answers.move_to_end(key)
        return found

    def keep(self, key: AnswerKey, result: Result) -> None:
        self._answers[key] = result
        self._answers.move_to_end(key)
        while len(self._answers) > self.kept:
            self._answers.popitem(last=False)

    def forget(self) -> None:
        """The index changed: no answer kept holds."""
        self._answers.clear()

    def __len__(self) -> int:
        return len(self._answers)
