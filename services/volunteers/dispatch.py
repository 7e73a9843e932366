"""Dispatching volunteers to the places of every open service request at once, with each choice explained.

Pure domain code: eligibility and cost as numpy arrays, an exact solve with SciPy's sparse assignment
solver, and a greedy baseline with the same inputs and outputs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import chain
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching, min_weight_full_bipartite_matching

from shared.errors import InvalidInput

# Weekly availability is community wall-clock time. Shanghai keeps no daylight saving, so a local day
# is always 24 hours long, which the minute arithmetic below relies on.
ZONE = ZoneInfo("Asia/Shanghai")

# Cost in points. One level above the need is worth 100 m of walking; an hour of service in the last
# 30 days a quarter of that, so that work is shared; a no-show costs as much as 500 m.
OVERQUALIFIED_PER_LEVEL = 1.0
PER_100_METRES = 1.0
PER_RECENT_HOUR = 0.25
PER_NO_SHOW = 5.0

# The exact solve first sees only each request's cheapest candidates: its places plus this many.
SPARE = 30


@dataclass(frozen=True)
class Building:
    id: str
    x: float  # metres east of the community's origin
    y: float  # metres north


@dataclass(frozen=True)
class Shift:
    """A fixed time: the volunteer serves from start to end."""

    starts_at: datetime
    ends_at: datetime

    def __post_init__(self) -> None:
        _check_times("window", self.starts_at, self.ends_at)

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return self.starts_at, self.ends_at


@dataclass(frozen=True)
class FlexibleWindow:
    """Any `duration` between `earliest` and `latest`; a volunteer gets their earliest free slot."""

    earliest: datetime
    latest: datetime
    duration: timedelta

    def __post_init__(self) -> None:
        _check_times("window", self.earliest, self.latest)
        if not timedelta(0) < self.duration <= self.latest - self.earliest:
            raise InvalidInput(
                [{"field": "duration", "code": "invalid", "message": "the duration must fit in the window"}]
            )

    @property
    def hours(self) -> float:
        return self.duration.total_seconds() / 3600

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return self.earliest, self.latest


@dataclass(frozen=True)
class ServiceRequest:
    """A request needing `places` volunteers, each with every listed skill at least at its level."""

    id: str
    building: str
    window: Shift | FlexibleWindow
    places: int = 1
    skills: Mapping[str, int] = field(default_factory=dict)
    certificates: frozenset[str] = frozenset()
    priority: int = 1  # higher comes first, e.g. an elderly resident living alone
    home_visit: bool = False
    # Volunteers not to be offered it again: they declined, let the offer lapse or missed it.
    excluded: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Volunteer:
    id: str
    building: str  # home
    skills: Mapping[str, int] = field(default_factory=dict)  # skill -> level 1..5
    certificates: Mapping[str, date] = field(default_factory=dict)  # name -> last day valid
    # (weekday 0 = Monday, start, end) in community time; an end at or before the start runs past
    # midnight, so (4, time(20), time(0)) is Friday 20:00 to midnight.
    availability: Sequence[tuple[int, time, time]] = ()
    unavailable_dates: frozenset[date] = frozenset()
    weekly_cap_hours: float = 40.0
    hours_this_week: float = 0.0  # already booked in the week being dispatched
    hours_last_30_days: float = 0.0
    no_shows: int = 0
    home_visit_consent: bool = False
    identity_verified: bool = False
    bookings: Sequence[tuple[datetime, datetime]] = ()


@dataclass(frozen=True)
class Assignment:
    request_id: str
    place: int
    volunteer_id: str
    starts_at: datetime
    ends_at: datetime
    cost: float
    explanation: str


@dataclass(frozen=True)
class UnfilledPlace:
    request_id: str
    place: int
    reason: str


@dataclass(frozen=True)
class Dispatch:
    assignments: tuple[Assignment, ...]
    unfilled: tuple[UnfilledPlace, ...]

    @property
    def filled(self) -> int:
        return len(self.assignments)

    @property
    def total_cost(self) -> float:
        return math.fsum(a.cost for a in self.assignments)


def dispatch(
    requests: Iterable[ServiceRequest], volunteers: Iterable[Volunteer], buildings: Iterable[Building]
) -> Dispatch:
    """The best round: the most places filled, then the most urgent ones, then the least cost.

    Each volunteer takes at most one place per round. That keeps the round an assignment problem,
    solved exactly, and makes double booking within the round impossible; a volunteer free for
    two shifts gets the second in the next round, where the first is one of their bookings.
    """
    plan = _Plan(requests, volunteers, buildings)
    return plan.result(plan.optimal())


def greedy(
    requests: Iterable[ServiceRequest], volunteers: Iterable[Volunteer], buildings: Iterable[Building]
) -> Dispatch:
    """The baseline: place by place in priority order, the cheapest volunteer still free."""
    plan = _Plan(requests, volunteers, buildings)
    return plan.result(plan.greedy())


def _check_times(name: str, starts: datetime, ends: datetime) -> None:
    if starts.tzinfo is None or ends.tzinfo is None:
        raise InvalidInput([{"field": name, "code": "invalid", "message": "times must be timezone-aware"}])
    if ends <= starts:
        raise InvalidInput(
            [{"field": name, "code": "invalid", "message": "a window must end after it starts"}]
        )


@lru_cache(maxsize=4096)  # volunteers pick from a few round times
def _minutes(moment: time) -> float:
    return moment.hour * 60 + moment.minute + moment.second / 60 + moment.microsecond / 60e6


def _day_pieces(starts: datetime, ends: datetime) -> list[tuple[date, float, float]]:
    """The parts of [starts, ends) on each community day, in minutes after local midnight."""
    first, last = starts.astimezone(ZONE), ends.astimezone(ZONE)
    pieces = []
    day = first.date()
    while day <= last.date():
        lo = _minutes(first.time()) if day == first.date() else 0.0
        hi = _minutes(last.time()) if day == last.date() else 1440.0
        if hi > lo:
            pieces.append((day, lo, hi))
        day += timedelta(days=1)
    return pieces


def _slots(groups: np.ndarray) -> np.ndarray:
    """For sorted group keys, each item's position within its group."""
    if not groups.size:
        return groups
    first = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    return np.arange(groups.size) - np.repeat(first, np.diff(np.r_[first, groups.size]))


