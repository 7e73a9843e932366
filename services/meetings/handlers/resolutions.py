"""Resolutions put to a meeting with quorum, and the core parties' positions that decide them."""

from __future__ import annotations

from sqlalchemy import select

from services.meetings import commands, domain
from services.meetings.handlers.access import core_members, in_area, visible_meeting, visible_record
from services.meetings.models import AgendaItem, Attendance, JointMeeting, Position, Resolution
from shared.clock import Clock
from shared.db import UnitOfWork, new_id
from shared.errors import NotFound
from shared.identity import PartyType, Principal
from shared.vocabulary.meetings import ResolutionStatus


def record_resolution(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.RecordResolution
) -> Resolution:
    """Put a resolution to the meeting; the core parties' positions then decide it."""
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    domain.check_resolution(command.decision_type, command.budget, command.category)
    with uow:
        meeting = visible_meeting(uow, principal, command.meeting_id)
        present = set(
            uow.session.scalars(select(Attendance.party_id).where(Attendance.meeting_id == meeting.id))
        )
        domain.check_quorum(present, core_members(uow, meeting))
        if command.agenda_item_id:
            item = uow.get(AgendaItem, command.agenda_item_id)
            if item is None or item.meeting_id != meeting.id:
                raise NotFound("no such agenda item in this meeting", field="agenda_item_id")
        resolution = Resolution(
            id=new_id(),
            meeting_id=meeting.id,
            agenda_item_id=command.agenda_item_id,
            title=command.title,
            text=command.text,
            decision_type=command.decision_type,
            budget=command.budget,
            category=command.category,
            status=ResolutionStatus.PROPOSED,
            proposed_at=clock.now(),
        )
        uow.add(resolution)
        uow.commit()
        return resolution


def take_position(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.TakePosition
) -> Resolution:
    """A core party's position; the last one needed decides the resolution by the meeting's rule."""
    with uow:
        resolution, meeting = visible_record(
            uow, principal, Resolution, command.resolution_id, "resolution", "resolution_id", lock=True
        )
        core = core_members(uow, meeting)
        domain.check_position(principal.party_id, set(core), resolution.status)
        position = uow.session.scalar(
            select(Position).where(
                Position.resolution_id == resolution.id, Position.party_id == principal.party_id
            )
        )
        if position is None:
            position = Position(id=new_id(), resolution_id=resolution.id, party_id=principal.party_id)
            uow.add(position)
        position.stance, position.reason, position.taken_at = command.stance, command.reason, clock.now()
        uow.flush()
        taken = select(Position.party_id, Position.stance).where(Position.resolution_id == resolution.id)
        stances: dict[str, str] = {row.party_id: row.stance for row in uow.session.execute(taken)}
        outcome = domain.decide(stances, set(core), meeting.decision_rule)
        if outcome is not None:
            resolution.status = outcome
            if outcome == ResolutionStatus.ADOPTED:
                resolution.adopted_at = clock.now()
                uow.emit(
                    "resolution.adopted",
                    {
                        "resolution_id": resolution.id,
                        "meeting_id": meeting.id,
                        "decision_type": resolution.decision_type,
                        "title": resolution.title,
                        "text": resolution.text,
                        "budget": resolution.budget,
                        "category": resolution.category,
                    },
                    community_id=meeting.community_id,
                )
        uow.commit()
        return resolution


# Reading resolutions ------------------------------------------------------------------------------


def list_resolutions(
    uow: UnitOfWork, clock: Clock, principal: Principal, meeting_ids: list[str]
) -> list[Resolution]:
    """The resolutions of these meetings (those the party sees), in the order they were put."""
    with uow:
        query = (
            select(Resolution)
            .join(JointMeeting, JointMeeting.id == Resolution.meeting_id)
            .where(Resolution.meeting_id.in_(meeting_ids), in_area(principal, JointMeeting))
        )
        return list(uow.session.scalars(query.order_by(Resolution.proposed_at, Resolution.id)))


def list_positions(
    uow: UnitOfWork, clock: Clock, principal: Principal, resolution_ids: list[str]
) -> list[Position]:
    with uow:
        query = (
            select(Position)
            .join(Resolution, Resolution.id == Position.resolution_id)
            .join(JointMeeting, JointMeeting.id == Resolution.meeting_id)
            .where(Position.resolution_id.in_(resolution_ids), in_area(principal, JointMeeting))
        )
        return list(uow.session.scalars(query.order_by(Position.taken_at, Position.id)))


def get_resolutions(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[Resolution]:
    with uow:
        query = (
            select(Resolution)
            .join(JointMeeting, JointMeeting.id == Resolution.meeting_id)
            .where(Resolution.id.in_(ids), in_area(principal, JointMeeting))
        )
        return list(uow.session.scalars(query))
