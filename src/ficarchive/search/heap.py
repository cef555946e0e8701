"""Giving the free pages of a process's heap back to the system (glibc's `malloc_trim`).

A search's temporaries (a mask over every work id, the ids of a big result, a sort's keys) are
taken from the heap and freed when it answers; glibc gives back only the free top of the heap,
so the pages freed below it stay with the process, and how many depends on the order of the
last searches: at 1M works from 16 to 33 MB a process (`bench/bench_index_sharing.py`). A
server process gives them back after a request at most every GIVE_BACK_EVERY seconds (about a
millisecond each time), so that what it holds is what its index and caches hold.
"""

from __future__ import annotations

import contextlib
import ctypes
import time
from typing import Any

GIVE_BACK_EVERY = 10.0  # seconds
_given_back_at = 0.0


def give_back() -> None:
    """Give the heap's free pages back now (glibc; elsewhere nothing happens)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def give_back_now_and_then(**_: Any) -> None:
    """After a request (Django's request_finished): `give_back` unless it ran lately."""
    global _given_back_at
    now = time.monotonic()
    if now - _given_back_at >= GIVE_BACK_EVERY:
        _given_back_at = now
        give_back()
