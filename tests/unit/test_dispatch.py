"""Rules of dispatching volunteers to service requests: eligibility, the order of what the round
optimises, explanations, and the exact solve against the greedy baseline and brute force."""

import itertools
import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.volunteers.dispatch import (
    ZONE,
    Building,
    FlexibleWindow,
    ServiceRequest,
    Shift,
    Volunteer,
    dispatch,
    greedy,
)
from services.volunteers.dispatch import solve as solving
from shared.errors import InvalidInput

MONDAY = datetime(2027, 1, 4, tzinfo=ZONE)
BUILDINGS = [Building("B1", 0, 0), Building("B2", 300, 400), Building("B3", 1200, 0)]
ALL_WEEK = tuple((day, time(0), time(0)) for day in range(7))  # an end at the start: the whole day


def shift(day: int = 0, hour: float = 9, hours: float = 2) -> Shift:
    starts = MONDAY + timedelta(days=day, hours=hour)
    return Shift(starts, starts + timedelta(hours=hours))


def volunteer(id: str, **fields) -> Volunteer:
    defaults = {"building": "B1", "skills": {"first-aid": 2}, "availability": ALL_WEEK}
    return Volunteer(id, **{**defaults, **fields})


def request(id: str, **fields) -> ServiceRequest:
    defaults = {"building": "B1", "window": shift(), "skills": {"first-aid": 1}}
    return ServiceRequest(id, **{**defaults, **fields})


def who(result) -> dict[tuple[str, int], str]:
    return {(a.request_id, a.place): a.volunteer_id for a in result.assignments}


def reasons(result) -> dict[str, str]:
    return {u.request_id: u.reason for u in result.unfilled}


def profile(result, requests) -> list[int]:
    """Places filled per priority, most urgent first."""
    priority = {r.id: r.priority for r in requests}
    filled = [priority[a.request_id] for a in result.assignments]
    return [filled.count(p) for p in sorted(set(priority.values()), reverse=True)]


def test_filling_every_place_beats_the_cheaper_choice_for_one_of_them():
    # x is cheapest for both, but only x can do B: greedy gives A x and leaves B empty.
    requests = [request("A"), request("B", skills={"first-aid": 3})]
    volunteers = [volunteer("x", skills={"first-aid": 3}), volunteer("y", building="B3")]
    assert who(greedy(requests, volunteers, BUILDINGS)) == {("A", 0): "x"}
    best = dispatch(requests, volunteers, BUILDINGS)
    assert who(best) == {("A", 0): "y", ("B", 0): "x"}
    assert best.unfilled == ()


def test_the_most_urgent_place_is_filled_when_volunteers_are_scarce():
    requests = [request("chores", priority=1), request("alone-elderly", building="B3", priority=3)]
    best = dispatch(requests, [volunteer("x")], BUILDINGS)
    assert who(best) == {("alone-elderly", 0): "x"}
    assert "1 of higher priority" in reasons(best)["chores"]


def test_priority_never_costs_a_place():
    # The urgent request could take x or y; the other only x. Both are filled, urgent with y.
    requests = [request("urgent", priority=3), request("routine", priority=1, skills={"first-aid": 3})]
    volunteers = [volunteer("x", skills={"first-aid": 3}), volunteer("y", building="B3")]
    assert who(dispatch(requests, volunteers, BUILDINGS)) == {("urgent", 0): "y", ("routine", 0): "x"}
    assert who(greedy(requests, volunteers, BUILDINGS)) == {("urgent", 0): "x"}


def test_higher_priority_wins_over_more_places_of_lower_priority_only_at_equal_fill():
    # Two volunteers, who can fill either both routine places or the urgent place and one routine.
    requests = [request("urgent", priority=2, skills={"repair": 1}), request("routine", places=2)]
    volunteers = [volunteer("x", skills={"repair": 1, "first-aid": 1}), volunteer("y")]
    assert who(dispatch(requests, volunteers, BUILDINGS)) == {("urgent", 0): "x", ("routine", 0): "y"}


def test_an_existing_booking_that_overlaps_rules_a_volunteer_out_and_one_that_touches_does_not():
    overlapping = volunteer("x", bookings=[(MONDAY + timedelta(hours=10), MONDAY + timedelta(hours=12))])
    touching = volunteer(
        "y", building="B3", bookings=[(MONDAY + timedelta(hours=7), MONDAY + timedelta(hours=9))]
    )
    best = dispatch([request("A")], [overlapping, touching], BUILDINGS)
    assert who(best) == {("A", 0): "y"}
    assert (
        "1 already booked at an overlapping time"
        in dispatch([request("A")], [overlapping], BUILDINGS).unfilled[0].reason
    )


