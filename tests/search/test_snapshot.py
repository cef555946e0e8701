"""One search index per machine: the snapshot file every process maps (search/snapshot.py) and
how a process keeps to it (search/index_keeper.py), on the real database."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connections
from django.http import QueryDict
from django.test import override_settings

from ficarchive.accounts.models import User
from ficarchive.search import index_keeper, snapshot
from ficarchive.search.engine import Index, Result
from ficarchive.search.following import MAX_SILENCE
from ficarchive.search.index_keeper import get_index, reset_index
from ficarchive.search.query import SearchQuery
from ficarchive.tags.models import Tag
from ficarchive.works import actions
from ficarchive.works.models import Work
from tests.conftest import post_work

GUEST = AnonymousUser()
QUERIES = (
    "",
    "q=dragon",
    "include=Dragon Age",
    "sort=title",
    "sort=kudos",
    "exclude=Angst",
    "include=Explicit",
    "include=Fluff&exclude=Dragon Age",
    "complete=true",
)


@pytest.fixture
def sharing(tmp_path: Path) -> Iterator[Path]:
    """Snapshots on, in a folder of this test's own."""
    with override_settings(SEARCH_SNAPSHOTS=True, SEARCH_SNAPSHOT_DIR=tmp_path):
        reset_index()
        yield tmp_path
        reset_index()


@pytest.fixture
def shelf(alice: User, bob: User) -> None:
    post_work(alice, "Dragon Tea", fandoms=["Dragon Age"], freeforms=["Fluff"])
    post_work(bob, "Angsty Dragon", fandoms=["Dragon Age"], freeforms=["Angst"])
    post_work(alice, "Quiet Harbour", fandoms=["Harbour Tales"], freeforms=["Fluff"])
    post_work(bob, "Explicit Things", fandoms=["Harbour Tales"], rating="Explicit")


def answer(index: Index, params: str) -> Result:
    return index.search(SearchQuery.from_params(QueryDict(params)), GUEST)


def found(params: str) -> list[int]:
    return list(answer(get_index(), params).ids)


def titles(ids: list[int]) -> list[str]:
    by_id = dict(Work.objects.filter(id__in=ids).values_list("id", "title"))
    return [by_id[i] for i in ids]


def built() -> Index:
    index = Index()
    index.build()
    return index


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_mapped_snapshot_answers_every_query_as_the_built_index(
    sharing: Path, shelf: None
) -> None:
    original = built()
    assert snapshot.write(original) == sharing / snapshot.FILE_NAME
    mapped = snapshot.load()
    assert mapped is not None and mapped.origin is not None
    assert mapped.origin.last_change == original.last_change > 0
    for params in QUERIES:
        ours, theirs = answer(mapped, params), answer(original, params)
        assert (ours.ids, ours.total, ours.facets) == (theirs.ids, theirs.total, theirs.facets)
    assert answer(mapped, "include=Dragon Age").total == 2
    assert answer(mapped, "include=Fluff&exclude=Dragon Age").total == 1
    # The arrays are the file's pages, not copies of them.
    arrays = [value for value in vars(mapped).values() if isinstance(value, np.ndarray)]
    assert arrays and all(not array.flags.owndata for array in arrays if array.nbytes)
    assert list(sharing.glob("*.tmp")) == []  # written through a temporary file, then moved


def test_a_process_maps_the_snapshot_and_follows_changes_made_after_it(
    sharing: Path, shelf: None, alice: User, ada: User
) -> None:
    assert len(found("q=dragon")) == 2  # the first search builds, writes and maps
    file = sharing / snapshot.FILE_NAME
    assert get_index().origin is not None and get_index().origin.identity == snapshot.identity()
    before = digest(file)
    harbour = post_work(alice, "Dragon Harbour", fandoms=["Harbour Tales"])
    actions.hide_work(ada, Work.objects.get(title="Dragon Tea"), "spam")
    assert titles(found("q=dragon")) == ["Dragon Harbour", "Angsty Dragon"]
    assert harbour.id in found("fandom=Harbour Tales")
    assert digest(file) == before, "changes stay in the process: the mapping is copy-on-write"
    reset_index()  # another process of the machine: it maps the same file and reads the log
    assert get_index().origin.identity == snapshot.identity()
    assert titles(found("q=dragon")) == ["Dragon Harbour", "Angsty Dragon"]


def rewrite_header(path: Path, change: Callable[[dict], None]) -> None:
    raw = path.read_bytes()
    length = int.from_bytes(raw[8:16], "little")
    header = json.loads(raw[16 : 16 + length])
    change(header)
    new = json.dumps(header).encode()
    assert 16 + len(new) <= 4096, "the header still fits before the data"
    path.write_bytes(raw[:8] + len(new).to_bytes(8, "little") + new + raw[16 + len(new) :])


