"""The per-account rate limit: a token bucket each."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """A token bucket per account: ``burst`` requests at once, ``per_second`` on average.

    Buckets are kept in the order they were last used. A bucket idle long enough to have refilled
    is the same as no bucket, so those are dropped as time passes; past ``max_keys`` the least
    recently used go too, so no stream of new keys can grow the table without bound.
    """

    def __init__(self, per_second: float, burst: int, max_keys: int = 100_000):
        self.per_second, self.burst, self.max_keys = per_second, burst, max_keys
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()
        self._refill_seconds = burst / per_second

    def __len__(self) -> int:
        return len(self._buckets)

    def allow(self, key: str) -> float:
        """0 if the request may go now, else the seconds to wait."""
        with self._lock:
            moment = time.monotonic()
            bucket = self._buckets.pop(key, None) or _Bucket(self.burst, moment)
            self._evict(moment)
            self._buckets[key] = bucket
            bucket.tokens = min(self.burst, bucket.tokens + (moment - bucket.updated) * self.per_second)
            bucket.updated = moment
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / self.per_second

    def _evict(self, moment: float) -> None:
        while self._buckets:
            oldest = next(iter(self._buckets.values()))
            if moment - oldest.updated < self._refill_seconds and len(self._buckets) < self.max_keys:
                return
            self._buckets.popitem(last=False)
