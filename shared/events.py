"""The event envelope and the one catalogue of event types.

Events are facts in the past tense. Every event travels in the same envelope;
every type has a marshmallow schema for its ``data`` (in ``shared.event_payloads``,
named here by the catalogue), and both publishing and consuming validate against it.

Versions: every type has a version, and the envelope's ``schema_version`` says which one its
data follows. A producer publishes the current version. A consumer accepts every version up to
the current one: an older one's data is brought up to date by the type's upcasters, written
next to its schema and registered here in its catalogue entry (``upcasters[n]`` takes version
n to n + 1), before the current schema loads it; a newer one than it knows is refused
(dead-lettered with the reason) until the consumer is upgraded. Changing a type's data in a way
its consumers would notice means a new version and an upcaster from the one before.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from shared.errors import DomainError
from shared.event_payloads import (
    ActionItemEvent,
    ContractDrafted,
    ContractEvent,
    EvaluationPublished,
    MeetingCancelled,
    MeetingRescheduled,
    MeetingScheduled,
    MilestoneDeadlinePassed,
    MilestoneEvent,
    MilestoneVolunteersRequested,
    OrganisationAssessed,
    OrganisationRegistered,
    PaymentRecorded,
    PointsCredited,
    ProjectAwarded,
    ProjectCancelled,
    ProjectDrafted,
    ProjectOpened,
    ProjectPublished,
    ResolutionAdopted,
    RewardRedeemed,
    ServiceRequestCancelled,
    ServiceRequestFilled,
    ServiceRequestOpened,
    ServiceRequestWentUnfilled,
    ShiftCompleted,
    ShiftMissed,
    VolunteerAssigned,
    VolunteerDispatched,
    VolunteerRegistered,
    award_announced_before_contracts,
)
from shared.vocabulary.common import ErrorCode


class InvalidEvent(DomainError):
    """A message that is not a valid event of the catalogue; it is dead-lettered."""

    code = ErrorCode.INVALID_EVENT


# Takes one version's data (as on the wire) to the next version's.
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class EventType:
    """One type of the catalogue: who publishes it, its data's schema and version, and how each
    older version's data becomes the next (``upcasters[n]``: n -> n + 1, for every n before)."""

    name: str
    source: str
    schema: type[Schema]
    version: int = 1
    upcasters: Mapping[int, Upcaster] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if sorted(self.upcasters) != list(range(1, self.version)):
            raise ValueError(f"{self.name} version {self.version} needs an upcaster from each older version")

    def upcast(self, version: int, data: dict[str, Any]) -> dict[str, Any]:
        """``data`` of ``version`` as the current version has it; refused when it is not a version
        this catalogue knows."""
        if version > self.version:
            raise InvalidEvent(
                f"{self.name} schema version {version} is newer than the versions this consumer knows "
                f"(1 to {self.version}): upgrade it to read them"
            )
        if version < 1:
            raise InvalidEvent(f"{self.name} schema version {version} is not a version")
        for step in range(version, self.version):
            data = self.upcasters[step](data)
        return data


CATALOGUE: dict[str, EventType] = {
    e.name: e
    for e in (
        EventType("meeting.scheduled", "meetings", MeetingScheduled),
        EventType("meeting.rescheduled", "meetings", MeetingRescheduled),
        EventType("meeting.cancelled", "meetings", MeetingCancelled),
        EventType("resolution.adopted", "meetings", ResolutionAdopted),
        EventType("action_item.assigned", "meetings", ActionItemEvent),
        EventType("action_item.deadline_passed", "meetings", ActionItemEvent),
        EventType("action_item.completed", "meetings", ActionItemEvent),
        EventType("organisation.registered", "matching", OrganisationRegistered),
        EventType("project.drafted", "matching", ProjectDrafted),
        EventType("project.published", "matching", ProjectPublished),
        EventType("project.opened", "matching", ProjectOpened),
        EventType("project.cancelled", "matching", ProjectCancelled),
        EventType("project.awarded", "matching", ProjectAwarded, 2, {1: award_announced_before_contracts}),
        EventType("organisation.assessed", "contracts", OrganisationAssessed),
        EventType("contract.drafted", "contracts", ContractDrafted),
        EventType("milestone.deadline_passed", "contracts", MilestoneDeadlinePassed),
        EventType("contract.signed", "contracts", ContractEvent),
        EventType("contract.activated", "contracts", ContractEvent),
        EventType("contract.completed", "contracts", ContractEvent),
        EventType("contract.terminated", "contracts", ContractEvent),
        EventType("milestone.delivered", "contracts", MilestoneEvent),
        EventType("milestone.accepted", "contracts", MilestoneEvent),
        EventType("milestone.rejected", "contracts", MilestoneEvent),
        EventType("milestone.volunteers_requested", "contracts", MilestoneVolunteersRequested),
        EventType("payment.recorded", "contracts", PaymentRecorded),
        EventType("evaluation.published", "contracts", EvaluationPublished),
        EventType("shift.completed", "volunteers", ShiftCompleted),
        EventType("service_request.went_unfilled", "volunteers", ServiceRequestWentUnfilled),
        EventType("volunteer.registered", "volunteers", VolunteerRegistered),
        EventType("service_request.opened", "volunteers", ServiceRequestOpened),
        EventType("volunteer.assigned", "volunteers", VolunteerAssigned),
        EventType("service_request.filled", "volunteers", ServiceRequestFilled),
        EventType("service_request.cancelled", "volunteers", ServiceRequestCancelled),
        EventType("volunteer.dispatched", "volunteers", VolunteerDispatched),
        EventType("shift.missed", "volunteers", ShiftMissed),
        EventType("points.credited", "volunteers", PointsCredited),
        EventType("reward.redeemed", "volunteers", RewardRedeemed),
    )
}