SPOILERS: dict[str, Callable[[Path], None]] = {
    "another database": lambda p: rewrite_header(p, lambda h: h.update(database="sqlite:x:1:2")),
    "other code": lambda p: rewrite_header(p, lambda h: h.update(code="0" * 16)),
    "another format": lambda p: rewrite_header(p, lambda h: h.update(format=99)),
    "older than the change log keeps": lambda p: rewrite_header(
        p, lambda h: h.update(current_at=time.time() - MAX_SILENCE - 1)
    ),
    "from the future": lambda p: rewrite_header(
        p, lambda h: h.update(current_at=time.time() + 3600)
    ),
    "cut short": lambda p: p.write_bytes(p.read_bytes()[:-100]),
    "not a snapshot": lambda p: p.write_bytes(b"GIF89a" + b"\0" * 5000),
    "empty": lambda p: p.write_bytes(b""),
    "a header that is not JSON": lambda p: p.write_bytes(
        snapshot.MAGIC + (20).to_bytes(8, "little") + b"{not json" + b"\0" * 5000
    ),
}


@pytest.mark.parametrize("spoil", SPOILERS.values(), ids=SPOILERS.keys())
def test_an_unusable_snapshot_is_never_mapped_and_a_good_one_replaces_it(
    sharing: Path, shelf: None, spoil: Callable[[Path], None]
) -> None:
    file = sharing / snapshot.FILE_NAME
    snapshot.write(built())
    spoil(file)
    assert snapshot.load() is None
    assert len(found("q=dragon")) == 2  # built instead, and written over the spoilt file
    assert snapshot.load() is not None
    assert get_index().origin.identity == snapshot.identity()


def test_a_half_written_snapshot_is_not_read(sharing: Path, shelf: None) -> None:
    (sharing / ".index-crashed.tmp").write_bytes(b"FICINDEX" + b"\0" * 100)
    assert snapshot.load() is None
    assert len(found("")) == 4
    assert get_index().origin is not None


def test_with_snapshots_off_each_process_builds_its_own(tmp_path: Path, shelf: None) -> None:
    with override_settings(SEARCH_SNAPSHOTS=False, SEARCH_SNAPSHOT_DIR=tmp_path):
        reset_index()
        assert len(found("")) == 4
        assert get_index().origin is None
        assert list(tmp_path.iterdir()) == []


def test_discarding_the_snapshot_makes_the_next_process_read_the_archive(
    sharing: Path, shelf: None
) -> None:
    assert len(found("")) == 4
    reset_index(discard_snapshot=True)
    assert snapshot.identity() is None
    assert len(found("")) == 4
    assert snapshot.identity() is not None


def background_job(name: str) -> None:
    """Wait for this process's background search job NAME to end."""
    for thread in threading.enumerate():
        if thread.name == f"search-{name}":
            thread.join(timeout=60)
            assert not thread.is_alive()