def test_a_volunteer_takes_one_place_a_round_not_two_places_of_one_request_nor_two_shifts():
    best = dispatch([request("A", places=2), request("B", window=shift(day=1))], [volunteer("x")], BUILDINGS)
    assert best.filled == 1
    assert len({a.volunteer_id for a in best.assignments}) == len(best.assignments)
    assert "1 of this request" in reasons(best)["A"]


def test_the_weekly_hour_cap_counts_the_hours_already_booked():
    nearly_full = volunteer("x", weekly_cap_hours=10, hours_this_week=9)
    assert dispatch([request("A", window=shift(hours=2))], [nearly_full], BUILDINGS).filled == 0
    assert dispatch([request("A", window=shift(hours=1))], [nearly_full], BUILDINGS).filled == 1
    reason = dispatch([request("A")], [nearly_full], BUILDINGS).unfilled[0].reason
    assert "1 would go over their weekly hour cap" in reason


def test_a_certificate_must_be_valid_on_the_day():
    task = request("A", skills={"medical": 2}, certificates=frozenset({"medical-licence"}))
    expired = volunteer("x", skills={"medical": 3}, certificates={"medical-licence": date(2027, 1, 3)})
    last_day = volunteer("y", skills={"medical": 3}, certificates={"medical-licence": date(2027, 1, 4)})
    result = dispatch([task], [expired], BUILDINGS)
    assert result.filled == 0
    assert "1 had no 'medical-licence' valid on 2027-01-04" in result.unfilled[0].reason
    assert who(dispatch([task], [expired, last_day], BUILDINGS)) == {("A", 0): "y"}


@pytest.mark.parametrize(
    "consent, verified, fits, reason",
    [
        (False, True, False, "had not consented to home visits"),
        (True, False, False, "had no verified identity"),
        (True, True, True, None),
    ],
)
def test_home_visits_need_consent_and_a_verified_identity(consent, verified, fits, reason):
    result = dispatch(
        [request("A", home_visit=True)],
        [volunteer("x", home_visit_consent=consent, identity_verified=verified)],
        BUILDINGS,
    )
    assert result.filled == int(fits)
    if reason:
        assert reason in result.unfilled[0].reason
    # Without a home visit neither matters.
    assert dispatch([request("A")], [volunteer("x")], BUILDINGS).filled == 1


def test_weekly_availability_is_community_time_and_joins_adjacent_windows():
    mornings = volunteer("x", availability=[(0, time(8), time(12))])
    assert dispatch([request("A", window=shift(hour=9))], [mornings], BUILDINGS).filled == 1
    late = dispatch([request("A", window=shift(hour=11))], [mornings], BUILDINGS)
    assert late.filled == 0 and "1 not available at that time" in late.unfilled[0].reason
    assert dispatch([request("A", window=shift(day=1, hour=9))], [mornings], BUILDINGS).filled == 0
    whole_day = volunteer("y", availability=[(0, time(8), time(12)), (0, time(12), time(16))])
    assert dispatch([request("A", window=shift(hour=11))], [whole_day], BUILDINGS).filled == 1
    # 01:00 UTC is 09:00 in Shanghai.
    utc = datetime(2027, 1, 4, 1, tzinfo=timezone.utc)
    assert (
        dispatch([request("A", window=Shift(utc, utc + timedelta(hours=2)))], [mornings], BUILDINGS).filled
        == 1
    )


def test_a_night_shift_runs_past_midnight_on_windows_that_do_too():
    friday_night = volunteer("x", availability=[(4, time(20), time(2))])
    assert (
        dispatch([request("A", window=shift(day=4, hour=22, hours=3))], [friday_night], BUILDINGS).filled == 1
    )
    assert (
        dispatch([request("A", window=shift(day=4, hour=23, hours=4))], [friday_night], BUILDINGS).filled == 0
    )


def test_an_unavailable_date_overrides_the_weekly_window():
    away = volunteer("x", unavailable_dates=frozenset({date(2027, 1, 4)}))
    result = dispatch([request("A")], [away], BUILDINGS)
    assert result.filled == 0 and "1 away that day" in result.unfilled[0].reason
    assert dispatch([request("A", window=shift(day=7))], [away], BUILDINGS).filled == 1


