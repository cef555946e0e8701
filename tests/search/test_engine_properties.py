"""The engine against a brute-force evaluation in plain Python, on random corpora and queries.

The tag world is fixed (a fandom metatag with sub-fandoms, synonyms, an unwrangled tag); the
works, their tags, numbers, dates, creators and visibility, and the queries are random.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ficarchive.accounts.actions import mute_user
from ficarchive.accounts.models import HiddenTag, HiddenWork, User
from ficarchive.search.documents import write_documents
from ficarchive.search.engine import FACET_SIZE, Index
from ficarchive.search.query import DateRange, Range, SearchQuery, Term, tokens
from ficarchive.social.models import WorkStats
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.models import Creatorship, Tagging, Work
from tests.conftest import make_user

# name: (type, canonical, synonym of, parent fandoms)
WORLD: dict[str, tuple[str, bool, str | None, tuple[str, ...]]] = {
    "Holmes & Related": (TagType.FANDOM, True, None, ()),
    "Sherlock (TV)": (TagType.FANDOM, True, None, ("Holmes & Related",)),
    "BBC Sherlock": (TagType.FANDOM, False, "Sherlock (TV)", ()),
    "Elementary": (TagType.FANDOM, True, None, ("Holmes & Related",)),
    "Original Work": (TagType.FANDOM, True, None, ()),
    "John Watson": (TagType.CHARACTER, True, None, ("Sherlock (TV)",)),
    "Watson": (TagType.CHARACTER, False, "John Watson", ()),
    "Fluff": (TagType.FREEFORM, True, None, ()),
    "fluffy": (TagType.FREEFORM, False, "Fluff", ()),
    "Angst": (TagType.FREEFORM, True, None, ()),
    "storm at sea": (TagType.FREEFORM, False, None, ()),
    "General Audiences": (TagType.RATING, True, None, ()),
    "Explicit": (TagType.RATING, True, None, ()),
    "Gen": (TagType.CATEGORY, True, None, ()),
}
NAMES = list(WORLD)
VOCABULARY = ["storm", "sea", "lamp", "night", "keeper", "tea", "baker"]
LANGUAGES = ["en", "de"]
START = datetime(2021, 1, 1, tzinfo=UTC)
USERS = ["alice", "bob", "carol"]
VIEWERS = [None, "carol", "alice"]


@dataclass
class Spec:
    title: str
    summary: str
    creators: list[str]
    tags: list[str]
    language: str
    draft: bool
    hidden: bool
    restricted: bool
    words: int
    chapters: int
    expected: int | None
    kudos: int
    hits: int
    published: datetime
    updated: datetime


def _covered(name: str) -> set[str]:
    """Brute force: the tag names a filter on NAME includes."""
    found = {n for n in WORLD if n.lower() == name.lower()}
    covered: set[str] = set()
    for tag in found:
        kind, _, synonym_of, _ = WORLD[tag]
        family = {synonym_of or tag}
        if kind == TagType.FANDOM:
            grew = True
            while grew:
                more = {
                    n
                    for n, (kind_of_n, _, _, parents) in WORLD.items()
                    if kind_of_n == TagType.FANDOM and set(parents) & family
                }
                grew = not more <= family
                family |= more
        covered |= family | {n for n, (_, _, syn, _) in WORLD.items() if syn in family}
    return covered


def _merger(name: str) -> str:
    return WORLD[name][2] or name


words = st.lists(st.sampled_from(VOCABULARY), max_size=3).map(" ".join)
moments = st.integers(0, 4 * 365 * 24).map(lambda hours: START + timedelta(hours=hours))


@st.composite
def specs(draw: Any) -> Spec:
    published = draw(moments)
    chapters = draw(st.integers(1, 4))
    return Spec(
        title=draw(words) or "Untitled",
        summary=draw(words),
        creators=draw(st.lists(st.sampled_from(USERS), min_size=1, max_size=2, unique=True)),
        tags=draw(st.lists(st.sampled_from(NAMES), max_size=4, unique=True)),
        language=draw(st.sampled_from(LANGUAGES)),
        draft=draw(st.integers(0, 5)) == 0,
        hidden=draw(st.integers(0, 5)) == 0,
        restricted=draw(st.integers(0, 3)) == 0,
        words=draw(st.integers(0, 3000)),
        chapters=chapters,
        expected=draw(st.sampled_from([None, chapters, chapters + 1])),
        kudos=draw(st.integers(0, 5)),
        hits=draw(st.integers(0, 50)),
        published=published,
        updated=published + timedelta(hours=draw(st.integers(0, 1000))),
    )


terms = st.builds(
    Term,
    st.lists(st.sampled_from([*VOCABULARY, "alice", "fluffy"]), min_size=1, max_size=2).map(tuple),
    st.booleans(),
)
bound = st.one_of(st.none(), st.integers(0, 3000))
bounds = st.tuples(bound, bound)
days = st.one_of(st.none(), st.dates(date(2020, 12, 1), date(2025, 3, 1)))


@st.composite
def queries(draw: Any) -> SearchQuery:
    """A few filters at a time (every one of them at once would rarely match anything)."""
    kinds = draw(st.lists(st.sampled_from(FILTERS), max_size=3, unique=True))
    ranges, dates = {}, {}
    for name in ("words", "kudos", "hits", "chapters"):
        if name in kinds:
            ranges[name] = Range(*draw(bounds))
    for name in ("published", "updated"):
        if name in kinds:
            dates[name] = DateRange(draw(days), draw(days))
    clauses = st.lists(st.lists(terms, min_size=1, max_size=2), min_size=1, max_size=2)
    return SearchQuery(
        text=tuple(tuple(c) for c in draw(clauses)) if "text" in kinds else (),
        include=tuple(draw(st.lists(st.sampled_from([*NAMES, "Nothing"]), min_size=1, max_size=2)))
        if "include" in kinds
        else (),
        exclude=tuple(draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=2)))
        if "exclude" in kinds
        else (),
        complete=draw(st.booleans()) if "complete" in kinds else None,
        lang=draw(st.sampled_from(LANGUAGES)) if "lang" in kinds else None,
        ranges=ranges,
        dates=dates,
        sort=draw(st.sampled_from(SORTS)),
        order=draw(st.sampled_from(["asc", "desc"])),
        page=draw(st.integers(1, 3)),
        per_page=draw(st.integers(1, 4)),
    )


FILTERS = ["text", "include", "exclude", "complete", "lang", "words", "kudos", "hits",
           "chapters", "published", "updated"]  # fmt: skip
SORTS = ["relevance", "updated", "published", "title", "creator", "words", "kudos", "hits"]


def brute_force(
    corpus: dict[int, Spec],
    query: SearchQuery,
    viewer: str | None,
    hidden: tuple[str | None, frozenset[int]] = (None, frozenset()),
) -> tuple[int, list[int], dict[str, list[tuple[str, int]]]]:
    """HIDDEN: carol's standing filters, a tag name (or None) and work ids."""
    muted = {"bob"} if viewer == "carol" else set()
    hidden_tag, hidden_works = hidden if viewer == "carol" else (None, frozenset())
    hidden_names = _covered(hidden_tag) if hidden_tag else set()

    def text_of(spec: Spec) -> list[str]:
        return tokens(" ".join([spec.title, spec.summary, *spec.creators, *spec.tags]))

    def has(spec: Spec, term: Term) -> bool:
        found = " " + " ".join(term.words) + " " in " " + " ".join(text_of(spec)) + " "
        return found != term.negated

    def number(spec: Spec, name: str) -> int:
        return {"words": spec.words, "chapters": spec.chapters, "kudos": spec.kudos,
                "hits": spec.hits}[name]  # fmt: skip

    def keeps(spec: Spec) -> bool:
        complete = spec.expected is not None and spec.chapters >= spec.expected
        return (
            not spec.draft
            and not spec.hidden
            and not set(spec.tags) & hidden_names
            and not (viewer is None and spec.restricted)
            and not muted & set(spec.creators)
            and all(set(spec.tags) & _covered(name) for name in query.include)
            and not any(set(spec.tags) & _covered(name) for name in query.exclude)
            and query.complete in (None, complete)
            and query.lang in (None, spec.language)
            and all(r.contains(number(spec, n)) for n, r in query.ranges.items())
            and all(
                span.contains((spec.published if n == "published" else spec.updated).date())
                for n, span in query.dates.items()
            )
            and all(any(has(spec, term) for term in clause) for clause in query.text)
        )

    found = sorted(
        (i for i, spec in corpus.items() if keeps(spec) and i not in hidden_works), reverse=True
    )

    def key(work_id: int) -> Any:
        spec = corpus[work_id]
        if query.sort == "relevance" and query.positive_words:
            return len(set(query.positive_words) & set(tokens(spec.title)))
        return {
            "relevance": spec.updated,
            "updated": spec.updated,
            "published": spec.published,
            "title": spec.title.casefold(),
            "creator": spec.creators[0].casefold(),
            "words": spec.words,
            "kudos": spec.kudos,
            "hits": spec.hits,
        }[query.sort]

    ordered = sorted(found, key=key, reverse=query.order == "desc")
    counts: dict[str, int] = {}
    for work_id in found:
        for top in {_merger(name) for name in corpus[work_id].tags}:
            counts[top] = counts.get(top, 0) + 1
    facets: dict[str, list[tuple[str, int]]] = {kind.value: [] for kind in TagType}
    for name, count in sorted(counts.items(), key=lambda p: (-p[1], p[0].lower())):
        if len(facets[WORLD[name][0]]) < FACET_SIZE:
            facets[WORLD[name][0]].append((name, count))
    return len(found), ordered[query.offset : query.offset + query.per_page], facets


