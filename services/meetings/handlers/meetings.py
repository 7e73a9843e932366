"""Joint meetings: convening, rescheduling, cancelling, signing in, and a party's list of them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from services.meetings import commands, domain
from services.meetings.handlers.access import committee_of, in_area, members, visible_meeting
from services.meetings.handlers.agenda import gather_agenda
from services.meetings.models import Attendance, JointMeeting, MeetingSeries
from shared.clock import Clock
from shared.db import UnitOfWork, new_id
from shared.errors import NotFound, PermissionDenied
from shared.identity import PartyType, Principal
from shared.paging import Listing, Page, PageRequest, asc, at_or_after, before, desc, equals, page_of
from shared.vocabulary.meetings import MeetingKind, MeetingStatus


def emit_scheduled(uow: UnitOfWork, meeting: JointMeeting) -> None:
    uow.emit(
        "meeting.scheduled",
        {
            "meeting_id": meeting.id,
            "title": meeting.title,
            "starts_at": meeting.starts_at,
            "ends_at": meeting.ends_at,
            "location": meeting.location,
        },
        community_id=meeting.community_id,
    )


def schedule_meeting(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.ScheduleMeeting
) -> JointMeeting:
    """The committee convenes; any core party may call an extraordinary meeting, with a reason, and
    is then its convener. The members are the committee's and the compound's parties either way."""
    domain.check_may_call(principal, command.kind, command.reason)
    domain.check_meeting_times(command.starts_at, command.ends_at)
    with uow:
        committee = committee_of(uow, principal.community_id)
        if committee is None:
            raise NotFound(
                "your community has no residents' committee in the directory", field="community_id"
            )
        convener = Principal(
            principal.account_id,
            PartyType.RESIDENTS_COMMITTEE,
            committee.id,
            principal.district_id,
            principal.community_id,
        )
        compound_id = command.compound_id or (
            principal.compound_id if command.kind == MeetingKind.EXTRAORDINARY else None
        )
        meeting = JointMeeting(
            id=new_id(),
            district_id=principal.district_id,
            community_id=principal.community_id,
            compound_id=compound_id,
            title=command.title,
            kind=command.kind,
            starts_at=command.starts_at,
            ends_at=command.ends_at,
            location=command.location,
            convened_by=principal.party_id,
            status=MeetingStatus.SCHEDULED,
            members=members(uow, convener, compound_id),
            decision_rule=command.decision_rule,
            agenda_deadline=command.agenda_deadline or domain.default_agenda_deadline(command.starts_at),
            reason=command.reason,
            created_at=clock.now(),
        )
        uow.add(meeting)
        uow.flush()
        emit_scheduled(uow, meeting)
        gather_agenda(uow, meeting.community_id, clock.now())
        uow.commit()
        return meeting


def reschedule_meeting(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.RescheduleMeeting
) -> JointMeeting:
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    domain.check_meeting_times(command.starts_at, command.ends_at)
    with uow:
        meeting = visible_meeting(uow, principal, command.meeting_id)
        domain.check_meeting_scheduled(meeting.status)
        previous = meeting.starts_at
        meeting.starts_at, meeting.ends_at = command.starts_at, command.ends_at
        uow.emit(
            "meeting.rescheduled",
            {
                "meeting_id": meeting.id,
                "title": meeting.title,
                "starts_at": meeting.starts_at,
                "ends_at": meeting.ends_at,
                "location": meeting.location,
                "previous_starts_at": previous,
            },
            community_id=meeting.community_id,
        )
        uow.commit()
        return meeting


def cancel_meeting(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.CancelMeeting
) -> JointMeeting:
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    with uow:
        meeting = visible_meeting(uow, principal, command.meeting_id)
        domain.check_meeting_scheduled(meeting.status)
        meeting.status, meeting.cancelled_reason = MeetingStatus.CANCELLED, command.reason
        uow.emit(
            "meeting.cancelled",
            {
                "meeting_id": meeting.id,
                "title": meeting.title,
                "starts_at": meeting.starts_at,
                "reason": command.reason,
            },
            community_id=meeting.community_id,
        )
        uow.commit()
        return meeting


def sign_in_to_meeting(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.SignInToMeeting
) -> Attendance:
    """A member party's delegate signs in; signing in again changes nothing."""
    with uow:
        meeting = visible_meeting(uow, principal, command.meeting_id)
        if principal.party_id not in meeting.members:
            raise PermissionDenied("only a member party of this meeting signs in to it", field="meeting_id")
        domain.check_meeting_scheduled(meeting.status)
        attendance = uow.session.scalar(
            select(Attendance).where(
                Attendance.meeting_id == meeting.id, Attendance.party_id == principal.party_id
            )
        )
        if attendance is None:
            attendance = Attendance(
                id=new_id(),
                meeting_id=meeting.id,
                party_id=principal.party_id,
                delegate=command.delegate,
                signed_in_at=clock.now(),
            )
            uow.add(attendance)
        uow.commit()
        return attendance


