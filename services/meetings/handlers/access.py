"""Who sees what, written once as SQL: every list, every lookup by id and every command that names a
record reads through these predicates, so a party's pages and its refusals follow one rule."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import and_, exists, false, or_, select
from sqlalchemy.sql.elements import ColumnElement

from services.meetings import domain
from services.meetings.models import ActionItem, Compound, JointMeeting, Party, PollInvitation, SchedulingPoll
from shared.db import UnitOfWork
from shared.errors import NotFound
from shared.identity import PartyType, Principal

M = TypeVar("M")


def in_area(principal: Principal, model: Any) -> ColumnElement[bool]:
    """The SQL form of ``Principal.sees_area`` on a model with district, community and compound:
    the office its district, the committee its community, the owners' committee and the property
    company their compound and what concerns the whole community; nobody else."""
    if principal.is_a(PartyType.STREET_OFFICE):
        return model.district_id == principal.district_id if principal.district_id else false()
    if not principal.community_id:
        return false()
    community = model.community_id == principal.community_id
    if principal.is_a(PartyType.RESIDENTS_COMMITTEE):
        return community
    if principal.party_type in (PartyType.OWNERS_COMMITTEE, PartyType.PROPERTY_COMPANY):
        return and_(community, or_(model.compound_id.is_(None), model.compound_id == principal.compound_id))
    return false()


def one(uow: UnitOfWork, model: type[M], where: ColumnElement[bool], lock: bool = False) -> M | None:
    query = select(model).where(where)
    return uow.session.scalar(query.with_for_update() if lock else query)


# Meetings and what belongs to them ----------------------------------------------------------------


def visible_meeting(
    uow: UnitOfWork, principal: Principal, meeting_id: str, lock: bool = False
) -> JointMeeting:
    meeting = one(
        uow, JointMeeting, and_(JointMeeting.id == meeting_id, in_area(principal, JointMeeting)), lock
    )
    if meeting is None:
        raise NotFound("no such meeting", field="meeting_id")
    return meeting


def visible_meeting_ids(uow: UnitOfWork, principal: Principal, ids: list[str]) -> list[str]:
    query = select(JointMeeting.id).where(JointMeeting.id.in_(ids), in_area(principal, JointMeeting))
    return list(uow.session.scalars(query))


def visible_record(
    uow: UnitOfWork,
    principal: Principal,
    model: Any,
    record_id: str,
    what: str,
    field: str,
    lock: bool = False,
) -> tuple[Any, JointMeeting]:
    """A record that belongs to a meeting, with that meeting, if the principal sees the meeting.

    One that does not exist, that waits for no meeting yet, or whose meeting the principal may not
    see answers alike: no such ``what`` on ``field`` (never the meeting's id or field).
    """
    query = (
        select(model, JointMeeting)
        .join(JointMeeting, JointMeeting.id == model.meeting_id)
        .where(model.id == record_id, in_area(principal, JointMeeting))
    )
    found = uow.session.execute(query.with_for_update(of=model) if lock else query).first()
    if found is None:
        raise NotFound(f"no such {what}", field=field)
    return found[0], found[1]


# Action items ---------------------------------------------------------------------------------


def escalated(at: datetime) -> ColumnElement[bool]:
    """The SQL form of ``domain.is_escalated``: still open a grace period after the due date."""
    return and_(
        ActionItem.status.in_(list(domain.OPEN_ACTION_STATUSES)),
        ActionItem.due_at < at - domain.ESCALATION_GRACE,
    )


def action_items_seen_by(principal: Principal, at: datetime) -> ColumnElement[bool]:
    """The office: its district's escalated items; the committee: its community's; the owners'
    committee: its compound's (it follows the work done there); every owner: its own."""
    mine = ActionItem.owner_id == principal.party_id
    if principal.is_a(PartyType.STREET_OFFICE):
        if not principal.district_id:
            return false()
        return and_(ActionItem.district_id == principal.district_id, escalated(at))
    if principal.is_a(PartyType.RESIDENTS_COMMITTEE) and principal.community_id:
        return or_(mine, ActionItem.community_id == principal.community_id)
    if principal.is_a(PartyType.OWNERS_COMMITTEE) and principal.community_id:
        return or_(
            mine,
            and_(
                ActionItem.community_id == principal.community_id,
                ActionItem.compound_id == principal.compound_id,
            ),
        )
    return mine


def visible_action_item(uow: UnitOfWork, principal: Principal, item_id: str, at: datetime) -> ActionItem:
    where = and_(ActionItem.id == item_id, action_items_seen_by(principal, at))
    item = one(uow, ActionItem, where, lock=True)
    if item is None:
        raise NotFound("no such action item", field="action_item_id")
    return item


# Scheduling polls --------------------------------------------------------------------------------


def polls_seen_by(principal: Principal) -> ColumnElement[bool]:
    """A poll is seen by the parties invited to it and by those whose area it lies in."""
    invited = exists().where(
        PollInvitation.poll_id == SchedulingPoll.id, PollInvitation.party_id == principal.party_id
    )
    return or_(invited, in_area(principal, SchedulingPoll))


def visible_poll(uow: UnitOfWork, principal: Principal, poll_id: str) -> SchedulingPoll:
    poll = one(uow, SchedulingPoll, and_(SchedulingPoll.id == poll_id, polls_seen_by(principal)), lock=True)
    if poll is None:
        raise NotFound("no such scheduling poll", field="poll_id")
    return poll


# Members of a meeting ------------------------------------------------------------------------------


def members(uow: UnitOfWork, principal: Principal, compound_id: str | None) -> list[str]:
    """The convening committee, and the owners' committee and property company of the compound
    (or of every compound, for a community-wide meeting)."""
    if compound_id:
        compound = uow.get(Compound, compound_id)
        if compound is None or compound.community_id != principal.community_id:
            raise NotFound("no such compound", field="compound_id")
    query = select(Party.id).where(
        Party.community_id == principal.community_id,
        Party.type.in_([PartyType.OWNERS_COMMITTEE.value, PartyType.PROPERTY_COMPANY.value]),
    )
    if compound_id:
        query = query.where(Party.compound_id == compound_id)
    return [principal.party_id, *uow.session.scalars(query.order_by(Party.id))]


def core_members(uow: UnitOfWork, meeting: JointMeeting) -> dict[str, str]:
    """The meeting's member parties whose positions decide (id → name)."""
    parties = uow.session.scalars(select(Party).where(Party.id.in_(meeting.members)))
    return {p.id: p.name for p in parties if PartyType(p.type) in domain.CORE_PARTIES}


def committee_of(uow: UnitOfWork, community_id: str | None) -> Party | None:
    return uow.session.scalar(
        select(Party).where(
            Party.community_id == community_id, Party.type == PartyType.RESIDENTS_COMMITTEE.value
        )
    )