@dataclass(frozen=True)
class Event:
    """One fact, in its envelope. ``data`` holds typed values (Decimal, datetime)."""

    type: str
    source: str
    community_id: str | None
    data: dict[str, Any]
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    time: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    correlation_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    causation_id: str | None = None
    schema_version: int = 1


class Envelope(Schema):
    id = fields.UUID(required=True)
    type = fields.Str(required=True, validate=validate.OneOf(sorted(CATALOGUE)))
    source = fields.Str(required=True)
    time = fields.AwareDateTime(required=True)
    community_id = fields.Str(required=True, allow_none=True)
    correlation_id = fields.Str(required=True)
    causation_id = fields.Str(required=True, allow_none=True)
    schema_version = fields.Int(required=True)
    data = fields.Dict(required=True)


def new_event(
    event_type: str,
    data: dict[str, Any],
    community_id: str | None,
    correlation_id: str | None = None,
    causation_id: str | None = None,
    version: int | None = None,
) -> dict:
    """Build and validate an event of the current version; returns its wire form (JSON-ready).

    ``version`` builds an older one instead, as a producer not yet upgraded would publish it
    (its data checked once brought up to date, as a consumer will)."""
    spec = CATALOGUE[event_type]
    version = spec.version if version is None else version
    schema = spec.schema()
    wire_data = schema.dump(data)  # an older version's fields are those the current one kept
    try:
        current = spec.upcast(version, wire_data)
    except InvalidEvent as exc:
        raise ValueError(str(exc)) from None
    errors = schema.validate(current)
    if errors:
        raise ValueError(f"{event_type} does not match its schema: {errors}")
    event = Event(
        type=event_type,
        source=spec.source,
        community_id=community_id,
        data=wire_data,
        correlation_id=correlation_id or str(uuid.uuid4()),
        causation_id=causation_id,
        schema_version=version,
    )
    wire = Envelope().dump(event)
    wire["id"] = event.id
    return wire


def parse_event(body: Any, expected_type: str | None = None) -> Event:
    """Validate a received message; raises InvalidEvent with the reason."""
    if not isinstance(body, dict):
        raise InvalidEvent(f"the message is not an event envelope but {type(body).__name__}")
    try:
        envelope = Envelope().load(body)
    except ValidationError as exc:
        raise InvalidEvent(f"bad envelope: {exc.messages}") from exc
    spec = CATALOGUE[envelope["type"]]
    if expected_type and envelope["type"] != expected_type:
        raise InvalidEvent(f"expected {expected_type}, got {envelope['type']}")
    if envelope["source"] != spec.source:
        raise InvalidEvent(f"{spec.name} comes from {spec.source}, not {envelope['source']}")
    current = spec.upcast(envelope["schema_version"], envelope["data"])
    try:
        data = spec.schema().load(current)
    except ValidationError as exc:
        raise InvalidEvent(f"bad data for {spec.name}: {exc.messages}") from exc
    return Event(
        type=envelope["type"],
        source=envelope["source"],
        community_id=envelope["community_id"],
        data=data,
        id=str(envelope["id"]),
        time=envelope["time"],
        correlation_id=envelope["correlation_id"],
        causation_id=envelope["causation_id"],
        schema_version=spec.version,  # the data is the current version's now, whatever came
    )
