"""Benchmark: slot finding for 8 parties over a 60-day window at 15-minute resolution.

    .venv/bin/python bench/slot_finding.py

``GONGZHI_BENCH_QUICK=1`` (the suite's run of the README) measures one round instead of three.
Prints one JSON object per round: the seconds to rank the slots with the platform's finder,
and, as a baseline measured in the same run, a direct scan that checks every party's busy
intervals for every candidate start (what one would write first), with the ratio.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.meetings.scheduling import find_slots  # noqa: E402

ZONE = ZoneInfo("Asia/Shanghai")
CELL = timedelta(minutes=15)
SEEDS = (1,) if os.environ.get("GONGZHI_BENCH_QUICK") == "1" else (1, 2, 3)


def busy_calendar(rng: random.Random, start: datetime, days: int) -> list[tuple[datetime, datetime]]:
    """A working party: 2 to 5 appointments a day of 30 minutes to 3 hours, between 08:00 and 20:00."""
    busy = []
    for day in range(days):
        for _ in range(rng.randint(2, 5)):
            begins = start + timedelta(days=day, hours=rng.randint(8, 19), minutes=15 * rng.randint(0, 3))
            busy.append((begins, begins + timedelta(minutes=30 * rng.randint(1, 6))))
    return busy


def direct_scan(window, duration, required, optional, room, limit=5):
    start, end = window
    found = []
    candidate = start
    while candidate + duration <= end:
        finish = candidate + duration
        local_begin, local_end = candidate.astimezone(ZONE), finish.astimezone(ZONE)
        in_day = (
            local_begin.date() == local_end.date()
            and 8 <= local_begin.hour
            and (local_end.hour, local_end.minute) <= (21, 0)
        )

        def free(busy, candidate=candidate, finish=finish):
            return all(finish <= b or candidate >= e for b, e in busy)

        if in_day and free(room) and all(free(b) for b in required.values()):
            found.append((-sum(free(b) for b in optional.values()), candidate))
        candidate += CELL
    found.sort()
    return found[:limit]


def main() -> None:
    start = datetime(2027, 1, 4, tzinfo=ZONE)
    window = (start, start + timedelta(days=60))
    for seed in SEEDS:
        rng = random.Random(seed)
        parties = {f"party-{i}": busy_calendar(rng, start, 60) for i in range(8)}
        required = dict(list(parties.items())[:3])
        optional = dict(list(parties.items())[3:])
        room = busy_calendar(rng, start, 60)
        duration = timedelta(minutes=90)

        began = time.perf_counter()
        slots = find_slots(window, duration, required, optional, room, ZONE)
        fast = time.perf_counter() - began
        began = time.perf_counter()
        baseline = direct_scan(window, duration, required, optional, room)
        slow = time.perf_counter() - began
        assert [s.starts_at for s in slots] == [c for _, c in baseline], "both rank the same slots"
        print(
            json.dumps(
                {
                    "parties": 8,
                    "days": 60,
                    "cells": int((window[1] - window[0]) / CELL),
                    "seconds": round(fast, 4),
                    "baseline_seconds": round(slow, 4),
                    "speedup": round(slow / fast, 1),
                    "best": slots[0].starts_at.isoformat(),
                    "optional_free": len(slots[0].optional_free),
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
