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


def count_hit(key: str, *, limit: int, window: int) -> Hit:
    """Count one use of KEY in the current WINDOW-second window."""
    now = time.time()
    start = int(now // window) * window
    bucket = f"ratelimit:{key}:{start}"
    cache.add(bucket, 0, window + 1)
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, window + 1)
        count = 1
    return Hit(count, limit, max(1, math.ceil(start + window - now)))
