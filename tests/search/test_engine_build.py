"""The index build reads the taggings on a second connection, beside its own reads, when what it
must see is committed; inside a transaction of its caller it reads everything on one."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.http import QueryDict

from ficarchive.accounts.models import User
from ficarchive.search.engine import Index
from ficarchive.search.query import SearchQuery
from ficarchive.search.reading import one_snapshot, read_beside, read_taggings, read_works
from ficarchive.tags.models import EXPLICIT, MATURE
from tests.conftest import make_user, post_work

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
GUEST = AnonymousUser()
QUERIES = ["", "include=Fandom A", "exclude=Explicit", "include=Fluff&sort=title", "words=3-"]


def _archive() -> User:
    alice = make_user("alice")
    for n in range(12):
        post_work(
            alice,
            f"Work {n}",
            chapters=["<p>" + "word " * (n + 1) + "</p>"],
            rating=(EXPLICIT, MATURE)[n % 2],
            fandoms=[("Fandom A", "Fandom B", "Fandom C")[n % 3]],
            freeforms=["Fluff"] if n % 4 else ["Angst", "Fluff"],
        )
    return alice


def _answers(index: Index) -> list[tuple[int, list[int], dict[str, list[tuple[str, int]]]]]:
    found = []
    for params in QUERIES:
        result = index.search(SearchQuery.from_params(QueryDict(params)), GUEST)
        found.append((result.total, result.ids, result.facets))
    return found


def test_the_taggings_are_read_on_another_thread_and_connection_with_the_same_answer() -> None:
    _archive()
    seen: dict[str, object] = {}

    def read() -> tuple[np.ndarray, np.ndarray]:
        seen["thread"] = threading.current_thread()
        seen["connection"] = connection.connection
        return read_taggings()

    works, tags = read_beside(read).result()
    here_works, here_tags = read_taggings()
    assert seen["thread"] is not threading.current_thread()
    assert seen["connection"] is not connection.connection
    assert len(works) == 12 * 4 + 3  # rating, warning, fandom, Fluff; Angst on three
    assert works.tolist() == here_works.tolist()
    assert tags.tolist() == here_tags.tolist()


def test_an_index_built_with_reads_side_by_side_answers_as_one_built_on_one_connection() -> None:
    _archive()
    beside, alone = Index(), Index()
    alone.read_beside = False
    beside.build()
    alone.build()
    assert beside.work_tags.tags.tolist() == alone.work_tags.tags.tolist()
    answers = _answers(beside)
    assert answers == _answers(alone)
    assert answers[1][0] == 4  # Fandom A
    assert answers[2][0] == 6  # not Explicit


def test_a_build_inside_a_transaction_sees_its_uncommitted_works() -> None:
    alice = _archive()
    with transaction.atomic():
        post_work(alice, "Not yet committed", fandoms=["Fandom A"])
        index = Index()
        index.build()
        found = index.search(SearchQuery.from_params(QueryDict("include=Fandom A")), GUEST)
        assert found.total == 5
        transaction.set_rollback(True)


def test_a_failed_read_beside_raises_its_error_to_the_caller() -> None:
    def broken() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")

    with pytest.raises(Exception, match="no_such_table"):
        read_beside(broken).result()


def test_a_writer_goes_on_while_a_build_reads_and_the_build_sees_its_snapshot() -> None:
    alice = _archive()
    posted: list[str] = []

    def write() -> None:
        try:
            posted.append(post_work(alice, "Written during the build").title)
        finally:
            connection.close()

    with one_snapshot():
        before = read_works().ids.tolist()
        writer = threading.Thread(target=write)
        writer.start()
        writer.join(timeout=30)
        assert posted == ["Written during the build"]  # not held off by the reader
        assert read_works().ids.tolist() == before  # the reads still see one moment
    assert len(read_works().ids) == len(before) + 1
