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
from operator import attrgetter, itemgetter
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


def _least(spans: np.ndarray) -> np.ndarray:
    """The smallest of each column of a short, wide array (faster than a reduction over the rows)."""
    least = spans[0].copy()
    for row in spans[1:]:
        np.minimum(least, row, out=least)
    return least


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

        def each(name: str, dtype: Any) -> np.ndarray:
            return np.fromiter(map(attrgetter(name), volunteers), dtype, n)

        def rows_of(items: list[Any]) -> np.ndarray:
            return np.repeat(np.arange(n), np.fromiter(map(len, items), np.intp, n))

        self.ids = np.array(list(map(attrgetter("id"), volunteers)), dtype=object)
        # Distances are worked out between buildings, then looked up for each volunteer.
        place = {b: i for i, b in enumerate(coords)}
        self.home = np.fromiter(map(place.__getitem__, map(attrgetter("building"), volunteers)), np.intp, n)
        self.building_x = np.array([x for x, _ in coords.values()], dtype=float)
        self.building_y = np.array([y for _, y in coords.values()], dtype=float)
        self.consent = each("home_visit_consent", bool)
        self.verified = each("identity_verified", bool)
        self.hours_left = each("weekly_cap_hours", float) - each("hours_this_week", float)
        # The part of the cost that is the volunteer's own, whatever the request.
        self.own_cost = (
            each("hours_last_30_days", float) * PER_RECENT_HOUR + each("no_shows", float) * PER_NO_SHOW
        )

        held = list(map(attrgetter("skills"), volunteers))
        row = rows_of(held)
        names = list(chain.from_iterable(held))
        self.skill_column = {s: i for i, s in enumerate(sorted(set(names)))}
        self.levels = np.zeros((len(self.skill_column), n), dtype=np.int16)
        self.levels[np.fromiter(map(self.skill_column.__getitem__, names), np.intp, len(names)), row] = (
            np.fromiter(chain.from_iterable(map(dict.values, map(dict, held))), np.int64, len(names))
        )
        held = list(map(attrgetter("certificates"), volunteers))
        row = rows_of(held)
        names = list(chain.from_iterable(held))
        self.certificate_column = {c: i for i, c in enumerate(sorted(set(names)))}
        self.valid_until = np.zeros((len(self.certificate_column), n), dtype=np.int32)  # date ordinals
        self.valid_until[
            np.fromiter(map(self.certificate_column.__getitem__, names), np.intp, len(names)), row
        ] = np.fromiter(
            map(date.toordinal, chain.from_iterable(map(dict.values, map(dict, held)))), np.int64, len(names)
        )
        held = list(map(attrgetter("unavailable_dates"), volunteers))
        self._away_row = rows_of(held)
        self._away_day = np.fromiter(
            map(date.toordinal, chain.from_iterable(held)), np.int64, self._away_row.size
        )
        self._masks: dict[tuple, Any] = {}

        held = list(map(attrgetter("availability"), volunteers))
        row = rows_of(held)
        windows = list(chain.from_iterable(held))
        weekday = np.fromiter(map(itemgetter(0), windows), np.int64, len(windows))
        lo = np.fromiter(map(_minutes, map(itemgetter(1), windows)), float, len(windows))
        hi = np.fromiter(map(_minutes, map(itemgetter(2), windows)), float, len(windows))
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
        held = list(map(attrgetter("bookings"), volunteers))
        row = rows_of(held)
        booked = list(chain.from_iterable(held))
        lo = np.fromiter(map(datetime.timestamp, map(itemgetter(0), booked)), float, len(booked))
        hi = np.fromiter(map(datetime.timestamp, map(itemgetter(1), booked)), float, len(booked))
        inside = (hi > horizon[0]) & (lo < horizon[1])
        row, lo, hi = row[inside], lo[inside], hi[inside]
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
            mask[self._away_row[np.isin(self._away_day, [day.toordinal() for day in days])]] = True
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

    def present(self, days: tuple[date, ...]) -> np.ndarray:
        return self._cached(("present", days), lambda: ~self.away(days))

    def unbooked(self, shift: Shift) -> np.ndarray:
        return self._cached(("unbooked", shift), lambda: ~self.booked(shift))

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
            apart = np.hypot(self.building_x - at[0], self.building_y - at[1])[self.home]
            return apart / 100 * PER_100_METRES + self.own_cost

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
            weekday = day.weekday()
            # [k, volunteer]: the part of their k-th span inside the window; padding starts at inf.
            starts = np.maximum(self.span_lo[weekday][:, rows], lo) * 60 + midnight
            ends = np.minimum(self.span_hi[weekday][:, rows], hi) * 60 + midnight
            least = _least(np.where(starts + duration <= ends, starts, np.inf))
            np.minimum(spanned, least, out=spanned)
            # Starts only move later from here: only those with a span that fits can still fit.
            some = np.flatnonzero(np.isfinite(least))
            who = rows[some]
            starts, ends = starts[:, some], ends[:, some]
            starts[:, self.away((day,))[who]] = np.inf
            present[some] = np.minimum(
                present[some], _least(np.where(starts + duration <= ends, starts, np.inf))
            )
            # Bookings are in start order, so one pass pushing the start past each clash finds
            # the earliest free start: one that did not clash never will after a push.
            booked, booked_lo, booked_hi = self.booked_on(day)
            hit = np.flatnonzero(booked[who])
            if hit.size:
                at = starts[:, hit]
                for b_lo, b_hi in zip(booked_lo[:, who[hit]], booked_hi[:, who[hit]], strict=True):
                    at = np.where((b_lo < at + duration) & (b_hi > at), b_hi, at)
                starts[:, hit] = at
            free[some] = np.minimum(free[some], _least(np.where(starts + duration <= ends, starts, np.inf)))
        return spanned, present, free