def test_a_flexible_window_takes_each_volunteers_earliest_free_slot_of_the_duration():
    window = FlexibleWindow(MONDAY + timedelta(hours=8), MONDAY + timedelta(hours=14), timedelta(hours=2))
    booked = volunteer(
        "x",
        availability=[(0, time(10), time(16))],
        bookings=[(MONDAY + timedelta(hours=10), MONDAY + timedelta(hours=11))],
    )
    (assignment,) = dispatch([request("A", window=window)], [booked], BUILDINGS).assignments
    assert (assignment.starts_at, assignment.ends_at) == (
        MONDAY + timedelta(hours=11),
        MONDAY + timedelta(hours=13),
    )
    assert "earliest free start Mon 04 Jan 11:00" in assignment.explanation

    too_late = volunteer("y", availability=[(0, time(13), time(16))])  # one hour inside the window
    result = dispatch([request("A", window=window)], [too_late], BUILDINGS)
    assert result.filled == 0 and "1 not available in that window" in result.unfilled[0].reason
    fully_booked = replace(booked, bookings=[(MONDAY + timedelta(hours=10), MONDAY + timedelta(hours=13))])
    result = dispatch([request("A", window=window)], [fully_booked], BUILDINGS)
    assert result.filled == 0 and "1 booked whenever available" in result.unfilled[0].reason


@pytest.mark.parametrize("solve", [dispatch, greedy])
def test_work_is_shared_no_shows_count_against_and_overqualification_costs_a_little(solve):
    def chosen(*volunteers):
        return who(solve([request("A", skills={"first-aid": 2})], list(volunteers), BUILDINGS))[("A", 0)]

    assert (
        chosen(volunteer("busy", hours_last_30_days=20), volunteer("rested", hours_last_30_days=2))
        == "rested"
    )
    assert chosen(volunteer("absent", no_shows=2), volunteer("reliable")) == "reliable"
    assert chosen(volunteer("expert", skills={"first-aid": 5}), volunteer("enough")) == "enough"
    assert chosen(volunteer("far", building="B3"), volunteer("near", building="B2")) == "near"


def test_explanations_say_why_each_volunteer_and_why_nobody():
    requests = [request("A", building="B2", skills={"first-aid": 2}), request("B", skills={"medical": 2})]
    volunteers = [
        volunteer("x", skills={"first-aid": 3}, hours_last_30_days=4),
        volunteer("y", skills={"medical": 1}, availability=[]),
        volunteer("z", skills={"medical": 3}, availability=[]),
    ]
    result = dispatch(requests, volunteers, BUILDINGS)
    (assignment,) = result.assignments
    for part in (
        "skill first-aid level 3 ≥ 2",
        "500 m from building B2",
        "4.0 h in the last 30 days",
        "no no-shows",
    ):
        assert part in assignment.explanation
    assert reasons(result)["B"] == (
        "no volunteer could take this place: 2 lacked skill 'medical' level ≥ 2; 1 not available at that time"
    )


def test_the_same_inputs_in_any_order_give_the_same_round():
    rng = random.Random(7)
    requests = [
        request(
            f"r{i}",
            building=rng.choice("B1 B2 B3".split()),
            places=rng.randint(1, 3),
            priority=rng.randint(1, 3),
        )
        for i in range(8)
    ]
    volunteers = [
        volunteer(f"v{i}", building=rng.choice("B1 B2 B3".split()), hours_last_30_days=rng.choice([0, 4]))
        for i in range(10)
    ]
    first = dispatch(requests, volunteers, BUILDINGS)
    for _ in range(3):
        rng.shuffle(requests)
        rng.shuffle(volunteers)
        assert dispatch(requests, volunteers, BUILDINGS) == first
    # Equal costs go to the smaller id.
    assert who(greedy([request("A")], [volunteer("b"), volunteer("a")], BUILDINGS)) == {("A", 0): "a"}


def test_pruning_candidates_never_costs_a_place(monkeypatch):
    monkeypatch.setattr(solving, "SPARE", 0)  # each request first sees only its cheapest volunteer
    requests = [request("A"), request("B", skills={"first-aid": 3})]
    volunteers = [volunteer("x", skills={"first-aid": 3}), volunteer("y", building="B3")]
    assert who(dispatch(requests, volunteers, BUILDINGS)) == {("A", 0): "y", ("B", 0): "x"}


def test_bad_input_is_refused():
    with pytest.raises(InvalidInput):
        Shift(datetime(2027, 1, 4, 9), datetime(2027, 1, 4, 11))  # naive
    with pytest.raises(InvalidInput):
        FlexibleWindow(MONDAY, MONDAY + timedelta(hours=1), timedelta(hours=2))
    with pytest.raises(InvalidInput):
        dispatch([request("A", building="nowhere")], [volunteer("x")], BUILDINGS)
    with pytest.raises(InvalidInput):
        dispatch([request("A")], [volunteer("x"), volunteer("x")], BUILDINGS)
    assert dispatch([], [], BUILDINGS).filled == 0
    assert reasons(dispatch([request("A")], [], BUILDINGS)) == {"A": "no volunteers"}


