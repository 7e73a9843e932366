"""A meeting's agenda: items the parties submit, what other services report, open action items
followed up, and items deferred to the next meeting."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from services.meetings import commands, domain
from services.meetings.handlers.access import in_area, visible_meeting, visible_record
from services.meetings.models import ActionItem, AgendaItem, JointMeeting
from shared import config
from shared.clock import Clock
from shared.db import UnitOfWork, new_id
from shared.errors import InvalidInput
from shared.events import Event
from shared.identity import PartyType, Principal
from shared.vocabulary.meetings import (
    AgendaDecision,
    AgendaItemStatus,
    AgendaSource,
    ErrorCode,
    MeetingStatus,
)


def next_position(uow: UnitOfWork, meeting_id: str) -> int:
    last = uow.session.scalar(
        select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting_id)
    )
    return (last or 0) + 1


def next_meeting(uow: UnitOfWork, community_id: str | None, after: datetime) -> JointMeeting | None:
    return uow.session.scalar(
        select(JointMeeting)
        .where(
            JointMeeting.community_id == community_id,
            JointMeeting.status == MeetingStatus.SCHEDULED,
            JointMeeting.starts_at > after,
        )
        .order_by(JointMeeting.starts_at, JointMeeting.id)
        .limit(1)
    )


def gather_agenda(uow: UnitOfWork, community_id: str | None, at: datetime) -> None:
    """Put on the community's next meeting what waits for one: deferred items, items from other
    services' events, and every action item still open."""
    meeting = next_meeting(uow, community_id, at)
    if meeting is None:
        return
    waiting = list(
        uow.session.scalars(
            select(AgendaItem)
            .where(AgendaItem.community_id == community_id, AgendaItem.meeting_id.is_(None))
            .order_by(AgendaItem.created_at)
        )
    )
    position = next_position(uow, meeting.id)
    for item in waiting:
        item.meeting_id, item.position = meeting.id, position
        position += 1
    open_items = list(
        uow.session.scalars(
            select(ActionItem).where(
                ActionItem.community_id == community_id,
                ActionItem.status.in_(list(domain.OPEN_ACTION_STATUSES)),
            )
        )
    )
    refs = {f"action:{action.id}:{meeting.id}": action for action in open_items}
    followed = set(uow.session.scalars(select(AgendaItem.source_ref).where(AgendaItem.source_ref.in_(refs))))
    for ref, action in refs.items():
        if ref in followed:
            continue
        uow.add(
            AgendaItem(
                id=new_id(),
                meeting_id=meeting.id,
                position=position,
                community_id=community_id,
                compound_id=action.compound_id,
                title=f"跟进 Follow-up: {action.title}",
                description=f"Action item due {action.due_at:%Y-%m-%d}, {action.status}.",
                source=AgendaSource.ACTION_ITEM,
                source_ref=ref,
                created_at=at,
            )
        )
        position += 1
    uow.flush()


def submit_agenda_item(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.SubmitAgendaItem
) -> AgendaItem:
    with uow:
        meeting = visible_meeting(uow, principal, command.meeting_id)
        domain.check_may_submit_agenda_item(principal, meeting.status)
        domain.check_agenda_open(meeting.status, meeting.agenda_deadline, clock.now())
        item = AgendaItem(
            id=new_id(),
            meeting_id=meeting.id,
            position=next_position(uow, meeting.id),
            title=command.title,
            description=command.description,
            submitted_by=principal.party_id,
            community_id=meeting.community_id,
            compound_id=meeting.compound_id,
            source=AgendaSource.PARTY,
            status=AgendaItemStatus.PROPOSED,
            created_at=clock.now(),
        )
        uow.add(item)
        uow.commit()
        return item


def order_agenda(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.OrderAgenda
) -> list[AgendaItem]:
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    with uow:
        meeting = visible_meeting(uow, principal, command.meeting_id)
        items = {
            i.id: i
            for i in uow.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id))
        }
        if sorted(command.item_ids) != sorted(items):
            message = "list every item of this meeting's agenda exactly once"
            raise InvalidInput([{"field": "item_ids", "code": ErrorCode.MISMATCH, "message": message}])
        for position, item_id in enumerate(command.item_ids, start=1):
            items[item_id].position = position
        uow.commit()
        return sorted(items.values(), key=lambda i: i.position)


def decide_agenda_item(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.DecideAgendaItem
) -> AgendaItem:
    """The convener accepts an item, or defers it to the next meeting."""
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    with uow:
        item, meeting = visible_record(
            uow, principal, AgendaItem, command.agenda_item_id, "agenda item", "agenda_item_id"
        )
        domain.check_agenda_item_undecided(item.status)
        deferred = command.decision == AgendaDecision.DEFER
        item.status = AgendaItemStatus.DEFERRED if deferred else AgendaItemStatus.ACCEPTED
        if deferred:
            carried = AgendaItem(
                id=new_id(),
                meeting_id=None,
                position=0,
                title=item.title,
                description=item.description,
                submitted_by=item.submitted_by,
                community_id=item.community_id,
                compound_id=item.compound_id,
                source=AgendaSource.DEFERRAL,
                source_ref=f"deferral:{item.id}",
                status=AgendaItemStatus.PROPOSED,
                created_at=clock.now(),
            )
            later = next_meeting(uow, meeting.community_id, meeting.starts_at)
            if later is not None:
                carried.meeting_id, carried.position = later.id, next_position(uow, later.id)
            uow.add(carried)
        uow.commit()
        return item