def _make_world() -> dict[str, Tag]:
    tags: dict[str, Tag] = {}
    for name, (kind, canonical, synonym_of, _) in WORLD.items():
        tag = Tag.objects.filter(type=kind, name=name).first()
        if tag is None:
            tag = Tag.objects.create(
                type=kind, name=name, canonical=canonical, synonym_of=tags.get(synonym_of or "")
            )
        tags[name] = tag
    for name, (_, _, _, parents) in WORLD.items():
        if parents:
            tags[name].parents.set([tags[p] for p in parents])
    return tags


def _store(corpus: list[Spec], tags: dict[str, Tag], users: dict[str, User]) -> dict[int, Spec]:
    stored = {}
    for spec in corpus:
        work = Work.objects.create(
            title=spec.title,
            summary=f"<p>{spec.summary}</p>",
            language=spec.language,
            is_draft=spec.draft,
            is_hidden=spec.hidden,
            restricted=spec.restricted,
            word_count=spec.words,
            chapter_count=spec.chapters,
            expected_chapters=spec.expected,
            published_at=spec.published,
            updated_at=spec.updated,
        )
        Creatorship.objects.bulk_create(
            Creatorship(work=work, pseud=users[name].default_pseud, accepted=True, position=n)
            for n, name in enumerate(spec.creators)
        )
        Tagging.objects.bulk_create(Tagging(work=work, tag=tags[name]) for name in spec.tags)
        WorkStats.objects.create(work=work, kudos=spec.kudos, hits=spec.hits)
        stored[work.pk] = spec
    return stored