# Small random rounds, checked against greedy and against every possible assignment.

WINDOWS = [
    shift(hour=9),
    shift(hour=10),
    FlexibleWindow(MONDAY + timedelta(hours=8), MONDAY + timedelta(hours=14), timedelta(hours=2)),
]
AVAILABILITY = [ALL_WEEK, ((0, time(8), time(12)),), ((0, time(10), time(16)),)]


@st.composite
def rounds(draw):
    skill_sets = st.dictionaries(st.sampled_from(["a", "b"]), st.integers(1, 3), min_size=1)
    volunteers = [
        Volunteer(
            f"v{i}",
            building=draw(st.sampled_from(["B1", "B2", "B3"])),
            skills=draw(skill_sets),
            availability=draw(st.sampled_from(AVAILABILITY)),
            weekly_cap_hours=10,
            hours_this_week=draw(st.sampled_from([0, 9])),
            hours_last_30_days=draw(st.integers(0, 20)),
            no_shows=draw(st.integers(0, 2)),
            home_visit_consent=draw(st.booleans()),
            identity_verified=True,
            bookings=draw(
                st.sampled_from([(), ((MONDAY + timedelta(hours=10), MONDAY + timedelta(hours=11)),)])
            ),
        )
        for i in range(draw(st.integers(1, 4)))
    ]
    requests = [
        ServiceRequest(
            f"r{i}",
            building=draw(st.sampled_from(["B1", "B2", "B3"])),
            window=draw(st.sampled_from(WINDOWS)),
            places=draw(st.integers(1, 2)),
            skills=draw(skill_sets),
            priority=draw(st.integers(1, 3)),
            home_visit=draw(st.booleans()),
        )
        for i in range(draw(st.integers(1, 3)))
    ]
    return requests, volunteers


def best_by_brute_force(requests, volunteers):
    """(filled, places per priority, -cost) of the best assignment of all, from pairwise costs."""
    cost = {}
    for r in requests:
        for v in volunteers:
            pair = dispatch([replace(r, places=1)], [v], BUILDINGS)
            if pair.filled:
                cost[r.id, v.id] = pair.total_cost
    places = [r for r in requests for _ in range(r.places)]
    levels = sorted({r.priority for r in requests}, reverse=True)
    best = None
    for choice in itertools.product([None, *volunteers], repeat=len(places)):
        taken = [v.id for v in choice if v]
        if len(taken) != len(set(taken)) or any(
            v and (r.id, v.id) not in cost for r, v in zip(places, choice, strict=True)
        ):
            continue
        filled = [r.priority for r, v in zip(places, choice, strict=True) if v]
        total = sum(cost[r.id, v.id] for r, v in zip(places, choice, strict=True) if v)
        value = (len(filled), [filled.count(p) for p in levels], -total)
        best = value if best is None or value > best else best
    return best


@settings(max_examples=60, deadline=None)
@given(rounds())
def test_the_exact_round_is_the_best_possible_and_never_worse_than_greedy(round_):
    """Greedy may spend less by filling less urgent places, so cost is compared only at the same
    places filled per priority."""
    requests, volunteers = round_
    best, baseline = dispatch(requests, volunteers, BUILDINGS), greedy(requests, volunteers, BUILDINGS)
    for result in (best, baseline):
        assert len({a.volunteer_id for a in result.assignments}) == result.filled
        assert result.filled + len(result.unfilled) == sum(r.places for r in requests)

    ours = (best.filled, profile(best, requests))
    theirs = (baseline.filled, profile(baseline, requests))
    assert best.filled >= baseline.filled
    assert ours >= theirs
    if ours == theirs:
        assert best.total_cost <= baseline.total_cost + 1e-9

    filled, per_priority, minus_cost = best_by_brute_force(requests, volunteers)
    assert ours == (filled, per_priority)
    assert best.total_cost == pytest.approx(-minus_cost, abs=1e-6)
    # Seeing only each request's cheapest volunteers at first may cost money, never a place.
    with patch.object(solving, "SPARE", 0):
        pruned = dispatch(requests, volunteers, BUILDINGS)
    assert (pruned.filled, profile(pruned, requests)) == (filled, per_priority)
