"""The default cache: one SQLite file that every process of the machine shares."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache, caches

from ficarchive.machine_cache import MachineCache


def a_cache(path: Path, **options: int) -> MachineCache:
    return MachineCache(str(path), {"OPTIONS": options})


def test_the_default_cache_is_the_machine_wide_file():
    assert isinstance(caches["default"], MachineCache)
    cache.set("shared", 1)
    assert caches["default"].path.exists()


def test_it_keeps_values_of_any_kind(tmp_path):
    kept = a_cache(tmp_path / "c.sqlite3")
    values = {"n": 7, "big": 2**80, "s": "é", "b": b"\x00\xff", "t": (1, [2]), "f": 1.5, "no": None}
    for key, value in values.items():
        kept.set(key, value)
    assert {key: kept.get(key, "missing") for key in values} == values
    assert kept.get("absent", "missing") == "missing"


def test_a_value_is_gone_once_it_expires(tmp_path):
    kept = a_cache(tmp_path / "c.sqlite3")
    kept.set("short", 1, 0.2)
    kept.set("forever", 1, None)
    assert kept.get("short") == 1
    time.sleep(0.3)
    assert kept.get("short") is None
    assert not kept.has_key("short")
    assert kept.add("short", 2, 10), "an expired value may be replaced by add"
    assert kept.get("short") == 2
    assert kept.get("forever") == 1


def test_add_sets_only_what_is_not_there(tmp_path):
    kept = a_cache(tmp_path / "c.sqlite3")
    assert kept.add("k", "first")
    assert not kept.add("k", "second")
    assert kept.get("k") == "first"


def test_incr_and_decr_count_in_place_and_refuse_a_missing_key(tmp_path):
    kept = a_cache(tmp_path / "c.sqlite3")
    kept.set("n", 5, None)
    assert kept.incr("n") == 6
    assert kept.incr("n", 10) == 16
    assert kept.decr("n", 20) == -4
    with pytest.raises(ValueError, match="not found"):
        kept.incr("absent")
    kept.set("text", "five")
    with pytest.raises(TypeError, match="whole number"):
        kept.incr("text")
    assert kept.get("text") == "five"


def test_many_at_once_and_delete(tmp_path):
    kept = a_cache(tmp_path / "c.sqlite3", MAX_ENTRIES=10_000)
    data = {f"k{number}": number for number in range(1_200)}
    kept.set_many(data, 60)
    assert kept.get_many([*data, "absent"]) == data
    kept.delete_many([f"k{number}" for number in range(600)])
    assert len(kept.get_many(list(data))) == 600
    assert kept.delete("k600")
    assert not kept.delete("k600")
    assert kept.touch("k601", None)
    kept.clear()
    assert kept.get_many(list(data)) == {}


def test_culling_drops_the_soonest_to_expire_and_keeps_the_limits(tmp_path):
    kept = a_cache(tmp_path / "c.sqlite3", MAX_ENTRIES=100, CULL_EVERY=10)
    kept.set("counter", 1, None)
    for number in range(300):
        kept.set(f"page:{number}", "x" * 100, 1_000 + number)
    count, _ = kept.size()
    assert count <= 100
    assert kept.get("counter") == 1, "values never set to expire go last"
    assert kept.get("page:299") is not None, "the latest to expire stay"
    assert kept.get("page:0") is None


def test_culling_keeps_the_bytes_under_the_limit(tmp_path):
    kept = a_cache(tmp_path / "c.sqlite3", MAX_BYTES=10 * 2**20, MAX_ENTRIES=10_000)
    for number in range(15):
        kept.set(f"file:{number}", b"\x01" * 2**20, 1_000 + number)  # large: culls at once
    _, size = kept.size()
    assert size <= 10 * 2**20
    assert kept.get("file:14") is not None


def _count_up(path: str, key: str, times: int, start: Any) -> None:
    kept = MachineCache(path, {})
    start.wait()
    for _ in range(times):
        kept.add(key, 0, None)
        kept.incr(key)
        kept.add(f"{key}:first", 1, None)


def test_processes_count_together_without_losing_a_step(tmp_path):
    path = str(tmp_path / "c.sqlite3")
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    workers = [context.Process(target=_count_up, args=(path, "hits", 300, start)) for _ in range(4)]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    assert a_cache(Path(path)).get("hits") == 1_200


def test_it_never_touches_the_archive_database(tmp_path, db):
    kept = a_cache(tmp_path / "c.sqlite3")
    kept.set("k", 1)
    assert (tmp_path / "c.sqlite3").exists()
    with kept._connection() as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert tables == {"entry", "entry_expires"}
