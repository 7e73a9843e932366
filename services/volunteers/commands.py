"""What each party asks of the volunteers service, typed: the input schemas load into these.

In the commands that change a record (``UpdateVolunteer``, ``UpdateAvailability``, ``UpdateTeam``)
a field left as None was not given and stays as it is; ``changes`` lists those that were.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, TypeVar

T = TypeVar("T")


def changes(command: Any, *leave: str) -> dict[str, Any]:
    """The fields the command sets (those given), but for the ones named in ``leave``."""
    return {
        f.name: getattr(command, f.name)
        for f in fields(command)
        if f.name not in leave and getattr(command, f.name) is not None
    }


# Registry -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterVolunteer:
    name: str
    building_id: str | None = None
    skills: dict[str, int] | None = None  # skill -> level 1..5
    certificates: list[dict] | None = None  # [{"name", "number", "expires_on"}]
    weekly_cap_hours: int | None = None
    identity_verified: bool | None = None
    availability: list[dict] | None = None  # [{"weekday", "starts", "ends"}], community time
    unavailable_dates: list[str] | None = None
    home_visit_consent: bool | None = None


@dataclass(frozen=True)
class UpdateVolunteer:
    """The committee's part of a volunteer's record."""

    volunteer_id: str
    name: str | None = None
    building_id: str | None = None
    skills: dict[str, int] | None = None
    certificates: list[dict] | None = None
    weekly_cap_hours: int | None = None
    identity_verified: bool | None = None


@dataclass(frozen=True)
class UpdateAvailability:
    """The volunteer's own part: when it is free, days away, its cap, consent to home visits."""

    availability: list[dict] | None = None
    unavailable_dates: list[str] | None = None
    weekly_cap_hours: int | None = None
    home_visit_consent: bool | None = None


@dataclass(frozen=True)
class FindVolunteers:
    """Operators' commands: by id, or by community and name."""

    id: str | None = None
    community_id: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class AddBuilding:
    name: str
    x: float
    y: float


@dataclass(frozen=True)
class CreateTeam:
    name: str
    leader_id: str
    member_ids: list[str]


@dataclass(frozen=True)
class UpdateTeam:
    team_id: str
    name: str | None = None
    leader_id: str | None = None
    member_ids: list[str] | None = None


# Requests and dispatch ----------------------------------------------------------------------


@dataclass(frozen=True)
class OpenRequest:
    """A new request, or (``request_id``) the committee completing a draft a resolution left."""

    request_id: str | None
    title: str
    description: str
    category: str
    skills: dict[str, int]
    certificates: list[str]
    places: int
    starts_at: datetime
    ends_at: datetime
    duration_minutes: int | None
    location: str
    building_id: str | None
    priority: str
    home_visit: bool
    team_id: str | None


@dataclass(frozen=True)
class CancelRequest:
    request_id: str
    reason: str


@dataclass(frozen=True)
class Dispatch:
    """The committee's whole community, or one team's requests."""

    team_id: str | None = None


@dataclass(frozen=True)
class AssignVolunteer:
    request_id: str
    volunteer_id: str


# Offers, shifts and hours -------------------------------------------------------------------


@dataclass(frozen=True)
class RespondToOffer:
    offer_id: str
    accept: bool
    reason: str | None = None


@dataclass(frozen=True)
class CheckIn:
    shift_id: str


@dataclass(frozen=True)
class CheckOut:
    shift_id: str


@dataclass(frozen=True)
class ApproveHours:
    shift_id: str
    approved_minutes: int | None = None  # as worked, when not given


# Points and rewards -------------------------------------------------------------------------


@dataclass(frozen=True)
class CreditActivity:
    volunteer_id: str
    activity: str
    quantity: int
    points_per_unit: int
    request_id: str | None = None


@dataclass(frozen=True)
class AddReward:
    name: str
    kind: str
    points: int
    stock: int


@dataclass(frozen=True)
class RestockReward:
    reward_id: str
    quantity: int


@dataclass(frozen=True)
class RedeemReward:
    reward_id: str
    quantity: int = 1


@dataclass(frozen=True)
class HoursReport:
    group_by: str


# Events of other services that open requests ------------------------------------------------


def of_event(kind: type[T], community_id: str | None, data: Mapping[str, Any]) -> T:
    """An event's payload as the command it brings: the fields the command names, nothing else."""
    named = [f.name for f in fields(kind) if f.name != "community_id"]  # type: ignore[arg-type]
    return kind(community_id=community_id, **{name: data[name] for name in named})  # type: ignore[call-arg]


@dataclass(frozen=True)
class DraftFromResolution:
    """``resolution.adopted``: a joint meeting's decision, a draft request when it dispatches volunteers."""

    community_id: str | None
    meeting_id: str
    resolution_id: str
    decision_type: str
    title: str
    text: str


@dataclass(frozen=True)
class OpenForMilestone:
    """``milestone.volunteers_requested``: a contract's milestone needs volunteers on a day."""

    community_id: str | None
    contract_id: str
    milestone_id: str
    title: str
    skill: str
    places: int
    starts_at: datetime
    ends_at: datetime
    location: str
