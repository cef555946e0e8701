"""The tantivy baseline of the search benchmark: the same documents in a tantivy index, with
fast fields for the ranges and sorts and terms aggregations for the facets.

tantivy breaks ties in a sort by its own document order, not by work id; so each sort has a
fast field of its own holding the value and the work id in one number (`value << 26 | id` for the
descending sorts, `rank << 26 | (2**26 - 1 - id)` for title and creator, which sort ascending),
and every sort gives the engine's order. Facets: one terms aggregation per tag type over a
multi-valued fast field of canonical tag ids, asked for the top 200 and cut to 10 by count and
name, as the engine does.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import tantivy

from bench.search_docs import FACET_TYPES, NUMBERS, Doc, covered_ids, day_bounds, sort_keys
from bench.search_sql import Unsupported

ID_BITS = 26
ID_MASK = (1 << ID_BITS) - 1
ASCENDING = {"title", "creator"}
SORTS = ("updated", "published", "title", "creator", "words", "chapters", "kudos", "comments",
         "bookmarks", "hits")  # fmt: skip
FACET_SIZE = 200


class TantivyBaseline:
    name = "tantivy"

    def __init__(self, path: Path) -> None:
        self.path = path
        builder = tantivy.SchemaBuilder()
        builder.add_unsigned_field("id", stored=True, indexed=True, fast=True)
        builder.add_unsigned_field("restricted", indexed=True)
        builder.add_unsigned_field("complete", indexed=True)
        builder.add_text_field("language", tokenizer_name="raw", index_option="basic")
        builder.add_unsigned_field("tag", indexed=True)
        for kind in FACET_TYPES:
            builder.add_unsigned_field(f"top_{kind}", fast=True)
        for name in NUMBERS:
            builder.add_integer_field(name, indexed=True, fast=True)
        for name in SORTS:
            builder.add_unsigned_field(f"sort_{name}", fast=True)
        builder.add_text_field("doc", tokenizer_name="default", index_option="position")
        self.schema = builder.build()
        self.fill_seconds = 0.0
        self.covered: dict[str, list[int]] = {}
        self.searcher: Any = None

    def fill(self, docs: Iterable[Doc], tags: dict[int, tuple[str, str, int]]) -> None:
        started = time.perf_counter()
        self.tags = tags
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        self.index = tantivy.Index(self.schema, path=str(self.path))
        writer = self.index.writer(heap_size=512_000_000, num_threads=1)
        ranks = {name: _ranks(keys) for name, keys in sort_keys().items()}
        for doc in docs:
            document = tantivy.Document()
            document.add_unsigned("id", doc.id)
            document.add_unsigned("restricted", int(doc.restricted))
            document.add_unsigned("complete", int(doc.complete))
            document.add_text("language", doc.language)
            document.add_text("doc", doc.text)
            for tag_id in doc.tag_ids:
                document.add_unsigned("tag", tag_id)
            for kind, tops in doc.tops.items():
                for top in tops:
                    document.add_unsigned(f"top_{kind}", top)
            for name in NUMBERS:
                document.add_integer(name, doc.numbers[name])
            for name in SORTS:
                if name in ASCENDING:
                    key = ranks[name][doc.id] << ID_BITS | (ID_MASK - doc.id)
                else:
                    value = doc.numbers[name]
                    if name in {"published", "updated"}:
                        value //= 1_000_000  # seconds: the corpus's dates are whole days
                    key = value << ID_BITS | doc.id
                document.add_unsigned(f"sort_{name}", key)
            writer.add_document(document)
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()
        self.fill_seconds = time.perf_counter() - started

    def disk_bytes(self) -> int:
        return sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file())

    def _query(self, query: Any) -> Any:
        schema = self.schema
        must: list[tuple[Any, Any]] = [(tantivy.Occur.Must, tantivy.Query.all_query())]
        must.append((tantivy.Occur.MustNot, tantivy.Query.term_query(schema, "restricted", 1)))
        for name in query.include:
            must.append((tantivy.Occur.Must, self._tags(name)))
        for name in query.exclude:
            must.append((tantivy.Occur.MustNot, self._tags(name)))
        if query.complete is not None:
            complete = tantivy.Query.term_query(schema, "complete", 1)
            must.append((tantivy.Occur.Must if query.complete else tantivy.Occur.MustNot, complete))
        if query.lang is not None:
            must.append(
                (tantivy.Occur.Must, tantivy.Query.term_query(schema, "language", query.lang))
            )
        for clause in query.text:
            if len(clause) == 1 and clause[0].negated:
                must.append((tantivy.Occur.MustNot, self._phrase(clause[0].words)))
                continue
            if any(term.negated for term in clause):
                raise Unsupported("a left-out term inside OR")
            either = [(tantivy.Occur.Should, self._phrase(term.words)) for term in clause]
            must.append((tantivy.Occur.Must, tantivy.Query.boolean_query(either)))
        bounds = [(n, r.low, r.high) for n, r in query.ranges.items()]
        bounds += [(n, *day_bounds(d.start, d.end)) for n, d in query.dates.items()]
        for name, low, high in bounds:
            if low is None and high is None:
                continue
            ranged = tantivy.Query.range_query(schema, name, tantivy.FieldType.Integer, low, high)
            must.append((tantivy.Occur.Must, ranged))
        return tantivy.Query.boolean_query(must)

    def _tags(self, name: str) -> Any:
        if name not in self.covered:
            self.covered[name] = covered_ids(name)[0]
        ids = self.covered[name]
        if not ids:
            return tantivy.Query.empty_query()
        return tantivy.Query.term_set_query(self.schema, "tag", ids)

    def _phrase(self, words: tuple[str, ...]) -> Any:
        if len(words) == 1:
            return tantivy.Query.term_query(self.schema, "doc", words[0])
        return tantivy.Query.phrase_query(self.schema, "doc", list(words))

    def search(self, query: Any) -> tuple[int, list[int], dict[str, list[tuple[str, int]]], float]:
        if query.sort == "relevance" and query.positive_words:
            raise Unsupported("relevance ranking of free text")
        sort = "updated" if query.sort == "relevance" else query.sort
        default_order = "asc" if sort in ASCENDING else "desc"
        if query.order != default_order:
            raise Unsupported("a sort against its default order")
        started = time.perf_counter()
        compiled = self._query(query)
        order = tantivy.Order.Asc if sort in ASCENDING else tantivy.Order.Desc
        found = self.searcher.search(
            compiled,
            limit=query.per_page,
            count=True,
            order_by_field=f"sort_{sort}",
            offset=query.offset,
            order=order,
        )
        addresses = [address for _, address in found.hits]
        ids = self.searcher.fast_field_values("id", addresses) if addresses else []
        aggregations = {
            kind: {"terms": {"field": f"top_{kind}", "size": FACET_SIZE}} for kind in FACET_TYPES
        }
        counted = self.searcher.aggregate(compiled, aggregations)
        took = (time.perf_counter() - started) * 1000
        facets: dict[str, list[tuple[str, int]]] = {}
        for kind in FACET_TYPES:
            pairs = [
                (self.tags[int(bucket["key"])][1], int(bucket["doc_count"]))
                for bucket in counted.get(kind, {}).get("buckets", [])
            ]
            pairs.sort(key=lambda pair: (-pair[1], pair[0].lower()))
            facets[kind] = pairs[:10]
        return int(found.count or 0), [int(i) for i in ids], facets, took

    def close(self) -> None:
        self.searcher = None
        shutil.rmtree(self.path, ignore_errors=True)


def _ranks(keys: list[tuple[str, int]]) -> dict[int, int]:
    """Each id's place in key order; equal keys share a place (the id breaks the tie)."""
    keys.sort()
    ranks: dict[int, int] = {}
    place, previous = 0, None
    for key, pk in keys:
        if key != previous:
            place, previous = place + 1, key
        ranks[pk] = place
    return ranks
