"""Finding a time: the convener proposes a window, invited parties state when they are busy, the
best times are found (services.meetings.scheduling), and the convener confirms one."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from services.meetings import commands, domain, scheduling
from services.meetings.handlers.access import members, polls_seen_by, visible_poll
from services.meetings.handlers.agenda import gather_agenda
from services.meetings.handlers.meetings import emit_scheduled
from services.meetings.models import JointMeeting, Party, PollInvitation, SchedulingPoll
from shared import config
from shared.clock import Clock
from shared.db import UnitOfWork, new_id
from shared.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from shared.identity import PartyType, Principal
from shared.paging import Listing, Page, PageRequest, desc, page_of
from shared.vocabulary.meetings import DecisionRule, ErrorCode, MeetingKind, MeetingStatus, PollStatus


def propose_meeting_times(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.ProposeMeetingTimes
) -> SchedulingPoll:
    """The convener proposes a window; the core members must attend, invited parties may."""
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    duration = timedelta(minutes=command.duration_minutes)
    scheduling.check_window(command.window_starts_at, command.window_ends_at, duration)
    with uow:
        required = members(uow, principal, command.compound_id)
        invited = list(
            uow.session.scalars(
                select(Party.id).where(
                    Party.id.in_(command.optional_party_ids), Party.district_id == principal.district_id
                )
            )
        )
        if len(invited) != len(set(command.optional_party_ids)):
            raise NotFound("no such party in your district", field="optional_party_ids")
        optional = [p for p in invited if p not in required]
        poll = SchedulingPoll(
            id=new_id(),
            district_id=principal.district_id,
            community_id=principal.community_id,
            compound_id=command.compound_id,
            title=command.title,
            location=command.location,
            window_starts_at=command.window_starts_at,
            window_ends_at=command.window_ends_at,
            duration_minutes=command.duration_minutes,
            required=required,
            optional=optional,
            availability={},
            status=PollStatus.OPEN,
            created_at=clock.now(),
        )
        uow.add(poll)
        uow.flush()  # the invitations name the poll: it is written first
        for party_id in dict.fromkeys(required):
            uow.add(PollInvitation(poll_id=poll.id, party_id=party_id, required=True))
        for party_id in optional:
            uow.add(PollInvitation(poll_id=poll.id, party_id=party_id, required=False))
        uow.commit()
        return poll


def state_availability(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.StateAvailability
) -> SchedulingPoll:
    """An invited party's busy times within the window (stating them again replaces them)."""
    with uow:
        poll = visible_poll(uow, principal, command.poll_id)
        if principal.party_id not in (*poll.required, *poll.optional):
            raise PermissionDenied("only an invited party states its availability", field="poll_id")
        domain.check_poll_open(poll.status)
        for index, busy in enumerate(command.busy):
            if busy.ends_at <= busy.starts_at:
                message = "a busy time must end after it starts"
                raise InvalidInput(
                    [{"field": f"busy.{index}.ends_at", "code": ErrorCode.INVALID, "message": message}]
                )
        poll.availability = {
            **poll.availability,
            principal.party_id: [[b.starts_at.isoformat(), b.ends_at.isoformat()] for b in command.busy],
        }
        uow.commit()
        return poll


def _busy_of(uow: UnitOfWork, poll: SchedulingPoll) -> tuple[dict, dict, list]:
    """Each party's stated busy times plus its other meetings in the window, and the room's bookings."""
    meetings = list(
        uow.session.scalars(
            select(JointMeeting).where(
                JointMeeting.status == MeetingStatus.SCHEDULED,
                JointMeeting.starts_at < poll.window_ends_at,
                JointMeeting.ends_at > poll.window_starts_at,
            )
        )
    )

    def busy(party_id: str) -> list:
        stated = [
            (datetime.fromisoformat(b), datetime.fromisoformat(e))
            for b, e in poll.availability.get(party_id, [])
        ]
        return stated + [(m.starts_at, m.ends_at) for m in meetings if party_id in m.members]

    room = [
        (m.starts_at, m.ends_at)
        for m in meetings
        if m.location.strip().lower() == poll.location.strip().lower()
    ]
    return {p: busy(p) for p in poll.required}, {p: busy(p) for p in poll.optional}, room


def find_meeting_times(
    uow: UnitOfWork, clock: Clock, principal: Principal, poll_id: str
) -> list[scheduling.Slot]:
    with uow:
        poll = visible_poll(uow, principal, poll_id)
        required, optional, room = _busy_of(uow, poll)
        return scheduling.find_slots(
            (poll.window_starts_at, poll.window_ends_at),
            timedelta(minutes=poll.duration_minutes),
            required,
            optional,
            room,
            config.community_zone(),
        )


def confirm_meeting_time(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.ConfirmMeetingTime
) -> JointMeeting:
    """The convener confirms one of the times found; the meeting is scheduled for every invited party."""
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    with uow:
        poll = visible_poll(uow, principal, command.poll_id)
        domain.check_poll_open(poll.status)
        duration = timedelta(minutes=poll.duration_minutes)
        starts_at = command.starts_at
        required, optional, room = _busy_of(uow, poll)
        fits = scheduling.find_slots(
            (starts_at, starts_at + duration), duration, required, {}, room, config.community_zone(), limit=1
        )
        if not fits or not poll.window_starts_at <= starts_at <= poll.window_ends_at - duration:
            raise Conflict(
                "a required party or the room is not free then", field="starts_at", code=ErrorCode.NOT_FREE
            )
        meeting = JointMeeting(
            id=new_id(),
            district_id=poll.district_id,
            community_id=poll.community_id,
            compound_id=poll.compound_id,
            title=poll.title,
            kind=MeetingKind.REGULAR,
            starts_at=starts_at,
            ends_at=starts_at + duration,
            location=poll.location,
            convened_by=principal.party_id,
            status=MeetingStatus.SCHEDULED,
            members=[*poll.required, *poll.optional],
            decision_rule=DecisionRule.CONSENSUS,
            agenda_deadline=domain.default_agenda_deadline(starts_at),
            created_at=clock.now(),
        )
        uow.add(meeting)
        uow.flush()
        poll.status, poll.meeting_id = PollStatus.CONFIRMED, meeting.id
        emit_scheduled(uow, meeting)
        gather_agenda(uow, meeting.community_id, clock.now())
        uow.commit()
        return meeting


# Reading polls ----------------------------------------------------------------------------------------

# The gateway offers no filter or order for polls: the newest first.
POLLS = Listing(
    id=SchedulingPoll.id,
    orders={"-created_at": [desc(SchedulingPoll.created_at)]},
    default_order="-created_at",
)


def list_polls(uow: UnitOfWork, clock: Clock, principal: Principal, page: PageRequest) -> Page:
    """One page of the polls the party is invited to or whose area it sees."""
    with uow:
        query = select(SchedulingPoll).where(polls_seen_by(principal))
        return page_of(uow.session, query, page, POLLS)


def get_polls(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[SchedulingPoll]:
    """The polls among ``ids`` the principal is invited to or whose area it sees."""
    with uow:
        query = select(SchedulingPoll).where(SchedulingPoll.id.in_(ids), polls_seen_by(principal))
        return list(uow.session.scalars(query))
