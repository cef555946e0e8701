"""Fixed-window rate limits, counted in the cache that every process of the machine shares.

The default cache is one SQLite file for the whole machine (`ficarchive.machine_cache`), or
Redis with `REDIS_URL`: either way a limit is the configured number however many server
processes answer, and `add` then `incr` count atomically in both.

`count_hit("api:token:7", limit=300, window=60)` counts one request in the current window and
says whether it is within the limit and, if not, how many seconds until the window ends. A use
that may turn out not to count (a log-in, which counts only when it fails) is counted first and
given back with `uncount_hit` once it is known not to count: checking first and counting after
would let concurrent attempts all pass the check before any of them is counted.
"""

from __future__ import annotations

import math
import time
from contextlib import suppress
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Hit:
    count: int
    limit: int
    retry_after: int  # seconds until the window ends
    bucket: str = ""  # the cache key it was counted under

    @property
    def allowed(self) -> bool:
        return self.count <= self.limit

    @property
    def remaining(self) -> int:
        return max(self.limit - self.count, 0)


def _bucket(key: str, window: int) -> tuple[str, float, int]:
    now = time.time()
    start = int(now // window) * window
    return f"ratelimit:{key}:{start}", now, start


def count_hit(key: str, *, limit: int, window: int) -> Hit:
    """Count one use of KEY in the current WINDOW-second window."""
    bucket, now, start = _bucket(key, window)
    cache.add(bucket, 0, window + 1)
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.add(bucket, 0, window + 1)
        count = cache.incr(bucket)
    return Hit(count, limit, max(1, math.ceil(start + window - now)), bucket)


def uncount_hit(hit: Hit) -> None:
    """Give back a use counted by `count_hit` that turned out not to count."""
    with suppress(ValueError):  # its window has ended: nothing to give back
        cache.decr(hit.bucket)
