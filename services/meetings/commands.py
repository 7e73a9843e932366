"""What each party asks of the meetings service, typed: the schemas load into these, use cases take them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from shared.vocabulary.meetings import DecisionRule, MeetingKind

# The directory: operators' commands.


@dataclass(frozen=True)
class RegisterDistrict:
    name: str
    office_name: str


@dataclass(frozen=True)
class RegisterCommunity:
    district_id: str
    name: str
    committee_name: str


@dataclass(frozen=True)
class RegisterCompound:
    community_id: str
    name: str
    owners_committee_name: str
    property_company_name: str


@dataclass(frozen=True)
class RegisterJointBuildingUnit:
    community_id: str
    name: str


# Joint meetings.


@dataclass(frozen=True)
class ScheduleMeeting:
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str
    compound_id: str | None = None
    kind: str = MeetingKind.REGULAR.value
    decision_rule: str = DecisionRule.CONSENSUS.value
    reason: str | None = None
    agenda_deadline: datetime | None = None


@dataclass(frozen=True)
class RescheduleMeeting:
    meeting_id: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class CancelMeeting:
    meeting_id: str
    reason: str


@dataclass(frozen=True)
class SignInToMeeting:
    meeting_id: str
    delegate: str


@dataclass(frozen=True)
class CreateSeries:
    title: str
    location: str
    recurrence: str
    first_starts_at: datetime
    duration_minutes: int
    compound_id: str | None = None
    decision_rule: str = DecisionRule.CONSENSUS.value


# The agenda and the minutes.


@dataclass(frozen=True)
class SubmitAgendaItem:
    meeting_id: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class OrderAgenda:
    meeting_id: str
    item_ids: list[str]


@dataclass(frozen=True)
class DecideAgendaItem:
    agenda_item_id: str
    decision: str


@dataclass(frozen=True)
class WriteMinutes:
    meeting_id: str
    notes: str
    summary: str
    item_notes: dict[str, str]


@dataclass(frozen=True)
class SignMinutes:
    meeting_id: str
    decision: str
    note: str = ""


# Resolutions and their action items.


@dataclass(frozen=True)
class RecordResolution:
    meeting_id: str
    title: str
    text: str
    decision_type: str
    agenda_item_id: str | None = None
    budget: Decimal | None = None
    category: str | None = None


@dataclass(frozen=True)
class TakePosition:
    resolution_id: str
    stance: str
    reason: str = ""


@dataclass(frozen=True)
class AssignActionItem:
    resolution_id: str
    owner_id: str
    title: str
    due_at: datetime


@dataclass(frozen=True)
class ActOnActionItem:
    action_item_id: str
    action: str
    note: str = ""
    evidence: str | None = None


# Finding a time.


@dataclass(frozen=True)
class BusyTime:
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class ProposeMeetingTimes:
    title: str
    location: str
    window_starts_at: datetime
    window_ends_at: datetime
    duration_minutes: int
    compound_id: str | None = None
    optional_party_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StateAvailability:
    poll_id: str
    busy: list[BusyTime]


@dataclass(frozen=True)
class ConfirmMeetingTime:
    poll_id: str
    starts_at: datetime