@settings(
    max_examples=25,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    corpus=st.lists(specs(), min_size=3, max_size=12),
    searches=st.lists(st.tuples(queries(), st.sampled_from(VIEWERS)), min_size=8, max_size=8),
    hidden_tag=st.one_of(st.none(), st.sampled_from(NAMES)),
    hidden_works=st.lists(st.integers(0, 11), max_size=3),
)
def test_engine_agrees_with_brute_force(
    db: Any,
    corpus: list[Spec],
    searches: list[tuple[SearchQuery, str | None]],
    hidden_tag: str | None,
    hidden_works: list[int],
) -> None:
    with transaction.atomic():
        users = {name: make_user(name) for name in USERS}
        mute_user(users["carol"], users["bob"])
        tags = _make_world()
        stored = _store(corpus, tags, users)
        write_documents(stored)
        # carol's standing filters: a tag (with what it covers) and single works
        if hidden_tag:
            HiddenTag.objects.create(user=users["carol"], tag=tags[hidden_tag])
        ids = list(stored)
        hidden = frozenset(ids[n] for n in hidden_works if n < len(ids))
        HiddenWork.objects.bulk_create(HiddenWork(user=users["carol"], work_id=i) for i in hidden)
        # Every tag big (bitmaps, sorted lists walked; group codes one per row, the rest set
        # aside; every group keeping its own counts) and every tag small (database, sorts; one
        # group code per type, the rest counted work by work).
        every_big, every_small = Index(big_tag=1), Index(big_tag=10**9)
        every_big.direct_sort = 0
        every_big.walk_head = 1  # heads of sorted lists as short as the page needs
        every_big.code_width = 1
        every_big.profile_sizes = (1, 10**9)
        every_small.coded_per_type = 1
        every_big.scan_columns, every_small.scan_columns = True, False  # ranges both ways
        for index in (every_big, every_small):
            index.build()
        for query, viewer in searches:
            user = users[viewer] if viewer else AnonymousUser()
            total, page, facets = brute_force(stored, query, viewer, (hidden_tag, hidden))
            for index in (every_big, every_small):
                for way in ("bitmaps", "codes", "works"):  # group by group, by codes, by work
                    index.facet_way = way
                    result = index.search(query, user)
                    assert (result.total, result.ids) == (total, page), query
                    assert result.facets == facets, query
        transaction.set_rollback(True)
