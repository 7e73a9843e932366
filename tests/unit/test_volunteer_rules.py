"""Rules of volunteer dispatch in plain Python: windows, offers and their deadlines, check-in and
no-shows, approved hours and points, the double-entry ledger, redemptions and reports."""

from datetime import datetime, time, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.volunteers import domain
from shared.errors import Conflict, InvalidInput

T0 = datetime(2026, 12, 7, 1, 0, tzinfo=timezone.utc)  # Monday 09:00 in Shanghai


def test_a_fixed_shift_is_at_most_twelve_hours_and_a_window_must_hold_its_duration():
    domain.check_window(T0, T0 + timedelta(hours=12), None)
    domain.check_window(T0, T0 + timedelta(days=3), 120)
    for starts, ends, duration, field in (
        (T0, T0, None, "ends_at"),
        (T0, T0 + timedelta(hours=13), None, "ends_at"),
        (T0, T0 + timedelta(days=15), 60, "ends_at"),
        (T0, T0 + timedelta(hours=1), 90, "duration_minutes"),
    ):
        with pytest.raises(InvalidInput) as raised:
            domain.check_window(starts, ends, duration)
        assert raised.value.errors[0]["field"] == field


def test_weekly_availability_reads_as_the_dispatch_expects():
    slots = [
        {"weekday": 4, "starts": "20:00", "ends": "00:00"},
        {"weekday": 0, "starts": "08:30", "ends": "12:00"},
    ]
    assert domain.parse_availability(slots) == [(4, time(20), time(0)), (0, time(8, 30), time(12))]


def test_weeks_are_community_weeks():
    sunday_night_utc = datetime(2026, 12, 6, 17, 0, tzinfo=timezone.utc)  # Monday 01:00 in Shanghai
    assert domain.week_of(sunday_night_utc).isoformat() == "2026-12-07"
    assert domain.week_of(T0 - timedelta(hours=10)).isoformat() == "2026-11-30"


@pytest.mark.parametrize(
    ("lead", "deadline"),
    [
        (timedelta(days=3), timedelta(hours=12)),  # long before: 12 hours
        (timedelta(hours=4), timedelta(hours=2)),  # half the time left
        (timedelta(minutes=10), timedelta(minutes=15)),  # at least 15 minutes
        (-timedelta(minutes=20), timedelta(minutes=15)),  # re-dispatched after the start
    ],
)
def test_the_response_deadline_leaves_the_next_best_time(lead, deadline):
    assert domain.response_deadline(T0, T0 + lead) == T0 + deadline


def test_a_place_dispatched_after_the_start_begins_half_an_hour_after_the_offer():
    assert domain.dispatch_start(T0, T0 - timedelta(hours=1)) == T0
    assert domain.dispatch_start(T0, T0) == T0
    assert domain.dispatch_start(T0, T0 + timedelta(minutes=15)) == T0 + timedelta(minutes=45)


def test_an_offer_is_answered_once_and_in_time():
    domain.check_response("offered", T0, T0)
    with pytest.raises(Conflict) as raised:
        domain.check_response("offered", T0, T0 + timedelta(seconds=1))
    assert raised.value.code == "expired"
    with pytest.raises(Conflict) as raised:
        domain.check_response("declined", T0, T0)
    assert (raised.value.code, raised.value.field) == ("not_open", "offer_id")


def test_check_in_opens_half_an_hour_before_and_closes_fifteen_minutes_after_the_start():
    end = T0 + timedelta(hours=2)
    domain.check_check_in("booked", T0, end, T0 - timedelta(minutes=30))
    domain.check_check_in("booked", T0, end, T0 + timedelta(minutes=15))
    for at, code in ((T0 - timedelta(minutes=31), "too_early"), (T0 + timedelta(minutes=16), "too_late")):
        with pytest.raises(Conflict) as raised:
            domain.check_check_in("booked", T0, end, at)
        assert raised.value.code == code
    with pytest.raises(Conflict):
        domain.check_check_in("checked_in", T0, end, T0)
    with pytest.raises(Conflict):
        domain.check_check_out("booked")


def test_a_no_show_is_fifteen_minutes_late_and_a_forgotten_check_out_two_hours_after_the_end():
    assert not domain.is_no_show("booked", T0, T0 + timedelta(minutes=14))
    assert domain.is_no_show("booked", T0, T0 + timedelta(minutes=15))
    assert not domain.is_no_show("checked_in", T0, T0 + timedelta(hours=1))
    assert not domain.forgotten_check_out("checked_in", T0, T0 + timedelta(minutes=119))
    assert domain.forgotten_check_out("checked_in", T0, T0 + timedelta(hours=2))
    assert not domain.forgotten_check_out("checked_out", T0, T0 + timedelta(hours=3))


