"""What a volunteer costs in a place, in points: the walk from home, overqualification, and the
volunteer's own share (recent hours, so that work is shared, and no-shows)."""

from __future__ import annotations

import numpy as np

# Cost in points. One level above the need is worth 100 m of walking; an hour of service in the last
# 30 days a quarter of that, so that work is shared; a no-show costs as much as 500 m.
OVERQUALIFIED_PER_LEVEL = 1.0
PER_100_METRES = 1.0
PER_RECENT_HOUR = 0.25
PER_NO_SHOW = 5.0


def own(hours_last_30_days: np.ndarray, no_shows: np.ndarray) -> np.ndarray:
    """The part of the cost that is the volunteer's own, whatever the request."""
    return hours_last_30_days * PER_RECENT_HOUR + no_shows * PER_NO_SHOW


def walking(metres: np.ndarray) -> np.ndarray:
    return metres / 100 * PER_100_METRES


def overqualified(levels: np.ndarray, need: int) -> np.ndarray:
    return (levels - need) * OVERQUALIFIED_PER_LEVEL


def cheapest(cost: np.ndarray, count: int) -> np.ndarray:
    """Positions of the `count` smallest costs, ascending; of equal costs, the first positions."""
    if cost.size <= count:
        return np.arange(cost.size)
    threshold = np.partition(cost, count - 1)[count - 1]
    below = np.flatnonzero(cost < threshold)
    return np.sort(np.concatenate([below, np.flatnonzero(cost == threshold)[: count - below.size]]))