# Reading meetings --------------------------------------------------------------------------------

# The gateway's MeetingFilter and MeetingOrder, by their wire names.
MEETINGS = Listing(
    id=JointMeeting.id,
    orders={
        "-starts_at": [desc(JointMeeting.starts_at)],
        "starts_at": [asc(JointMeeting.starts_at)],
        "title": [asc(JointMeeting.title)],
    },
    default_order="-starts_at",
    filters={
        "status": equals(JointMeeting.status),
        "kind": equals(JointMeeting.kind),
        "starts_after": at_or_after(JointMeeting.starts_at),
        "starts_before": before(JointMeeting.starts_at),
    },
)


def list_meetings(uow: UnitOfWork, clock: Clock, principal: Principal, page: PageRequest) -> Page:
    """One page of the meetings in the party's area, latest first unless asked otherwise."""
    with uow:
        query = select(JointMeeting).where(in_area(principal, JointMeeting))
        return page_of(uow.session, query, page, MEETINGS)


def get_meeting(uow: UnitOfWork, clock: Clock, principal: Principal, meeting_id: str) -> JointMeeting:
    with uow:
        return visible_meeting(uow, principal, meeting_id)


def get_meetings(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[JointMeeting]:
    with uow:
        query = select(JointMeeting).where(JointMeeting.id.in_(ids), in_area(principal, JointMeeting))
        return list(uow.session.scalars(query))


def list_attendance(
    uow: UnitOfWork, clock: Clock, principal: Principal, meeting_ids: list[str]
) -> list[Attendance]:
    """Who signed in to each of these meetings (those the party sees)."""
    with uow:
        query = (
            select(Attendance)
            .join(JointMeeting, JointMeeting.id == Attendance.meeting_id)
            .where(Attendance.meeting_id.in_(meeting_ids), in_area(principal, JointMeeting))
        )
        return list(uow.session.scalars(query.order_by(Attendance.signed_in_at, Attendance.id)))


# What a calendar feed shows: the meetings of a bounded window around today, and the series.
CALENDAR_PAST = timedelta(days=92)
CALENDAR_AHEAD = timedelta(days=400)
CALENDAR_MOST = 1000


def calendar_meetings(uow: UnitOfWork, clock: Clock, principal: Principal) -> dict:
    """The party's meetings from three months ago to a year ahead, and its series, for its
    iCalendar feed (bounded: a feed is a window, not the whole history)."""
    at = clock.now()
    with uow:
        meetings = uow.session.scalars(
            select(JointMeeting)
            .where(
                in_area(principal, JointMeeting),
                JointMeeting.starts_at >= at - CALENDAR_PAST,
                JointMeeting.starts_at < at + CALENDAR_AHEAD,
            )
            .order_by(JointMeeting.starts_at, JointMeeting.id)
            .limit(CALENDAR_MOST)
        )
        series = uow.session.scalars(
            select(MeetingSeries)
            .where(in_area(principal, MeetingSeries))
            .order_by(MeetingSeries.created_at, MeetingSeries.id)
            .limit(CALENDAR_MOST)
        )
        return {"meetings": list(meetings), "series": list(series)}
