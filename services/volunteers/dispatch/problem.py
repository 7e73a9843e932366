"""What a dispatch round is given and what it answers: requests with their windows, volunteers,
buildings, and the assignments and unfilled places of the round."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from shared.errors import InvalidInput
from shared.vocabulary.volunteers import ErrorCode


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
                [
                    {
                        "field": "duration",
                        "code": ErrorCode.INVALID,
                        "message": "the duration must fit in the window",
                    }
                ]
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


def _check_times(name: str, starts: datetime, ends: datetime) -> None:
    if starts.tzinfo is None or ends.tzinfo is None:
        raise InvalidInput(
            [{"field": name, "code": ErrorCode.INVALID, "message": "times must be timezone-aware"}]
        )
    if ends <= starts:
        raise InvalidInput(
            [{"field": name, "code": ErrorCode.INVALID, "message": "a window must end after it starts"}]
        )