@dataclass
class _Fit:
    """The volunteers who fit one request, and why the others do not."""

    rows: np.ndarray  # roster rows, ascending, so the first of equals has the smallest id
    starts: np.ndarray  # timestamps
    cost: np.ndarray
    rejected: dict[str, int]  # reason -> how many, in the order checked


def _fits(
    roster: _Roster, requests: list[ServiceRequest], coords: Mapping[str, tuple[float, float]]
) -> list[_Fit]:
    """Who fits each request, and why the others do not.

    Each volunteer is counted against the first check they fail, in the order checked. Requests
    sharing skills, certificates and home visits share those checks; flexible requests sharing a
    window share one search for the earliest free starts.
    """
    prefixes: dict[tuple, tuple[np.ndarray, dict[str, int], int]] = {}
    spans: dict[Shift | FlexibleWindow, tuple[date, ...]] = {}
    staged = []
    for request in requests:
        window = request.window
        if window not in spans:
            spans[window] = tuple(day for day, _, _ in _day_pieces(*window.bounds))
        days = spans[window]
        skills = tuple(sorted(request.skills.items()))
        certificates = tuple(sorted(request.certificates))
        key = (skills, certificates, days[-1] if certificates else None, request.home_visit)
        if key not in prefixes:
            checks = [(roster.skilled(s, need), f"lacked skill {s!r} level ≥ {need}") for s, need in skills]
            # Valid on every day the task may fall on.
            checks += [
                (roster.certified(c, days[-1]), f"had no {c!r} valid on {days[-1]}") for c in certificates
            ]
            if request.home_visit:
                checks.append((roster.consent, "had not consented to home visits"))
                checks.append((roster.verified, "had no verified identity, needed for home visits"))
            fits, left, found = np.ones(roster.size, dtype=bool), roster.size, {}
            for ok, reason in checks:
                fits = fits & ok
                now = int(np.count_nonzero(fits))
                if now < left:
                    found[reason] = left - now
                left = now
            prefixes[key] = (fits, found, left)
        fits, found, left = prefixes[key]
        rejected = dict(found)

        later = []
        if request.excluded:
            later.append((~np.isin(roster.ids, list(request.excluded)), "were offered it before"))
        later.append((roster.within_cap(window.hours), "would go over their weekly hour cap"))
        if isinstance(window, Shift):
            later.append((roster.available(window), "not available at that time"))
            later.append((roster.present(days), "away that day"))
            later.append((roster.unbooked(window), "already booked at an overlapping time"))
        for ok, reason in later:
            if not left:
                break
            fits = fits & ok
            now = int(np.count_nonzero(fits))
            if now < left:
                rejected[reason] = left - now
            left = now
        rows = np.flatnonzero(fits)
        starts = np.full(rows.size, window.starts_at.timestamp()) if isinstance(window, Shift) else None
        staged.append([rows, starts, rejected])

    # Flexible requests of one window: the earliest starts of everyone any of them might take.
    flexible: dict[FlexibleWindow, list[int]] = {}
    for i, request in enumerate(requests):
        if not isinstance(request.window, Shift):
            flexible.setdefault(request.window, []).append(i)
    for window, which in flexible.items():
        marked = np.zeros(roster.size, dtype=bool)
        for i in which:
            marked[staged[i][0]] = True
        union = np.flatnonzero(marked)
        position = np.empty(roster.size, dtype=np.intp)
        position[union] = np.arange(union.size)
        found_all = roster.earliest(union, window)
        for i in which:
            rows, _, rejected = staged[i]
            at = position[rows]
            spanned, present, starts = (f[at] for f in found_all)
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
            staged[i][0], staged[i][1] = rows[ok], starts[ok]

    out = []
    for request, (rows, starts, rejected) in zip(requests, staged, strict=True):
        cost = roster.cost_from(coords[request.building])[rows]
        for skill, need in request.skills.items():
            cost += (roster.level(rows, skill) - need) * OVERQUALIFIED_PER_LEVEL
        out.append(_Fit(rows, starts, cost, rejected))
    return out


