"""Who may take which place, and why the others may not: the volunteers as arrays (one row each, in
id order) checked against each request's skills, certificates, home-visit rules, weekly cap,
availability, days away and bookings."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import chain
from operator import attrgetter, itemgetter
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from services.volunteers.dispatch import cost as costs
from services.volunteers.dispatch.problem import FlexibleWindow, ServiceRequest, Shift, Volunteer
from services.volunteers.dispatch.spans import day_pieces, merged, minutes, padded
from services.volunteers.dispatch.spans import least as smallest


class Roster:
    """The volunteers as arrays, one row each in id order, for checking many at a time."""

    def __init__(
        self,
        volunteers: list[Volunteer],
        coords: Mapping[str, tuple[float, float]],
        horizon: tuple[float, float],
        zone: ZoneInfo,
    ):
        n = len(volunteers)
        self.size = n
        self.zone = zone

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
        self.own_cost = costs.own(each("hours_last_30_days", float), each("no_shows", float))

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
        lo = np.fromiter(map(minutes, map(itemgetter(1), windows)), float, len(windows))
        hi = np.fromiter(map(minutes, map(itemgetter(2), windows)), float, len(windows))
        # A window ending at or before its start runs past midnight: split it there.
        late = hi <= lo
        early = late & (hi > 0)
        row = np.r_[row, row[early]]
        weekday = np.r_[weekday, (weekday[early] + 1) % 7]
        lo = np.r_[lo, np.zeros(np.count_nonzero(early))]
        hi = np.r_[np.where(late, 1440.0, hi), hi[early]]
        group, lo, hi = merged((weekday * n + row).astype(np.int64), lo, hi)
        lo, hi = padded(7 * n, group, lo, hi)
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
        self.booked_lo, self.booked_hi = padded(n, *self._bookings)

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
            for day, lo, hi in day_pieces(*shift.bounds, self.zone):
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
            midnight = datetime.combine(day, time(), self.zone).timestamp()
            row, lo, hi = self._bookings
            that_day = (lo < midnight + 86400) & (hi > midnight)
            booked = np.zeros(self.size, dtype=bool)
            booked[row[that_day]] = True
            return booked, *padded(self.size, row[that_day], lo[that_day], hi[that_day])

        return self._cached(("booked on", day), make)

    def cost_from(self, at: tuple[float, float]) -> np.ndarray:
        """Each volunteer's cost for a request at that spot, before skill fit."""

        def make() -> np.ndarray:
            apart = np.hypot(self.building_x - at[0], self.building_y - at[1])[self.home]
            return costs.walking(apart) + self.own_cost

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
        for day, lo, hi in day_pieces(*window.bounds, self.zone):
            midnight = datetime.combine(day, time(), self.zone).timestamp()
            weekday = day.weekday()
            # [k, volunteer]: the part of their k-th span inside the window; padding starts at inf.
            starts = np.maximum(self.span_lo[weekday][:, rows], lo) * 60 + midnight
            ends = np.minimum(self.span_hi[weekday][:, rows], hi) * 60 + midnight
            least = smallest(np.where(starts + duration <= ends, starts, np.inf))
            np.minimum(spanned, least, out=spanned)
            # Starts only move later from here: only those with a span that fits can still fit.
            some = np.flatnonzero(np.isfinite(least))
            who = rows[some]
            starts, ends = starts[:, some], ends[:, some]
            starts[:, self.away((day,))[who]] = np.inf
            present[some] = np.minimum(
                present[some], smallest(np.where(starts + duration <= ends, starts, np.inf))
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
            free[some] = np.minimum(free[some], smallest(np.where(starts + duration <= ends, starts, np.inf)))
        return spanned, present, free


@dataclass
class Fit:
    """The volunteers who fit one request, and why the others do not."""

    rows: np.ndarray  # roster rows, ascending, so the first of equals has the smallest id
    starts: np.ndarray  # timestamps
    cost: np.ndarray
    rejected: dict[str, int]  # reason -> how many, in the order checked


def fits(
    roster: Roster, requests: list[ServiceRequest], coords: Mapping[str, tuple[float, float]]
) -> list[Fit]:
    """Who fits each request, and why the others do not.

    Each volunteer is counted against the first check they fail, in the order checked. Requests
    sharing skills, certificates and home visits share those checks; flexible requests sharing a
    window share one search for the earliest free starts.
    """
    prefixes: dict[tuple, tuple[np.ndarray, dict[str, int], int]] = {}
    spans: dict[Shift | FlexibleWindow, tuple[date, ...]] = {}
    staged: list[list[Any]] = []  # per request: rows, starts, rejected
    for request in requests:
        window = request.window
        if window not in spans:
            spans[window] = tuple(day for day, _, _ in day_pieces(*window.bounds, roster.zone))
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
            cost += costs.overqualified(roster.level(rows, skill), need)
        out.append(Fit(rows, starts, cost, rejected))
    return out