# What other services report, and how it reads on the agenda.
AGENDA_FROM_EVENTS = {
    "project.awarded": lambda d: (
        f"通报中标 Award to report: {d['title']}",
        f"Awarded to {d['organisation_name']} for {d['value']:.2f} CNY.",
    ),
    "milestone.deadline_passed": lambda d: (
        f"合同节点逾期 Overdue milestone: {d['title']}",
        f"{d['organisation_name']} has not delivered; due {d['due_at']:%Y-%m-%d}.",
    ),
    "service_request.went_unfilled": lambda d: (
        f"志愿者不足 Unfilled volunteer request: {d['title']}",
        f"{d['filled']} of {d['places']} places filled for {config.local_minute(d['starts_at'])}.",
    ),
}


# The fact each event reports, as the agenda item's source: one item per fact, so the same fact
# announced again under a new event id (a relay or producer that published it twice) adds nothing.
# A milestone late again after a rejection is the same lateness (its due date unchanged).
AGENDA_FACT = {
    "project.awarded": lambda d: f"award:{d['project_id']}",
    "milestone.deadline_passed": lambda d: f"overdue:{d['milestone_id']}:{d['due_at']:%Y-%m-%d}",
    "service_request.went_unfilled": lambda d: f"unfilled:{d['request_id']}",
}


def put_event_on_agenda(uow: UnitOfWork, clock: Clock, event: Event) -> None:
    """An item for the community's next meeting (or the one after it is scheduled), showing its source."""
    title, description = AGENDA_FROM_EVENTS[event.type](event.data)
    title, description = title[:200], f"{description} [{event.type}]"
    fact = AGENDA_FACT[event.type](event.data)
    with uow:
        # Checked here, enforced by the unique source_ref (a concurrent copy fails, is retried, then
        # finds this one).
        if uow.session.scalar(select(AgendaItem.id).where(AgendaItem.source_ref == fact)) is not None:
            uow.commit()
            return
        legacy = _item_of_an_earlier_release(uow, event.community_id, title, description)
        if legacy is not None:
            legacy.source_ref = fact  # that item is this fact's: it takes the fact's key, nothing is added
        else:
            uow.add(
                AgendaItem(
                    id=new_id(),
                    meeting_id=None,
                    position=0,
                    community_id=event.community_id,
                    source=AgendaSource.EVENT,
                    source_ref=fact,
                    title=title,
                    description=description,
                    status=AgendaItemStatus.PROPOSED,
                    created_at=clock.now(),
                )
            )
            uow.flush()
            gather_agenda(uow, event.community_id, clock.now())
        uow.commit()


def _item_of_an_earlier_release(
    uow: UnitOfWork, community_id: str | None, title: str, description: str
) -> AgendaItem | None:
    """An item an earlier release made of an event, keyed by the event's id (``event:<id>``), that
    reads exactly as this fact would: the same fact announced again after an upgrade adopts it.
    Items that read alike are alike to the meeting, so which of them is adopted does not matter;
    each is adopted at most once."""
    return uow.session.scalar(
        select(AgendaItem)
        .where(
            AgendaItem.source == AgendaSource.EVENT,
            AgendaItem.source_ref.like("event:%"),
            AgendaItem.community_id == community_id,
            AgendaItem.title == title,
            AgendaItem.description == description,
        )
        .order_by(AgendaItem.created_at, AgendaItem.id)
        .limit(1)
        .with_for_update()
    )


# Reading agendas ----------------------------------------------------------------------------------


def list_agenda(
    uow: UnitOfWork, clock: Clock, principal: Principal, meeting_ids: list[str]
) -> list[AgendaItem]:
    """The agendas of these meetings (those the party sees), each in its order."""
    with uow:
        query = (
            select(AgendaItem)
            .join(JointMeeting, JointMeeting.id == AgendaItem.meeting_id)
            .where(AgendaItem.meeting_id.in_(meeting_ids), in_area(principal, JointMeeting))
        )
        return list(uow.session.scalars(query.order_by(AgendaItem.meeting_id, AgendaItem.position)))


def get_agenda_items(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[AgendaItem]:
    """The agenda items among ``ids`` whose meeting the principal sees (as on the meeting's agenda)."""
    with uow:
        query = (
            select(AgendaItem)
            .join(JointMeeting, JointMeeting.id == AgendaItem.meeting_id)
            .where(AgendaItem.id.in_(ids), in_area(principal, JointMeeting))
        )
        return list(uow.session.scalars(query))
