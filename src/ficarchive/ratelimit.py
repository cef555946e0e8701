"""Fixed-window rate limits kept in Django's cache (per process by default, shared with Redis).

`count_hit("api:token:7", limit=300, window=60)` counts one request in the current window and
says whether it is within the limit and, if not, how many seconds until the window ends. The same
add-then-incr pattern as the guest comment limit in social: atomic in Redis and in local memory.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Hit:
    count: int
    limit: int
    retry_after: int  # seconds until the window ends

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


def peek_hits(key: str, *, limit: int, window: int) -> Hit:
    """The uses of KEY counted so far in the current window, counting none."""
    bucket, now, start = _bucket(key, window)
    return Hit(cache.get(bucket, 0), limit, max(1, math.ceil(start + window - now)))


def count_hit(key: str, *, limit: int, window: int) -> Hit:
    """Count one use of KEY in the current WINDOW-second window."""
    bucket, now, start = _bucket(key, window)
    cache.add(bucket, 0, window + 1)
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, window + 1)
        count = 1
    return Hit(count, limit, max(1, math.ceil(start + window - now)))
