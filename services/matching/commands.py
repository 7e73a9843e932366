"""What each party asks of the matching service, as typed commands (``schemas.py`` loads them).

A field left ``None`` in a change (``UpdateFiling``, ``ChangeTerms``) is a term the caller leaves
as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

# The registry -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterOrganisation:
    credit_code: str
    name: str
    legal_form: str
    categories: list[str]
    community_ids: list[str]
    district_id: str  # the sub-district office it files with
    staff_count: int = 0
    qualifications: list[dict] = field(default_factory=list)  # name, number, expires_on (ISO)


@dataclass(frozen=True)
class UpdateFiling:
    name: str | None = None
    categories: list[str] | None = None
    community_ids: list[str] | None = None
    staff_count: int | None = None
    qualifications: list[dict] | None = None


@dataclass(frozen=True)
class ReviewFiling:
    organisation_id: str
    decision: str  # FilingDecision
    reason: str | None = None


@dataclass(frozen=True)
class SetSuspension:
    organisation_id: str
    suspend: bool
    reason: str


# Projects ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateProject:
    title: str
    category: str
    budget: Decimal
    description: str = ""
    required_qualifications: list[str] = field(default_factory=list)
    period_start: date | None = None
    period_end: date | None = None
    weights: dict[str, int] | None = None  # the default weights when not given
    standstill_days: int = 5
    min_valid_bids: int = 1
    purchaser: str = "residents_committee"
    demand_id: str | None = None  # the demand-list entry it answers


@dataclass(frozen=True)
class PublishProject:
    project_id: str
    bid_deadline: datetime


@dataclass(frozen=True)
class ChangeTerms:
    project_id: str
    description: str | None = None
    budget: Decimal | None = None
    required_qualifications: list[str] | None = None
    bid_deadline: datetime | None = None
    period_start: date | None = None
    period_end: date | None = None
    weights: dict[str, int] | None = None
    standstill_days: int | None = None
    min_valid_bids: int | None = None
    purchaser: str | None = None


@dataclass(frozen=True)
class CancelProject:
    project_id: str
    reason: str


@dataclass(frozen=True)
class ProjectRef:
    project_id: str


# Sealed bids, evaluation and award --------------------------------------------------------------


@dataclass(frozen=True)
class SubmitBid:
    project_id: str
    price: Decimal
    plan: str
    team: str
    timeline: str


@dataclass(frozen=True)
class WithdrawBid:
    project_id: str


@dataclass(frozen=True)
class DeclareConflict:
    project_id: str
    bid_id: str
    note: str


@dataclass(frozen=True)
class ScoreBid:
    project_id: str
    bid_id: str
    plan_quality: int
    experience: int


@dataclass(frozen=True)
class AwardProject:
    project_id: str
    bid_id: str
    reason: str | None = None


@dataclass(frozen=True)
class FileComplaint:
    project_id: str
    grounds: str


@dataclass(frozen=True)
class ResolveComplaint:
    complaint_id: str
    uphold: bool
    resolution: str


# Demand and resource lists ----------------------------------------------------------------------


@dataclass(frozen=True)
class AddListEntry:
    kind: str  # EntryKind
    title: str
    category: str
    description: str = ""
    origin: str = "residents"


@dataclass(frozen=True)
class ClaimEntry:
    entry_id: str
    note: str = ""


@dataclass(frozen=True)
class DecideClaim:
    claim_id: str
    confirm: bool


@dataclass(frozen=True)
class RecordDelivery:
    claim_id: str
    note: str
    completed: bool = False