def _cheapest(cost: np.ndarray, count: int) -> np.ndarray:
    """Positions of the `count` smallest costs, ascending; of equal costs, the first positions."""
    if cost.size <= count:
        return np.arange(cost.size)
    threshold = np.partition(cost, count - 1)[count - 1]
    below = np.flatnonzero(cost < threshold)
    return np.sort(np.concatenate([below, np.flatnonzero(cost == threshold)[: count - below.size]]))


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
        self.fits = _fits(self.roster, self.requests, self.coords)

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
        rows_kept = [fit.rows[k] for fit, k in zip(self.fits, kept, strict=True)]
        costs_kept = [fit.cost[k] for fit, k in zip(self.fits, kept, strict=True)]
        every = np.concatenate(rows_kept)
        marked = np.zeros(self.roster.size, dtype=bool)
        marked[every] = True
        volunteers = np.flatnonzero(marked)
        column_of = np.empty(self.roster.size, dtype=np.intp)
        column_of[volunteers] = np.arange(volunteers.size)
        tier = {p: t for t, p in enumerate(sorted({r.priority for r in self.requests}))}
        costs = np.concatenate([f.cost for f in self.fits])
        low = float(costs.min()) if costs.size else 0.0
        spread = (float(costs.max()) if costs.size else 0.0) - low
        step = (places + 1) * (spread + 1.0)
        counts = np.array([r.places for r in self.requests], dtype=np.intp)
        owner = np.repeat(np.arange(len(self.requests)), counts)
        tiers = np.array([tier[r.priority] for r in self.requests], dtype=float)
        # Each request's places in turn, each place with every volunteer kept for it, in kept order.
        width = np.array([k.size for k in kept], dtype=np.intp)
        edges = counts * width
        edge_owner = np.repeat(np.arange(len(self.requests)), edges)
        within = np.arange(int(edges.sum())) - np.repeat(np.cumsum(edges) - edges, edges)
        first_place = np.cumsum(counts) - counts
        first_kept = np.cumsum(width) - width
        kept_at = first_kept[edge_owner] + within % np.maximum(width, 1)[edge_owner]
        # Shifted to start at 1: the sparse solver reads a zero as "no edge". Every place takes
        # exactly one column, so a shift common to all volunteers changes no choice.
        weight = np.concatenate(costs_kept) - low + 1.0
        graph = csr_matrix(
            (
                np.r_[(tiers[owner] + 1) * step + 1.0, weight[kept_at]],
                (
                    np.r_[
                        np.arange(places),
                        first_place[edge_owner] + within // np.maximum(width, 1)[edge_owner],
                    ],
                    np.r_[volunteers.size + np.arange(places), column_of[every[kept_at]]],
                ),
            ),
            shape=(places, volunteers.size + places),
        )
        matched_rows, matched_columns = min_weight_full_bipartite_matching(graph)
        filled = matched_columns < volunteers.size
        whose, who = owner[matched_rows[filled]], volunteers[matched_columns[filled]]
        for i, row in zip(whose.tolist(), who.tolist(), strict=True):
            chosen[i].append(row)
        for i, rows in enumerate(chosen):
            if rows:
                chosen[i] = np.searchsorted(self.fits[i].rows, rows).tolist()
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
