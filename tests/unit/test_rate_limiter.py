"""The rate limiter's memory stays bounded: idle buckets go, and a flood of new keys cannot grow it."""

from __future__ import annotations

from gateway import limits
from gateway.limits import RateLimiter


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_idle_long_enough_to_refill_is_dropped(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(limits.time, "monotonic", clock)
    limiter = RateLimiter(per_second=10, burst=20)
    for address in range(500):
        limiter.allow(f"address:{address}")
    assert len(limiter) == 500
    clock.now += 2.0  # 20 tokens at 10 a second: every bucket is full again
    limiter.allow("account:a")
    assert len(limiter) == 1


def test_an_active_bucket_keeps_its_debt(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(limits.time, "monotonic", clock)
    limiter = RateLimiter(per_second=1, burst=3)
    assert [limiter.allow("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    clock.now += 0.5
    limiter.allow("someone else")
    assert limiter.allow("a") > 0  # still waiting: eviction did not hand it a fresh burst


def test_a_flood_of_new_keys_is_capped(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(limits.time, "monotonic", clock)
    limiter = RateLimiter(per_second=1, burst=60, max_keys=1000)
    for address in range(5000):
        limiter.allow(f"address:{address}")
    assert len(limiter) <= 1000