def test_approved_minutes_are_as_worked_at_most_as_scheduled_unless_the_owner_says():
    end = T0 + timedelta(hours=2)
    worked = (T0 - timedelta(minutes=10), T0 + timedelta(minutes=50))
    assert domain.approved_minutes("checked_out", T0, end, *worked, None) == 60
    assert domain.approved_minutes("checked_out", T0, end, T0, end + timedelta(hours=1), None) == 120
    assert domain.approved_minutes("checked_out", T0, end, *worked, 240) == 240
    with pytest.raises(InvalidInput) as raised:
        domain.approved_minutes("checked_out", T0, end, *worked, 241)
    assert raised.value.errors[0]["field"] == "approved_minutes"
    with pytest.raises(Conflict):
        domain.approved_minutes("booked", T0, end, None, None, 60)


def test_points_are_whole_ten_an_hour_rounded_down():
    assert [domain.points_for_minutes(m) for m in (0, 5, 6, 59, 60, 100)] == [0, 0, 1, 9, 10, 16]


def test_a_posting_is_double_entry_with_whole_non_zero_amounts():
    assert domain.credit_posting("volunteer:v", "issued:c", 5) == [("volunteer:v", 5), ("issued:c", -5)]
    assert domain.redemption_posting("volunteer:v", "redeemed:c", 5) == [
        ("volunteer:v", -5),
        ("redeemed:c", 5),
    ]
    for entries in ([("a", 5)], [("a", 5), ("b", -4)], [("a", 0), ("b", 0)], [("a", 1.5), ("b", -1.5)]):
        with pytest.raises(ValueError):
            domain.check_posting(entries)


@given(st.lists(st.tuples(st.sampled_from(["credit", "redeem"]), st.integers(1, 50)), max_size=40))
def test_any_sequence_of_postings_keeps_the_ledger_balanced(operations):
    balances = {"volunteer:v": 0, "issued:c": 0, "redeemed:c": 0}
    postings = []
    for kind, points in operations:
        if kind == "credit":
            entries = domain.credit_posting("volunteer:v", "issued:c", points)
        else:
            try:
                domain.check_redemption(balances["volunteer:v"], 1000, points, 1)
            except Conflict:
                continue
            entries = domain.redemption_posting("volunteer:v", "redeemed:c", points)
        postings.append(entries)
        for account, amount in entries:
            balances[account] += amount
    sums = {a: sum(amount for p in postings for acc, amount in p if acc == a) for a in balances}
    assert balances["volunteer:v"] >= 0
    assert domain.trial_balance(balances, sums, [sum(a for _, a in p) for p in postings])
    assert not domain.trial_balance({**balances, "volunteer:v": balances["volunteer:v"] + 1}, sums, [])


def test_a_redemption_needs_stock_and_points():
    assert domain.check_redemption(balance=40, stock=3, unit_points=20, quantity=2) == 40
    with pytest.raises(Conflict) as raised:
        domain.check_redemption(balance=100, stock=1, unit_points=20, quantity=2)
    assert raised.value.code == "out_of_stock"
    with pytest.raises(Conflict) as raised:
        domain.check_redemption(balance=39, stock=3, unit_points=20, quantity=2)
    assert (raised.value.code, raised.value.field) == ("insufficient_points", "quantity")


def test_a_request_is_filled_by_kept_shifts_and_open_again_when_one_is_lost():
    assert domain.status_after_change("open", 2, 2) == "filled"
    assert domain.status_after_change("filled", 2, 1) == "open"
    assert domain.status_after_change("draft", 2, 2) == "draft"
    assert domain.vacancies(3, 1) == 2 and domain.vacancies(1, 2) == 0


def test_an_unfilled_request_is_reported_once_within_a_day_of_its_start():
    due = dict(starts_at=T0, status="open", already_reported=False, kept=1, places=2)
    assert domain.unfilled_report_due(at=T0 - timedelta(hours=24), **due)
    assert not domain.unfilled_report_due(at=T0 - timedelta(hours=25), **due)
    assert not domain.unfilled_report_due(at=T0 - timedelta(hours=1), **{**due, "already_reported": True})
    assert not domain.unfilled_report_due(at=T0 - timedelta(hours=1), **{**due, "kept": 2})
    assert not domain.unfilled_report_due(at=T0 + timedelta(minutes=15), **due)


def test_hours_are_reported_per_group_most_first():
    shifts = [
        {"minutes": 90, "volunteer": ("v1", "Wang"), "month": ("2026-12", "2026-12")},
        {"minutes": 60, "volunteer": ("v2", "Li"), "month": ("2026-12", "2026-12")},
        {"minutes": 60, "volunteer": ("v2", "Li"), "month": ("2027-01", "2027-01")},
    ]
    assert domain.hours_report(shifts, "volunteer") == [
        {"key": "v2", "label": "Li", "hours": 2.0, "shifts": 2},
        {"key": "v1", "label": "Wang", "hours": 1.5, "shifts": 1},
    ]
    assert [r["key"] for r in domain.hours_report(shifts, "month")] == ["2026-12", "2027-01"]
    assert domain.month_of(datetime(2026, 11, 30, 17, tzinfo=timezone.utc)) == "2026-12"
