"""Meeting series: a regular joint meeting (an RFC 5545 recurrence) whose occurrences of the next
two months are kept scheduled."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from services.meetings import commands, domain
from services.meetings.handlers.access import in_area, members
from services.meetings.handlers.agenda import gather_agenda
from services.meetings.handlers.meetings import emit_scheduled
from services.meetings.models import JointMeeting, MeetingSeries
from shared import config
from shared.clock import Clock
from shared.db import UnitOfWork, new_id
from shared.identity import PartyType, Principal
from shared.paging import Listing, Page, PageRequest, asc, page_of
from shared.vocabulary.meetings import MeetingKind, MeetingStatus

SERIES_HORIZON = timedelta(days=62)
# The timer goes through the series this many at a time, each batch its own transaction.
SERIES_BATCH = 200


def create_series(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.CreateSeries
) -> MeetingSeries:
    """A regular joint meeting; its occurrences of the next two months are scheduled at once."""
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    domain.check_recurrence(command.recurrence, command.first_starts_at)
    with uow:
        series = MeetingSeries(
            id=new_id(),
            district_id=principal.district_id,
            community_id=principal.community_id,
            compound_id=command.compound_id,
            title=command.title,
            location=command.location,
            recurrence=command.recurrence,
            first_starts_at=command.first_starts_at,
            duration_minutes=command.duration_minutes,
            decision_rule=command.decision_rule,
            members=members(uow, principal, command.compound_id),
            convened_by=principal.party_id,
            created_at=clock.now(),
        )
        uow.add(series)
        uow.flush()
        _schedule_occurrences(uow, series, clock.now())
        gather_agenda(uow, series.community_id, clock.now())
        uow.commit()
        return series


def _schedule_occurrences(uow: UnitOfWork, series: MeetingSeries, at: datetime) -> int:
    known = set(
        uow.session.scalars(
            select(JointMeeting.occurrence_starts_at).where(JointMeeting.series_id == series.id)
        )
    )
    created = 0
    for starts_at in domain.occurrences(
        series.recurrence, series.first_starts_at, config.community_zone(), at, at + SERIES_HORIZON
    ):
        starts_at = starts_at.astimezone(timezone.utc)
        if starts_at in known:
            continue
        meeting = JointMeeting(
            id=new_id(),
            district_id=series.district_id,
            community_id=series.community_id,
            compound_id=series.compound_id,
            title=series.title,
            kind=MeetingKind.REGULAR,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=series.duration_minutes),
            location=series.location,
            convened_by=series.convened_by,
            status=MeetingStatus.SCHEDULED,
            series_id=series.id,
            occurrence_starts_at=starts_at,
            members=series.members,
            decision_rule=series.decision_rule,
            agenda_deadline=domain.default_agenda_deadline(starts_at),
            created_at=at,
        )
        uow.add(meeting)
        emit_scheduled(uow, meeting)
        created += 1
    uow.flush()
    return created


def schedule_series_occurrences(uow: UnitOfWork, clock: Clock) -> int:
    """Timer: keep two months of every series' occurrences scheduled (idempotent), a batch of
    series per transaction so that no transaction holds every series at once."""
    created = 0
    after = ""
    while True:
        with uow:
            batch = list(
                uow.session.scalars(
                    select(MeetingSeries)
                    .where(MeetingSeries.id > after)
                    .order_by(MeetingSeries.id)
                    .limit(SERIES_BATCH)
                )
            )
            if not batch:
                return created
            at = clock.now()
            for series in batch:
                created += _schedule_occurrences(uow, series, at)
            uow.commit()
            after = batch[-1].id


# Reading series -------------------------------------------------------------------------------------

# The gateway offers no filter or order for series: oldest first, as they were created.
SERIES = Listing(
    id=MeetingSeries.id,
    orders={"created_at": [asc(MeetingSeries.created_at)]},
    default_order="created_at",
)


def list_series(uow: UnitOfWork, clock: Clock, principal: Principal, page: PageRequest) -> Page:
    with uow:
        query = select(MeetingSeries).where(in_area(principal, MeetingSeries))
        return page_of(uow.session, query, page, SERIES)


def get_series(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[MeetingSeries]:
    with uow:
        query = select(MeetingSeries).where(MeetingSeries.id.in_(ids), in_area(principal, MeetingSeries))
        return list(uow.session.scalars(query))
