"""Minutes: the convener writes them, every core party signs them off, and once published their
summary (with the adopted resolutions) is on the community's public notice board."""

from __future__ import annotations

from sqlalchemy import select

from services.meetings import commands, domain
from services.meetings.handlers.access import core_members, in_area, visible_meeting
from services.meetings.models import AgendaItem, JointMeeting, Minutes, Resolution
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.errors import InvalidInput
from shared.identity import PartyType, Principal
from shared.vocabulary.meetings import ErrorCode, MinutesDecision, MinutesStatus, ResolutionStatus

# How many notices the board shows of each kind, latest first.
NOTICE_BOARD_MOST = 100


def write_minutes(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.WriteMinutes
) -> Minutes:
    """The convener writes (or corrects) the minutes; every core party signs them off again."""
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    with uow:
        meeting = visible_meeting(uow, principal, command.meeting_id)
        items = set(uow.session.scalars(select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id)))
        strangers = sorted(set(command.item_notes) - items)
        if strangers:
            message = f"not items of this meeting's agenda: {', '.join(strangers)}"
            raise InvalidInput([{"field": "item_notes", "code": ErrorCode.NOT_ON_AGENDA, "message": message}])
        minutes = uow.get(Minutes, meeting.id)
        domain.check_minutes_writable(minutes.status if minutes else None)
        if minutes is None:
            minutes = Minutes(meeting_id=meeting.id, corrections=[])
            uow.add(minutes)
        minutes.notes, minutes.summary, minutes.item_notes = (
            command.notes,
            command.summary,
            dict(command.item_notes),
        )
        minutes.status, minutes.sign_offs = MinutesStatus.CIRCULATING, {}
        uow.commit()
        return minutes


def sign_minutes(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.SignMinutes
) -> Minutes:
    """A core party signs the minutes off, or asks the convener for a correction first."""
    with uow:
        meeting = visible_meeting(uow, principal, command.meeting_id)
        minutes = uow.get(Minutes, meeting.id, lock=True)
        if minutes is None or minutes.status != MinutesStatus.CIRCULATING:
            raise domain.none_circulating()
        signed, status = domain.sign_minutes(
            minutes.sign_offs or {}, set(core_members(uow, meeting)), principal.party_id, command.decision
        )
        if command.decision == MinutesDecision.CORRECT:
            minutes.corrections = [
                *minutes.corrections,
                {"by": principal.party_id, "note": command.note, "at": clock.now().isoformat()},
            ]
        minutes.sign_offs, minutes.status = signed, status
        if status == MinutesStatus.PUBLISHED:
            minutes.published_at = clock.now()
        uow.commit()
        return minutes


def get_minutes(uow: UnitOfWork, clock: Clock, principal: Principal, meeting_ids: list[str]) -> list[Minutes]:
    with uow:
        query = (
            select(Minutes)
            .join(JointMeeting, JointMeeting.id == Minutes.meeting_id)
            .where(Minutes.meeting_id.in_(meeting_ids), in_area(principal, JointMeeting))
        )
        return list(uow.session.scalars(query))


# The public notice board ----------------------------------------------------------------------------


def _meeting_notice(meeting: JointMeeting) -> dict:
    return {"title": meeting.title, "starts_at": meeting.starts_at.isoformat(), "location": meeting.location}


def public_notices(uow: UnitOfWork, community_id: str) -> list[dict]:
    """What the community's notice board shows: published minutes' summaries and adopted resolutions,
    latest first, without private notes."""
    with uow:
        minutes = uow.session.execute(
            select(Minutes, JointMeeting)
            .join(JointMeeting, JointMeeting.id == Minutes.meeting_id)
            .where(JointMeeting.community_id == community_id, Minutes.status == MinutesStatus.PUBLISHED)
            .order_by(Minutes.published_at.desc())
            .limit(NOTICE_BOARD_MOST)
        ).all()
        adopted = uow.session.execute(
            select(Resolution, JointMeeting)
            .join(JointMeeting, JointMeeting.id == Resolution.meeting_id)
            .where(JointMeeting.community_id == community_id, Resolution.status == ResolutionStatus.ADOPTED)
            .order_by(Resolution.adopted_at.desc())
            .limit(NOTICE_BOARD_MOST)
        ).all()
        published = [
            {
                "kind": "minutes",
                "title": m.JointMeeting.title,
                "text": m.Minutes.summary,
                "published_at": m.Minutes.published_at.isoformat(),
                "meeting": _meeting_notice(m.JointMeeting),
            }
            for m in minutes
        ]
        return published + [
            {
                "kind": "resolution",
                "resolution_id": r.Resolution.id,
                "title": r.Resolution.title,
                "text": r.Resolution.text,
                "decision_type": r.Resolution.decision_type,
                "adopted_at": r.Resolution.adopted_at.isoformat(),
                "meeting": _meeting_notice(r.JointMeeting),
            }
            for r in adopted
        ]