def look_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_keeper, "LOOK_EVERY", 0.0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_process_moves_to_a_newer_snapshot_in_the_background(
    sharing: Path, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    post_work(alice, "First")
    assert len(found("")) == 1
    old = get_index()
    post_work(alice, "Second")
    snapshot.write(built())  # another process of the machine wrote a newer one
    newer = snapshot.identity()
    look_now(monkeypatch)
    assert get_index() is old  # the old index answers while the new one is mapped
    background_job("move_to_snapshot")
    assert get_index() is not old
    assert get_index().origin.identity == newer
    assert len(found("")) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_old_snapshot_is_rebuilt_by_one_process_without_a_request_waiting(
    sharing: Path, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    post_work(alice, "First")
    assert len(found("")) == 1
    file = sharing / snapshot.FILE_NAME
    first = snapshot.identity()
    old = time.time_ns() - 21 * 60 * 10**9  # older than SEARCH_SNAPSHOT_MINUTES (20)
    os.utime(file, ns=(old, old))
    look_now(monkeypatch)
    with snapshot.build_lock():  # another process is building: this one leaves it to that one
        assert len(found("")) == 1
        background_job("rebuild_snapshot")
    assert snapshot.identity() == snapshot.Identity(first.inode, old)
    assert len(found("")) == 1  # now this process builds, in the background
    background_job("rebuild_snapshot")
    rebuilt = snapshot.identity()
    assert rebuilt is not None and rebuilt.inode != first.inode
    assert get_index().origin.identity == rebuilt
    assert len(found("")) == 1


@pytest.mark.parametrize("shared", [True, False], ids=["snapshots", "private index"])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_stale_index_answers_while_its_replacement_is_made_in_the_background(
    shared: bool, tmp_path: Path, alice: User
) -> None:
    with override_settings(SEARCH_SNAPSHOTS=shared, SEARCH_SNAPSHOT_DIR=tmp_path):
        reset_index()
        post_work(alice, "First")
        assert len(found("")) == 1
        stale = get_index()
        stale.polled_at -= MAX_SILENCE + 1  # silent for longer than the change log is kept
        # What it missed may have been pruned from the log: it is replaced, in the background.
        assert stale.is_stale()
        assert get_index() is stale  # answers meanwhile: the request does not wait
        background_job("replace_stale")
        fresh = get_index()
        assert fresh is not stale
        assert not fresh.is_stale()
        post_work(alice, "Second")
        assert titles(found("sort=title")) == ["First", "Second"]
        reset_index()


def fresh_index() -> None:
    try:
        index_keeper._fresh_index()
    finally:
        connections.close_all()  # this thread's


def test_a_process_that_waited_for_anothers_build_maps_what_it_wrote(
    sharing: Path, shelf: None
) -> None:
    done = threading.Event()
    with snapshot.build_lock():  # another process's build
        waiting = threading.Thread(target=lambda: (fresh_index(), done.set()))
        waiting.start()
        time.sleep(0.2)
        assert not done.is_set(), "a process waits for the machine's build"
        snapshot.write(built())
        written = snapshot.identity()
    waiting.join(timeout=30)
    assert done.is_set()
    assert snapshot.identity() == written  # it mapped that one instead of building again


def test_prepare_snapshot_builds_once_then_maps(sharing: Path, shelf: None) -> None:
    said = index_keeper.prepare_snapshot()
    assert said.startswith("Built the search index: 4 works in ")
    written = snapshot.identity()
    assert index_keeper.prepare_snapshot().startswith("Mapping the search index written ")
    assert snapshot.identity() == written
    with override_settings(SEARCH_SNAPSHOTS=False):
        assert "each server process builds its own" in index_keeper.prepare_snapshot()


def test_a_reindex_discards_the_snapshot(sharing: Path, shelf: None) -> None:
    assert len(found("")) == 4
    assert snapshot.identity() is not None
    call_command("search", "--reindex", stdout=StringIO())
    assert snapshot.identity() is None, "raw changes the log never saw: no process maps it"
    assert len(found("")) == 4


def test_tag_bitmaps_stay_in_the_file_until_a_process_asks_for_one(
    sharing: Path, shelf: None, alice: User
) -> None:
    original = Index()
    original.big_tag = 1  # every tag gets a bitmap
    original.build()
    snapshot.write(original)
    mapped = snapshot.load()
    assert mapped is not None
    assert mapped.by_tag.read_count() == 0
    assert mapped.by_tag.tags() == original.by_tag.tags() != set()
    fluff, angst = (Tag.objects.get(name=name).pk for name in ("Fluff", "Angst"))
    assert fluff in mapped.by_tag and np.int64(fluff) in mapped.by_tag  # ids as numpy gives them
    assert mapped.by_tag[fluff] == original.by_tag[fluff]
    assert mapped.by_tag.read_count() == 1
    for params in QUERIES:
        assert answer(mapped, params).ids == answer(original, params).ids
    # A change after the snapshot reaches the bitmap read from it, and the next snapshot.
    more = post_work(alice, "More Fluff", freeforms=["Fluff"])
    assert more.id in answer(mapped, "include=Fluff").ids
    assert more.id in mapped.by_tag[fluff]
    snapshot.write(mapped)
    again = snapshot.load()
    assert again is not None and more.id in again.by_tag[fluff]
    assert again.by_tag.tags() == mapped.by_tag.tags()
    # A process that read one bitmap writes the others as they came, unread.
    assert again.by_tag[fluff] is not None and again.by_tag.read_count() == 1
    snapshot.write(again)
    last = snapshot.load()
    assert last is not None and last.by_tag[angst] == original.by_tag[angst]
    assert more.id in last.by_tag[fluff]


def test_a_process_keeps_the_tag_bitmaps_it_read_within_a_budget_and_its_changes_to_them(
    sharing: Path, shelf: None, alice: User
) -> None:
    original = Index()
    original.big_tag = 1
    original.build()
    snapshot.write(original)
    mapped = snapshot.load()
    assert mapped is not None
    mapped.by_tag.READ_BUDGET = 1  # one bitmap read at a time
    tags = sorted(mapped.by_tag.tags())
    assert len(tags) > 2
    for tag in tags:
        assert mapped.by_tag[tag] == original.by_tag[tag]
        assert mapped.by_tag.read_count() == 1
    fluff = Tag.objects.get(name="Fluff").pk
    more = post_work(alice, "More Fluff", freeforms=["Fluff"])
    assert more.id in answer(mapped, "include=Fluff").ids
    for tag in tags:  # reading every other bitmap again does not drop the change
        assert mapped.by_tag[tag] is not None
    grown = mapped.by_tag.tags() - set(tags)  # tags first used since (bitmaps of its own)
    assert mapped.by_tag.read_count() == 1 + len(grown)  # not the changed bitmap
    assert more.id in mapped.by_tag[fluff]
    assert more.id in answer(mapped, "include=Fluff").ids
    more_id = more.id
    actions.delete_work(alice, more)
    assert more_id not in answer(mapped, "include=Fluff").ids
    for tag in tags:
        assert mapped.by_tag[tag] is not None
    assert more_id not in mapped.by_tag[fluff]
    assert more_id not in answer(mapped, "include=Fluff").ids
    assert mapped.by_tag.read_count() == 1 + len(grown)
    snapshot.write(mapped)
    again = snapshot.load()
    assert again is not None and again.by_tag[fluff] == original.by_tag[fluff]
