"""Slot finding: every required party free, then the most optional parties, then the earliest."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.meetings.scheduling import check_window, find_slots
from shared.errors import InvalidInput

ZONE = ZoneInfo("Asia/Shanghai")
DAY = datetime(2026, 12, 7, 0, 0, tzinfo=ZONE)  # a Monday


def at(hour: float, days: int = 0) -> datetime:
    return DAY + timedelta(days=days, minutes=int(hour * 60))


def test_the_earliest_time_everyone_required_is_free_wins_among_equals():
    slots = find_slots(
        (at(8), at(21)), timedelta(minutes=90), {"rc": [(at(8), at(10))], "oc": []}, {}, [], ZONE
    )
    assert slots[0].starts_at == at(10)


def test_more_optional_parties_beat_an_earlier_time():
    slots = find_slots(
        (at(8), at(21)), timedelta(hours=1), {"rc": []}, {"hospital": [(at(8), at(15))]}, [], ZONE
    )
    assert (slots[0].starts_at, slots[0].optional_free) == (at(15), ("hospital",))


def test_the_room_and_day_hours_are_respected():
    room_taken = [(at(8), at(20))]
    # Two hours from 20:00 would end after 21:00: no slot.
    assert find_slots((at(0), at(24)), timedelta(hours=2), {"rc": []}, {}, room_taken, ZONE) == []
    slots = find_slots((at(0), at(24)), timedelta(hours=1), {"rc": []}, {}, room_taken, ZONE, limit=10)
    assert [s.starts_at for s in slots] == [at(20)]


def test_a_busy_minute_blocks_its_whole_cell():
    slots = find_slots(
        (at(9), at(12)), timedelta(minutes=30), {"rc": [(at(9), at(9) + timedelta(minutes=31))]}, {}, [], ZONE
    )
    assert slots[0].starts_at == at(9.75)


def test_nobody_free_means_no_slot():
    assert find_slots((at(8), at(21)), timedelta(hours=1), {"rc": [(at(0), at(24))]}, {}, [], ZONE) == []


@pytest.mark.parametrize(
    ("ends", "duration", "field"), [(at(8), 60, "window_ends_at"), (at(9), 120, "duration_minutes")]
)
def test_a_bad_window_names_the_field(ends, duration, field):
    with pytest.raises(InvalidInput) as raised:
        check_window(at(8), ends, timedelta(minutes=duration))
    assert raised.value.errors[0]["field"] == field