def _padded(n: int, rows: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Intervals sorted by row then start, as (most per row, n) arrays padded with [+inf, -inf].

    Slot-major, so that the k-th interval of every row is one contiguous vector.
    """
    slot = _slots(rows)
    width = int(slot.max()) + 1 if slot.size else 1
    padded_lo, padded_hi = np.full((width, n), np.inf), np.full((width, n), -np.inf)
    padded_lo[slot, rows], padded_hi[slot, rows] = lo, hi
    return padded_lo, padded_hi


def _merged(group: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, ...]:
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


class _Roster:
    """The volunteers as arrays, one row each in id order, for checking many at a time."""

    def __init__(
        self,
        volunteers: list[Volunteer],
        coords: Mapping[str, tuple[float, float]],
        horizon: tuple[float, float],
    ):
        n = len(volunteers)
        self.size = n
        self.ids = np.array([v.id for v in volunteers], dtype=object)
        self.x = np.array([coords[v.building][0] for v in volunteers], dtype=float)
        self.y = np.array([coords[v.building][1] for v in volunteers], dtype=float)
        self.consent = np.array([v.home_visit_consent for v in volunteers], dtype=bool)
        self.verified = np.array([v.identity_verified for v in volunteers], dtype=bool)
        self.hours_left = np.array([v.weekly_cap_hours - v.hours_this_week for v in volunteers], dtype=float)
        # The part of the cost that is the volunteer's own, whatever the request.
        self.own_cost = np.array(
            [v.hours_last_30_days * PER_RECENT_HOUR + v.no_shows * PER_NO_SHOW for v in volunteers],
            dtype=float,
        )

        skills = [(row, s, level) for row, v in enumerate(volunteers) for s, level in v.skills.items()]
        self.skill_column = {s: i for i, s in enumerate(sorted({s for _, s, _ in skills}))}
        self.levels = np.zeros((len(self.skill_column), n), dtype=np.int16)
        for row, s, level in skills:
            self.levels[self.skill_column[s], row] = level
        held = [(row, c, until) for row, v in enumerate(volunteers) for c, until in v.certificates.items()]
        self.certificate_column = {c: i for i, c in enumerate(sorted({c for _, c, _ in held}))}
        self.valid_until = np.zeros((len(self.certificate_column), n), dtype=np.int32)  # date ordinals
        for row, c, until in held:
            self.valid_until[self.certificate_column[c], row] = until.toordinal()
        self._away: dict[int, list[int]] = {}
        for row, v in enumerate(volunteers):
            for day in v.unavailable_dates:
                self._away.setdefault(day.toordinal(), []).append(row)
        self._masks: dict[tuple, Any] = {}

        windows = [
            (row, weekday, _minutes(starts), _minutes(ends))
            for row, v in enumerate(volunteers)
            for weekday, starts, ends in v.availability
        ]
        row, weekday, lo, hi = (
            np.fromiter(chain.from_iterable(windows), float, 4 * len(windows)).reshape(-1, 4).T
        )
        # A window ending at or before its start runs past midnight: split it there.
        late = hi <= lo
        early = late & (hi > 0)
        row = np.r_[row, row[early]]
        weekday = np.r_[weekday, (weekday[early] + 1) % 7]
        lo = np.r_[lo, np.zeros(np.count_nonzero(early))]
        hi = np.r_[np.where(late, 1440.0, hi), hi[early]]
        group, lo, hi = _merged((weekday * n + row).astype(np.int64), lo, hi)
        lo, hi = _padded(7 * n, group, lo, hi)
        # [weekday, k, row]: the k-th span of that weekday
        self.span_lo = lo.reshape(len(lo), 7, n).swapaxes(0, 1)
        self.span_hi = hi.reshape(len(hi), 7, n).swapaxes(0, 1)

        # Bookings outside the round's horizon can clash with nothing in it.
        booked = [
            (row, b.timestamp(), e.timestamp()) for row, v in enumerate(volunteers) for b, e in v.bookings
        ]
        row, lo, hi = np.array(booked, dtype=float).reshape(-1, 3).T
        inside = (hi > horizon[0]) & (lo < horizon[1])
        row, lo, hi = row[inside].astype(np.int64), lo[inside], hi[inside]
        order = np.lexsort((lo, row))
        self._bookings = row[order], lo[order], hi[order]
        self.booked_lo, self.booked_hi = _padded(n, *self._bookings)

    def _cached(self, key: tuple, make: Callable[[], Any]) -> Any:
        # Requests share skills, days and shift times, so each full-length mask is made once.
        if key not in self._masks:
            self._masks[key] = make()
        return self._masks[key]

    def skilled(self, skill: str, need: int) -> np.ndarray:
        column = self.skill_column.get(skill)
        return self._cached(
            ("skill", skill, need),
            lambda: np.zeros(self.size, bool) if column is None else self.levels[column] >= need,
        )

    def certified(self, name: str, day: date) -> np.ndarray:
        column = self.certificate_column.get(name)
        return self._cached(
            ("certificate", name, day),
            lambda: (
                np.zeros(self.size, bool) if column is None else self.valid_until[column] >= day.toordinal()
            ),
        )

    def within_cap(self, hours: float) -> np.ndarray:
        return self._cached(("cap", hours), lambda: self.hours_left >= hours - 1e-9)

    def away(self, days: tuple[date, ...]) -> np.ndarray:
        def make() -> np.ndarray:
            mask = np.zeros(self.size, dtype=bool)
            for day in days:
                mask[self._away.get(day.toordinal(), [])] = True
            return mask

        return self._cached(("away", days), make)

    def available(self, shift: Shift) -> np.ndarray:
        def make() -> np.ndarray:
            ok = np.ones(self.size, dtype=bool)
            for day, lo, hi in _day_pieces(*shift.bounds):
                covered = np.zeros(self.size, dtype=bool)
                for span_lo, span_hi in zip(
                    self.span_lo[day.weekday()], self.span_hi[day.weekday()], strict=True
                ):
                    covered |= (span_lo <= lo) & (span_hi >= hi)
                ok &= covered
            return ok

        return self._cached(("available", shift), make)

    def booked(self, shift: Shift) -> np.ndarray:
        starts, ends = shift.starts_at.timestamp(), shift.ends_at.timestamp()

        def make() -> np.ndarray:
            clash = np.zeros(self.size, dtype=bool)
            for lo, hi in zip(self.booked_lo, self.booked_hi, strict=True):
                clash |= (lo < ends) & (hi > starts)
            return clash

        return self._cached(("booked", shift), make)

    def booked_on(self, day: date) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Who has bookings touching that community day, and those bookings, padded."""

        def make() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            midnight = datetime.combine(day, time(), ZONE).timestamp()
            row, lo, hi = self._bookings
            that_day = (lo < midnight + 86400) & (hi > midnight)
            booked = np.zeros(self.size, dtype=bool)
            booked[row[that_day]] = True
            return booked, *_padded(self.size, row[that_day], lo[that_day], hi[that_day])

        return self._cached(("booked on", day), make)

    def cost_from(self, at: tuple[float, float]) -> np.ndarray:
        """Each volunteer's cost for a request at that spot, before skill fit."""

        def make() -> np.ndarray:
            return np.hypot(self.x - at[0], self.y - at[1]) / 100 * PER_100_METRES + self.own_cost

        return self._cached(("from", at), make)

    def level(self, rows: np.ndarray, skill: str) -> np.ndarray:
        column = self.skill_column.get(skill)
        return np.zeros(rows.size, dtype=np.int16) if column is None else self.levels[column][rows]

    def earliest(self, rows: np.ndarray, window: FlexibleWindow) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each volunteer's earliest start inside one of their availability spans (inf if none):
        by the weekly spans alone, then also off their unavailable dates, then also clear of
        their bookings.

        A flexible task stays within one day's span; a fixed shift may run past midnight.
        """
        duration = window.duration.total_seconds()
        spanned, present, free = (np.full(rows.size, np.inf) for _ in range(3))
        for day, lo, hi in _day_pieces(*window.bounds):
            midnight = datetime.combine(day, time(), ZONE).timestamp()
            gone = self.away((day,))[rows]
            booked, booked_lo, booked_hi = self.booked_on(day)
            booked = booked[rows]
            weekday = day.weekday()
            for span_lo, span_hi in zip(self.span_lo[weekday], self.span_hi[weekday], strict=True):
                # Spans fill their slots in order, so a slot nobody has ends the day.
                some = np.flatnonzero(np.isfinite(span_lo[rows]))
                if not some.size:
                    break
                who = rows[some]
                starts = np.maximum(span_lo[who], lo) * 60 + midnight
                ends = np.minimum(span_hi[who], hi) * 60 + midnight
                spanned[some] = np.minimum(spanned[some], np.where(starts + duration <= ends, starts, np.inf))
                starts[gone[some]] = np.inf
                present[some] = np.minimum(present[some], np.where(starts + duration <= ends, starts, np.inf))
                # Bookings are in start order, so one pass pushing the start past each clash finds
                # the earliest free start: one that did not clash never will after a push.
                hit = np.flatnonzero(booked[some])
                for b_lo, b_hi in zip(booked_lo[:, who[hit]], booked_hi[:, who[hit]], strict=True):
                    at = starts[hit]
                    starts[hit] = np.where((b_lo < at + duration) & (b_hi > at), b_hi, at)
                free[some] = np.minimum(free[some], np.where(starts + duration <= ends, starts, np.inf))
        return spanned, present, free


@dataclass
class _Fit:
    """The volunteers who fit one request, and why the others do not."""

    rows: np.ndarray  # roster rows, ascending, so the first of equals has the smallest id
    starts: np.ndarray  # timestamps
    cost: np.ndarray
    rejected: dict[str, int]  # reason -> how many, in the order checked


def _fit(roster: _Roster, request: ServiceRequest, at: tuple[float, float]) -> _Fit:
    fits = np.ones(roster.size, dtype=bool)
    left = roster.size
    rejected: dict[str, int] = {}

    # Each volunteer is counted against the first check they fail, in this order.
    def keep(ok: np.ndarray, reason: str) -> None:
        nonlocal fits, left
        fits = fits & ok
        now = int(np.count_nonzero(fits))
        if now < left:
            rejected[reason] = left - now
        left = now

    for skill, need in sorted(request.skills.items()):
        keep(roster.skilled(skill, need), f"lacked skill {skill!r} level ≥ {need}")
    window = request.window
    days = tuple(day for day, _, _ in _day_pieces(*window.bounds))
    for name in sorted(request.certificates):
        # Valid on every day the task may fall on.
        keep(roster.certified(name, days[-1]), f"had no {name!r} valid on {days[-1]}")
    if request.home_visit:
        keep(roster.consent, "had not consented to home visits")
        keep(roster.verified, "had no verified identity, needed for home visits")
    if request.excluded:
        keep(~np.isin(roster.ids, list(request.excluded)), "were offered it before")
    keep(roster.within_cap(window.hours), "would go over their weekly hour cap")

    if isinstance(window, Shift):
        keep(roster.available(window), "not available at that time")
        keep(~roster.away(days), "away that day")
        keep(~roster.booked(window), "already booked at an overlapping time")
        rows = np.flatnonzero(fits)
        starts = np.full(rows.size, window.starts_at.timestamp())
    else:
        rows = np.flatnonzero(fits)
        spanned, present, starts = roster.earliest(rows, window)
        # Each later start is at least the one before, so the misses only grow.
        missed = 0
        for found, reason in (
            (spanned, "not available in that window"),
            (present, "away on those days"),
            (starts, "booked whenever available"),
        ):
            now = int(np.count_nonzero(np.isinf(found)))
            if now > missed:
                rejected[reason] = now - missed
            missed = now
        ok = np.isfinite(starts)
        rows, starts = rows[ok], starts[ok]

    cost = roster.cost_from(at)[rows]
    for skill, need in request.skills.items():
        cost += (roster.level(rows, skill) - need) * OVERQUALIFIED_PER_LEVEL
    return _Fit(rows, starts, cost, rejected)


def _cheapest(cost: np.ndarray, count: int) -> np.ndarray:
    """Positions of the `count` smallest costs, ascending; of equal costs, the first positions."""
    if cost.size <= count:
        return np.arange(cost.size)
    threshold = np.partition(cost, count - 1)[count - 1]
    below = np.flatnonzero(cost < threshold)
    return np.union1d(below, np.flatnonzero(cost == threshold)[: count - below.size])


class _Plan:
    """One round's requests and volunteers in a fixed order, and who fits where, ready to solve."""

    def __init__(
        self,
        requests: Iterable[ServiceRequest],
        volunteers: Iterable[Volunteer],
        buildings: Iterable[Building],
    ):
        self.coords = {b.id: (b.x, b.y) for b in buildings}
        # Sorting makes the round depend on the inputs, not on their order.
        self.requests = sorted(requests, key=lambda r: (-r.priority, r.id))
        self.volunteers = sorted(volunteers, key=lambda v: v.id)
        self._check()
        bounds = [r.window.bounds for r in self.requests]
        horizon = (
            min((b[0].timestamp() for b in bounds), default=0.0),
            max((b[1].timestamp() for b in bounds), default=0.0),
        )
        self.roster = _Roster(self.volunteers, self.coords, horizon)
        self.fits = [_fit(self.roster, r, self.coords[r.building]) for r in self.requests]

    def _check(self) -> None:
        errors = []
        for kind, items in (("request", self.requests), ("volunteer", self.volunteers)):
            ids = [item.id for item in items]
            if len(set(ids)) != len(ids):
                errors.append({"field": f"{kind}s", "code": "duplicate", "message": f"{kind} ids repeat"})
            for item in items:
                if item.building not in self.coords:
                    errors.append(
                        {
                            "field": "building",
                            "code": "not_found",
                            "message": f"{kind} {item.id}: no building {item.building!r}",
                        }
                    )
        for request in self.requests:
            if request.places < 1 or any(level < 1 for level in request.skills.values()):
                errors.append(
                    {
                        "field": "places",
                        "code": "invalid",
                        "message": f"request {request.id}: places and skill levels start at 1",
                    }
                )
        if errors:
            raise InvalidInput(errors)

    def optimal(self) -> list[list[int]]:
        """For each request, the positions in its fit of the volunteers chosen, by an exact solve.

        The solve first sees only each request's `places + SPARE` cheapest volunteers, which is
        what makes a city-wide round fast. Pruning can never fill more, but it could fill fewer
        or less urgent places, so the result is checked against the most places that can be
        filled, tier by tier, over every volunteer who fits; if it falls short, the round is
        solved again without pruning.
        """
        kept = [
            _cheapest(fit.cost, request.places + SPARE)
            for request, fit in zip(self.requests, self.fits, strict=True)
        ]
        chosen = self._solve(kept)
        if not self._fills_most(chosen):
            chosen = self._solve([np.arange(fit.rows.size) for fit in self.fits])
        return chosen

    def _solve(self, kept: list[np.ndarray]) -> list[list[int]]:
        """Rows are places, columns the volunteers kept plus one stand-in per place for "unfilled".

        Leaving a place unfilled costs (tier + 1) * step, tier being the rank of its priority,
        and step is more than every volunteer cost of the round added together. The sets of
        places that can be filled together form a matroid, in which a set of greatest weight is
        a largest set that also holds the most places of the top tier, then of the next, and
        so on (Rado-Edmonds). So the solve fills the most places, then the most urgent, and
        only then spends cost.
        """
        places = sum(r.places for r in self.requests)
        chosen: list[list[int]] = [[] for _ in self.requests]
        if not places:
            return chosen
        volunteers = np.unique(np.concatenate([fit.rows[k] for fit, k in zip(self.fits, kept, strict=True)]))
        tier = {p: t for t, p in enumerate(sorted({r.priority for r in self.requests}))}
        costs = [f.cost for f in self.fits if f.rows.size]
        low = min((float(c.min()) for c in costs), default=0.0)
        spread = max((float(c.max()) for c in costs), default=0.0) - low
        step = (places + 1) * (spread + 1.0)
        owner = np.repeat(np.arange(len(self.requests)), [r.places for r in self.requests])
        rows, columns, weights = [np.arange(places)], [volunteers.size + np.arange(places)], []
        weights.append(np.array([(tier[self.requests[i].priority] + 1) * step + 1.0 for i in owner]))
        first = 0
        for request, fit, k in zip(self.requests, self.fits, kept, strict=True):
            rows.append(np.repeat(np.arange(first, first + request.places), k.size))
            columns.append(np.tile(np.searchsorted(volunteers, fit.rows[k]), request.places))
            # Shifted to start at 1: the sparse solver reads a zero as "no edge". Every place takes
            # exactly one column, so a shift common to all volunteers changes no choice.
            weights.append(np.tile(fit.cost[k] - low + 1.0, request.places))
            first += request.places
        graph = csr_matrix(
            (np.concatenate(weights), (np.concatenate(rows), np.concatenate(columns))),
            shape=(places, volunteers.size + places),
        )
        for row, column in zip(*min_weight_full_bipartite_matching(graph), strict=True):
            if column < volunteers.size:
                i = owner[row]
                chosen[i].append(int(np.searchsorted(self.fits[i].rows, volunteers[column])))
        return chosen

    def _fills_most(self, chosen: list[list[int]]) -> bool:
        """Whether, for each priority and above, as many places are filled as could be at all."""
        requests, fits = self.requests, self.fits
        filled = np.cumsum([len(c) for c in chosen])
        bound = np.cumsum([min(r.places, f.rows.size) for r, f in zip(requests, fits, strict=True)])
        places = np.cumsum([r.places for r in requests])
        graph = None
        for i, request in enumerate(requests):
            if i + 1 < len(requests) and requests[i + 1].priority == request.priority:
                continue  # not the last request of its priority
            if filled[i] == bound[i]:
                continue  # every place that anyone fits is filled
            if graph is None:
                fitting = np.repeat([f.rows.size for f in fits], [r.places for r in requests])
                graph = csr_matrix(
                    (
                        np.ones(fitting.sum()),
                        np.concatenate(
                            [np.tile(f.rows, r.places) for r, f in zip(requests, fits, strict=True)]
                        ),
                        np.r_[0, np.cumsum(fitting)],
                    ),
                    shape=(fitting.size, self.roster.size),
                )
            if filled[i] < np.count_nonzero(
                maximum_bipartite_matching(graph[: places[i]], perm_type="column") >= 0
            ):
                return False
        return True

    def greedy(self) -> list[list[int]]:
        taken = np.zeros(self.roster.size, dtype=bool)
        chosen: list[list[int]] = []
        for request, fit in zip(self.requests, self.fits, strict=True):
            mine = []
            for _ in range(request.places):
                cost = np.where(taken[fit.rows], np.inf, fit.cost)
                if not cost.size or np.isinf(cost.min()):
                    break
                best = int(np.argmin(cost))  # the first of equals: the smallest id
                taken[fit.rows[best]] = True
                mine.append(best)
            chosen.append(mine)
        return chosen

    def result(self, chosen: list[list[int]]) -> Dispatch:
        holder = {}
        for request, fit, positions in zip(self.requests, self.fits, chosen, strict=True):
            for p in positions:
                holder[int(fit.rows[p])] = request
        assignments, unfilled = [], []
        for request, fit, positions in zip(self.requests, self.fits, chosen, strict=True):
            # Places of one request are alike: number them cheapest first.
            positions = sorted(positions, key=lambda p: (fit.cost[p], fit.rows[p]))
            for place, p in enumerate(positions):
                volunteer = self.volunteers[fit.rows[p]]
                window = request.window
                if isinstance(window, Shift):
                    starts_at, ends_at = window.starts_at, window.ends_at
                else:
                    starts_at = datetime.fromtimestamp(float(fit.starts[p]), window.earliest.tzinfo)
                    ends_at = starts_at + window.duration
                cost = float(fit.cost[p])
                assignments.append(
                    Assignment(
                        request.id,
                        place,
                        volunteer.id,
                        starts_at,
                        ends_at,
                        cost,
                        self._why(request, volunteer, starts_at, cost),
                    )
                )
            reason = self._why_not(request, fit, holder) if len(positions) < request.places else ""
            unfilled.extend(
                UnfilledPlace(request.id, p, reason) for p in range(len(positions), request.places)
            )
        return Dispatch(tuple(assignments), tuple(unfilled))

    def _why(self, request: ServiceRequest, volunteer: Volunteer, starts_at: datetime, cost: float) -> str:
        parts = [
            f"skill {s} level {volunteer.skills[s]} ≥ {need}" for s, need in sorted(request.skills.items())
        ]
        parts += [f"{c} valid until {volunteer.certificates[c]}" for c in sorted(request.certificates)]
        if request.home_visit:
            parts.append("consented to home visits, identity verified")
        (x, y), (hx, hy) = self.coords[request.building], self.coords[volunteer.building]
        parts.append(f"{math.hypot(x - hx, y - hy):.0f} m from building {request.building}")
        parts.append(f"{volunteer.hours_last_30_days:.1f} h in the last 30 days")
        shows = volunteer.no_shows
        parts.append("no no-shows" if not shows else f"{shows} no-show{'s' if shows > 1 else ''}")
        if isinstance(request.window, FlexibleWindow):
            parts.append(f"earliest free start {starts_at.astimezone(ZONE):%a %d %b %H:%M}")
        parts.append(f"cost {cost:.2f}")
        return "; ".join(parts)

    def _why_not(self, request: ServiceRequest, fit: _Fit, holder: Mapping[int, ServiceRequest]) -> str:
        if not self.roster.size:
            return "no volunteers"
        parts = [f"{count} {reason}" for reason, count in fit.rejected.items()]
        if fit.rows.size:
            others = [holder.get(int(r)) for r in fit.rows]
            kinds = {
                "of higher priority": sum(o is not None and o.priority > request.priority for o in others),
                "of this request": sum(o is request for o in others),
                "of equal or lower priority": sum(
                    o is not None and o is not request and o.priority <= request.priority for o in others
                ),
                "left free": sum(o is None for o in others),
            }
            spread = ", ".join(f"{n} {kind}" for kind, n in kinds.items() if n)
            who = "the one who fit was" if fit.rows.size == 1 else f"the {fit.rows.size} who fit were"
            parts.append(f"{who} needed for other places ({spread})")
        return "no volunteer could take this place: " + "; ".join(parts)
