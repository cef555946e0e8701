"""The full-text side of search: one document per listed work in the database's text index.

A document holds the work's words as the query sees them (`query.tokens`: lower-case letters
and digits), already split and joined by single spaces, in three fields:

- `title`: the title's words (for relevance: how many of the query's words are in the title);
- `text`: the title, the summary (as plain text), the creators' pseuds, the names of its tags;
- `body`: the posted chapters' text, searched only when the query asks for it (`body=true`).

SQLite keeps them in an FTS5 table (`tokenize='ascii'`: the words are split already, so the
index splits on the spaces only), PostgreSQL in a table with `tsvector` columns (`simple`
configuration) and GIN indexes. `write_documents(work_ids)` rewrites the documents of these
works; `search.actions.record_change` calls it in the transaction of every change.
`TextMatcher` turns the query's text clauses into one full-text query per kind of clause and
keeps recent answers as bitmaps, patched from the changed documents as the change log is read.
"""

from __future__ import annotations

import html
import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from pyroaring import BitMap

from ficarchive.search.bitmaps import bitmap_bytes, from_csv, to_bitmap
from ficarchive.search.query import Term, tokens

TABLE = "search_document"
FIELDS = ("title", "text", "body")
# A body is indexed up to this many words (PostgreSQL's tsvector holds at most 1 MB).
MAX_BODY_WORDS = 100_000
CHUNK = 500
_TAGS_HTML = re.compile(r"<[^>]*>")

SQLITE_CREATE = f"CREATE VIRTUAL TABLE {TABLE} USING fts5(title, text, body, tokenize='ascii')"
POSTGRES_CREATE = [
    f"""CREATE TABLE {TABLE} (
        work_id bigint PRIMARY KEY,
        title text NOT NULL,
        text text NOT NULL,
        body text NOT NULL,
        title_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', title)) STORED,
        text_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED,
        full_vector tsvector
            GENERATED ALWAYS AS (to_tsvector('simple', text || ' ' || body)) STORED
    )""",
    f"CREATE INDEX {TABLE}_title ON {TABLE} USING gin (title_vector)",
    f"CREATE INDEX {TABLE}_text ON {TABLE} USING gin (text_vector)",
    f"CREATE INDEX {TABLE}_full ON {TABLE} USING gin (full_vector)",
]


def plain(markup: str) -> str:
    """The text of sanitized HTML, for the text index."""
    return html.unescape(_TAGS_HTML.sub(" ", markup))


def words_of(*texts: str, limit: int | None = None) -> str:
    found = tokens(" ".join(texts))
    return " ".join(found[:limit] if limit is not None else found)


@dataclass(frozen=True)
class Document:
    work_id: int
    title: str
    text: str
    body: str


def _id_key() -> str:
    return "rowid" if connection.vendor == "sqlite" else "work_id"


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def build_documents(work_ids: Iterable[int]) -> list[Document]:
    """The documents the listed works among WORK_IDS should have, from the database."""
    from ficarchive.works.models import Chapter, Creatorship, Tagging, Work

    wanted = sorted({int(i) for i in work_ids})
    documents: list[Document] = []
    for chunk in _chunks(wanted):
        works = Work.objects.filter(
            id__in=chunk, is_draft=False, is_hidden=False, in_unrevealed_collection=False
        )
        rows = list(works.order_by("id").values_list("id", "title", "summary"))
        if not rows:
            continue
        listed = [row[0] for row in rows]
        creators: dict[int, list[str]] = {}
        for work_id, name, archived_for in (
            Creatorship.objects.filter(  # an anonymous work is not found by its creators
                work_id__in=listed, accepted=True, work__in_anonymous_collection=False
            )
            .order_by("work_id", "position", "id")
            .values_list("work_id", "pseud__name", "archived_for__name__name")
        ):  # a work archived for its author is found by the author's name too
            creators.setdefault(work_id, []).extend(filter(None, (archived_for, name)))
        tags: dict[int, list[str]] = {}
        for work_id, name in (
            Tagging.objects.filter(work_id__in=listed)
            .order_by("work_id", "tag_id")
            .values_list("work_id", "tag__name")
        ):
            tags.setdefault(work_id, []).append(name)
        bodies: dict[int, list[str]] = {}
        for work_id, body in (
            Chapter.objects.filter(work_id__in=listed, is_draft=False)
            .exclude(body="")
            .order_by("work_id", "position", "id")
            .values_list("work_id", "body")
        ):
            bodies.setdefault(work_id, []).append(plain(body))
        for work_id, title, summary in rows:
            documents.append(
                Document(
                    work_id,
                    words_of(title),
                    words_of(
                        title, plain(summary), *creators.get(work_id, []), *tags.get(work_id, [])
                    ),
                    words_of(*bodies.get(work_id, []), limit=MAX_BODY_WORDS),
                )
            )
    return documents


def stored_documents(work_ids: Iterable[int]) -> dict[int, Document]:
    """The documents the text index holds now for WORK_IDS."""
    found: dict[int, Document] = {}
    key = _id_key()
    with connection.cursor() as cursor:
        for chunk in _chunks(sorted({int(i) for i in work_ids})):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT {key}, title, text, body FROM {TABLE} WHERE {key} IN ({marks})",  # noqa: S608
                chunk,
            )
            for work_id, title, text, body in cursor.fetchall():
                found[work_id] = Document(work_id, title, text, body)
    return found


