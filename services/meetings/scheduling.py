"""Finding the best times for a joint meeting, in plain Python.

The window is cut into cells (15 minutes by default). A start is possible when every
required party, and the room, is free for the whole meeting; possible starts rank by how
many optional parties are free too, then by how early they are. Prefix sums make each
check constant-time, so a 60-day window for 8 parties is ranked in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from itertools import accumulate

from shared.errors import InvalidInput
from shared.vocabulary.meetings import ErrorCode

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    optional_free: tuple[str, ...]


def check_window(starts_at: datetime, ends_at: datetime, duration: timedelta) -> None:
    if ends_at <= starts_at:
        raise InvalidInput(
            [
                {
                    "field": "window_ends_at",
                    "code": ErrorCode.INVALID,
                    "message": "the window must end after it starts",
                }
            ]
        )
    if ends_at - starts_at > timedelta(days=92):
        raise InvalidInput(
            [
                {
                    "field": "window_ends_at",
                    "code": ErrorCode.TOO_LONG,
                    "message": "a window spans at most 92 days",
                }
            ]
        )
    if duration > ends_at - starts_at:
        raise InvalidInput(
            [
                {
                    "field": "duration_minutes",
                    "code": ErrorCode.TOO_LONG,
                    "message": "the meeting is longer than the window",
                }
            ]
        )


def _free_prefix(busy: list[Interval], start: datetime, cell: timedelta, cells: int) -> list[int]:
    """Prefix sums of busy cells, so that a run of cells is checked in constant time."""
    marks = [0] * cells
    for busy_from, busy_to in busy:
        first = max(0, int((busy_from - start) / cell))
        last = min(cells, -int(-(busy_to - start) // cell))  # ceiling: a busy minute blocks its cell
        for index in range(first, last):
            marks[index] = 1
    return [0, *accumulate(marks)]


def _busy_between(prefix: list[int], first: int, count: int) -> bool:
    return prefix[first + count] - prefix[first] > 0


def find_slots(
    window: Interval,
    duration: timedelta,
    required: dict[str, list[Interval]],
    optional: dict[str, list[Interval]],
    room: list[Interval],
    zone: tzinfo,
    cell: timedelta = timedelta(minutes=15),
    day: tuple[time, time] = (time(8, 0), time(21, 0)),
    limit: int = 5,
) -> list[Slot]:
    """The best ``limit`` starts in the window, local day hours only (08:00 to 21:00 by default)."""
    start, end = window
    cells = int((end - start) / cell)
    length = -int(-duration // cell)
    required_busy = [_free_prefix(busy, start, cell, cells) for busy in required.values()]
    room_busy = _free_prefix(room, start, cell, cells)
    optional_busy = {party: _free_prefix(busy, start, cell, cells) for party, busy in optional.items()}
    found: list[tuple[int, int, tuple[str, ...]]] = []
    for first in range(0, cells - length + 1):
        begins = start + first * cell
        local_begin, local_end = begins.astimezone(zone), (begins + duration).astimezone(zone)
        if local_begin.date() != local_end.date() or local_begin.time() < day[0] or local_end.time() > day[1]:
            continue
        if _busy_between(room_busy, first, length) or any(
            _busy_between(p, first, length) for p in required_busy
        ):
            continue
        free = tuple(
            sorted(p for p, prefix in optional_busy.items() if not _busy_between(prefix, first, length))
        )
        found.append((-len(free), first, free))
    found.sort()
    return [
        Slot(start + first * cell, start + first * cell + duration, free) for _, first, free in found[:limit]
    ]
