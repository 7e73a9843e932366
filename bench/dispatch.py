"""Benchmark: dispatching volunteers to every open place of a week, optimal solve against greedy.

    .venv/bin/python bench/dispatch.py

``GONGZHI_BENCH_QUICK=1`` (the suite's run of the README) dispatches the smaller week only.
Prints one JSON object per round: places, volunteers, and for the exact dispatch and the greedy
baseline measured in the same run, the seconds of the dispatch call alone (the data is generated
beforehand), the places filled and the total cost, one cost measure for both.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.volunteers.dispatch import (  # noqa: E402
    ZONE,
    Building,
    FlexibleWindow,
    ServiceRequest,
    Shift,
    Volunteer,
    dispatch,
    greedy,
)

MONDAY = datetime(2027, 1, 4, tzinfo=ZONE)
TODAY = date(2027, 1, 3)
SKILLS = {  # skill -> how common among volunteers
    "companionship": 30,
    "cleaning": 20,
    "elderly-care": 15,
    "tutoring": 12,
    "repair": 10,
    "first-aid": 8,
    "translation": 3,
    "medical": 2,
}
CERTIFICATE = {"medical": "medical-licence", "first-aid": "first-aid-certificate"}
# (open places, volunteers) of each round.
ROUNDS = ((500, 5_000),) if os.environ.get("GONGZHI_BENCH_QUICK") == "1" else ((500, 5_000), (3_000, 20_000))


def buildings(rng: random.Random) -> list[Building]:
    """About fifty residential blocks over a 1.2 km by 0.9 km community."""
    return [Building(f"B{i:02d}", rng.uniform(0, 1200), rng.uniform(0, 900)) for i in range(50)]


def weekly_availability(rng: random.Random) -> list[tuple[int, clock, clock]]:
    kind = rng.choices(["retired", "working", "student"], [30, 50, 20])[0]
    if kind == "retired":
        days = rng.sample(range(7), rng.randint(2, 5))
        return [w for d in days for w in ((d, clock(8), clock(12)), (d, clock(14), clock(17)))]
    if kind == "working":
        evenings = [(d, clock(18), clock(21)) for d in rng.sample(range(5), rng.randint(1, 4))]
        return evenings + [(d, clock(9), clock(17)) for d in rng.sample([5, 6], rng.randint(0, 2))]
    return [(d, clock(rng.choice([9, 13])), clock(rng.choice([17, 20]))) for d in rng.sample(range(7), 3)]


def volunteers(rng: random.Random, count: int, blocks: list[Building]) -> list[Volunteer]:
    names, weights = list(SKILLS), list(SKILLS.values())
    out = []
    for i in range(count):
        skills = {
            s: rng.choices([1, 2, 3, 4, 5], [30, 30, 20, 12, 8])[0]
            for s in rng.choices(names, weights, k=rng.choice([1, 1, 2, 2, 3]))
        }
        certificates = {
            CERTIFICATE[s]: TODAY + timedelta(days=rng.randint(-90, 540))  # about one in seven expired
            for s in skills
            if s in CERTIFICATE and rng.random() < 0.8
        }
        cap = rng.choice([4, 6, 8, 10, 12, 16, 20])
        bookings = []
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            begins = MONDAY + timedelta(days=rng.randint(0, 6), hours=rng.randint(8, 19))
            bookings.append((begins, begins + timedelta(hours=rng.randint(1, 3))))
        out.append(
            Volunteer(
                id=f"v{i:05d}",
                building=rng.choice(blocks).id,
                skills=skills,
                certificates=certificates,
                availability=weekly_availability(rng),
                unavailable_dates=frozenset(
                    (MONDAY + timedelta(days=rng.randint(0, 6))).date()
                    for _ in range(rng.choice([0, 0, 0, 1, 2]))
                ),
                weekly_cap_hours=cap,
                hours_this_week=round(rng.uniform(0, cap * 0.8) * 2) / 2,
                hours_last_30_days=round(rng.gammavariate(2, 5), 1),
                no_shows=rng.choices([0, 1, 2, 3], [85, 10, 4, 1])[0],
                home_visit_consent=rng.random() < 0.4,
                identity_verified=rng.random() < 0.85,
                bookings=bookings,
            )
        )
    return out


def requests(rng: random.Random, places: int, blocks: list[Building]) -> list[ServiceRequest]:
    """Open requests of one week needing 1 to 4 volunteers each, `places` in all."""
    names, weights = list(SKILLS), list(SKILLS.values())
    out = []
    while places:
        count = min(places, rng.choices([1, 2, 3, 4], [50, 25, 15, 10])[0])
        places -= count
        needs = {
            s: rng.choices([1, 2, 3], [50, 35, 15])[0]
            for s in rng.choices(names, weights, k=rng.choice([1, 1, 1, 2]))
        }
        day = MONDAY + timedelta(days=rng.randint(0, 6))
        if rng.random() < 0.7:
            begins = day + timedelta(
                hours=rng.choice([9, 10, 14, 15, 18, 19] if day.weekday() < 5 else range(9, 16))
            )
            window = Shift(begins, begins + timedelta(hours=rng.choice([1, 1.5, 2, 3])))
        else:
            earliest = day + timedelta(hours=rng.choice([8, 9, 13]))
            window = FlexibleWindow(
                earliest, earliest + timedelta(hours=rng.randint(4, 8)), timedelta(hours=rng.choice([1, 2]))
            )
        out.append(
            ServiceRequest(
                id=f"r{len(out):05d}",
                building=rng.choice(blocks).id,
                window=window,
                places=count,
                skills=needs,
                certificates=frozenset(
                    CERTIFICATE[s] for s in needs if s in CERTIFICATE and rng.random() < 0.7
                ),
                priority=rng.choices([1, 2, 3], [60, 30, 10])[0],
                home_visit=rng.random() < (0.5 if {"elderly-care", "medical"} & set(needs) else 0.15),
            )
        )
    return out


def priority_profile(result, by_id: dict[str, ServiceRequest]) -> list[int]:
    """Places filled per priority, most urgent first: compared before cost."""
    levels = sorted({r.priority for r in by_id.values()}, reverse=True)
    filled = [by_id[a.request_id].priority for a in result.assignments]
    return [filled.count(p) for p in levels]


def main() -> None:
    for seed, (places, count) in enumerate(ROUNDS, start=1):
        rng = random.Random(seed)
        blocks = buildings(rng)
        open_requests = requests(rng, places, blocks)
        pool = volunteers(rng, count, blocks)

        began = time.perf_counter()
        best = dispatch(open_requests, pool, blocks)
        seconds = time.perf_counter() - began
        began = time.perf_counter()
        baseline = greedy(open_requests, pool, blocks)
        baseline_seconds = time.perf_counter() - began

        by_id = {r.id: r for r in open_requests}
        ours = (best.filled, priority_profile(best, by_id), -best.total_cost)
        theirs = (baseline.filled, priority_profile(baseline, by_id), -baseline.total_cost)
        assert ours >= theirs, f"greedy beat the dispatch: {theirs} over {ours}"
        print(
            json.dumps(
                {
                    "places": places,
                    "volunteers": count,
                    "seconds": round(seconds, 3),
                    "filled": best.filled,
                    "cost": round(best.total_cost, 2),
                    "greedy": {
                        "seconds": round(baseline_seconds, 3),
                        "filled": baseline.filled,
                        "cost": round(baseline.total_cost, 2),
                    },
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
