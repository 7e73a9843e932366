"""Times of day, community days and spans as arrays: the calendar arithmetic eligibility rests on.

Weekly availability is community wall-clock time (``shared.config.community_zone``). The community's
zone is taken to keep no daylight saving (Shanghai's does not), so a local day is always 24 hours
long, which the minute arithmetic relies on.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np


@lru_cache(maxsize=4096)  # volunteers pick from a few round times
def minutes(moment: time) -> float:
    return moment.hour * 60 + moment.minute + moment.second / 60 + moment.microsecond / 60e6


def day_pieces(starts: datetime, ends: datetime, zone: ZoneInfo) -> list[tuple[date, float, float]]:
    """The parts of [starts, ends) on each community day, in minutes after local midnight."""
    first, last = starts.astimezone(zone), ends.astimezone(zone)
    pieces = []
    day = first.date()
    while day <= last.date():
        lo = minutes(first.time()) if day == first.date() else 0.0
        hi = minutes(last.time()) if day == last.date() else 1440.0
        if hi > lo:
            pieces.append((day, lo, hi))
        day += timedelta(days=1)
    return pieces


def slots(groups: np.ndarray) -> np.ndarray:
    """For sorted group keys, each item's position within its group."""
    if not groups.size:
        return groups
    first = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    return np.arange(groups.size) - np.repeat(first, np.diff(np.r_[first, groups.size]))


def least(spans: np.ndarray) -> np.ndarray:
    """The smallest of each column of a short, wide array (faster than a reduction over the rows)."""
    least = spans[0].copy()
    for row in spans[1:]:
        np.minimum(least, row, out=least)
    return least


def padded(n: int, rows: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Intervals sorted by row then start, as (most per row, n) arrays padded with [+inf, -inf].

    Slot-major, so that the k-th interval of every row is one contiguous vector.
    """
    slot = slots(rows)
    width = int(slot.max()) + 1 if slot.size else 1
    padded_lo, padded_hi = np.full((width, n), np.inf), np.full((width, n), -np.inf)
    padded_lo[slot, rows], padded_hi[slot, rows] = lo, hi
    return padded_lo, padded_hi


def merged(group: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, ...]:
    """Overlapping or touching spans of a group joined, so that 8-12 and 12-16 cover a 10-14 shift."""
    if not group.size:
        return group, lo, hi
    order = np.lexsort((lo, group))
    group, lo, hi = group[order], lo[order], hi[order]
    # The furthest end so far within the group; the offsets keep one group's ends out of the next.
    reach = np.maximum.accumulate(group * 2000.0 + hi) - group * 2000.0
    opens = np.ones(group.size, dtype=bool)
    opens[1:] = (group[1:] != group[:-1]) | (lo[1:] > reach[:-1])
    return group[opens], lo[opens], np.maximum.reduceat(hi, np.flatnonzero(opens))
