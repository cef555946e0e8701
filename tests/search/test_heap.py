"""A server process gives its heap's free pages back to the system after a request, now and
then (search/heap.py): what it holds is then what its index and caches hold."""

from __future__ import annotations

from pathlib import Path

from django.test import Client

from ficarchive.search import heap


def anon_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no RssAnon")


def freed_below_the_top() -> bytearray:
    """50 MB taken from the heap and freed, under a block that keeps the heap's top in use."""
    blocks = [bytearray(64 * 1024) for _ in range(800)]
    above = bytearray(64 * 1024)
    del blocks
    return above


def test_the_free_pages_of_the_heap_go_back_after_a_request_now_and_then(
    client: Client, db: None
) -> None:
    assert client.get("/works").status_code == 200  # the index built (which gives back too)
    heap._given_back_at = 0.0
    above = freed_below_the_top()
    before = anon_mb()
    assert client.get("/works").status_code == 200
    assert before - anon_mb() > 25, "the freed pages went back after the request"
    again = freed_below_the_top()
    before = anon_mb()
    assert client.get("/works").status_code == 200
    assert before - anon_mb() < 25, "not again within GIVE_BACK_EVERY seconds"
    heap.give_back()
    assert before - anon_mb() > 25
    assert len(above) == len(again)