def write_documents(work_ids: Iterable[int]) -> None:
    """Rewrite the documents of these works: listed works get theirs, the others lose it."""
    wanted = sorted({int(i) for i in work_ids})
    if not wanted:
        return
    documents = build_documents(wanted)
    key = _id_key()
    with connection.cursor() as cursor:
        for chunk in _chunks(wanted):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {TABLE} WHERE {key} IN ({marks})", chunk)  # noqa: S608
        if documents:
            cursor.executemany(
                f"INSERT INTO {TABLE} ({key}, title, text, body) VALUES (%s, %s, %s, %s)",  # noqa: S608
                [(d.work_id, d.title, d.text, d.body) for d in documents],
            )


def rebuild_documents(batch: int = 2000) -> int:
    """Write every listed work's document again (after an upgrade or a raw bulk change)."""
    from ficarchive.works.models import Work

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
    listed = Work.objects.filter(is_draft=False, is_hidden=False, in_unrevealed_collection=False)
    ids = list(listed.values_list("id", flat=True))
    for start in range(0, len(ids), batch):
        write_documents(ids[start : start + batch])
    return len(ids)


# --- matching -------------------------------------------------------------------------------

Phrase = tuple[str, ...]
# A conjunction of clauses, each a disjunction of phrases; all positive.
Expression = tuple[tuple[Phrase, ...], ...]


def _contains(words: str, phrase: Phrase) -> bool:
    return f" {' '.join(phrase)} " in f" {words} "


def document_matches(document: Document, scope: str, expression: Expression) -> bool:
    """Python's answer to what the text index answers: used to patch remembered answers."""
    if scope == "title":
        fields = [document.title]
    elif scope == "body":
        fields = [document.text, document.body]
    else:
        fields = [document.text]
    return all(
        any(_contains(words, phrase) for phrase in clause for words in fields)
        for clause in expression
    )


def _fts5(scope: str, expression: Expression) -> str:
    columns = {"title": "title", "text": "text", "body": "text body"}[scope]
    clauses = [
        "(" + " OR ".join('"' + " ".join(phrase) + '"' for phrase in clause) + ")"
        for clause in expression
    ]
    return "{" + columns + "} : (" + " AND ".join(clauses) + ")"


def query_index(scope: str, expression: Expression) -> BitMap:
    """The ids of the works whose documents match, straight from the database's index."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"SELECT group_concat(rowid) FROM {TABLE} WHERE {TABLE} MATCH %s",  # noqa: S608
                [_fts5(scope, expression)],
            )
        else:
            column = {"title": "title_vector", "text": "text_vector", "body": "full_vector"}[scope]
            params: list[str] = []
            clauses = []
            for clause in expression:
                params += [" ".join(phrase) for phrase in clause]
                clauses.append(
                    "(" + " || ".join(["phraseto_tsquery('simple', %s)"] * len(clause)) + ")"
                )
            cursor.execute(
                f"SELECT string_agg(work_id::text, ',') FROM {TABLE} "  # noqa: S608
                f"WHERE {column} @@ ({' && '.join(clauses)})",
                params,
            )
        row = cursor.fetchone()
    return to_bitmap(from_csv(row[0] if row else None))


class TextMatcher:
    """Full-text answers as bitmaps; the recent ones kept (SIZE of them, and BUDGET bytes at
    most: a common word's answer holds most of the archive) and patched as documents change."""

    BUDGET = 8 * 2**20

    def __init__(self, size: int = 128) -> None:
        self.size = size
        self.remembered: OrderedDict[tuple[str, Expression], BitMap] = OrderedDict()
        self.held = 0  # bytes of the remembered answers

    def match(self, scope: str, expression: Expression) -> BitMap:
        key = (scope, expression)
        found = self.remembered.get(key)
        if found is None:
            found = query_index(scope, expression)
            self.remembered[key] = found
            self.held += bitmap_bytes(found)
            while len(self.remembered) > 1 and (
                len(self.remembered) > self.size or self.held > self.BUDGET
            ):
                self.held -= bitmap_bytes(self.remembered.popitem(last=False)[1])
        else:
            self.remembered.move_to_end(key)
        return found

    def changed(self, work_ids: Iterable[int]) -> None:
        """These works' documents may have changed: answer again for them."""
        if not self.remembered:
            return
        ids = BitMap(work_ids)
        documents = stored_documents(ids)
        for (scope, expression), found in self.remembered.items():
            found.difference_update(ids)
            found.update(
                work_id
                for work_id, document in documents.items()
                if document_matches(document, scope, expression)
            )
        self.held = sum(bitmap_bytes(found) for found in self.remembered.values())

    def clear(self) -> None:
        self.remembered.clear()
        self.held = 0

    def clauses(self, clauses: Sequence[Sequence[Term]], scope: str, universe: BitMap) -> BitMap:
        """Works in UNIVERSE meeting every clause (a clause: any of its terms)."""
        found = BitMap(universe)
        positive = tuple(
            tuple(term.words for term in clause)
            for clause in clauses
            if not any(term.negated for term in clause)
        )
        if positive:
            found &= self.match(scope, tuple(sorted(set(positive))))
        for clause in clauses:
            if not any(term.negated for term in clause):
                continue
            either = BitMap()
            for term in clause:
                matched = self.match(scope, ((term.words,),))
                either |= (universe - matched) if term.negated else (matched & universe)
            found &= either
        return found
