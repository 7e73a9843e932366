"""Use cases of the meetings service: each one unit of work, rules from the domain."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, false, func, or_, select

from services.meetings import domain, scheduling
from services.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Community,
    Compound,
    District,
    JointMeeting,
    MeetingSeries,
    Minutes,
    Party,
    Position,
    Resolution,
    SchedulingPoll,
)
from shared import config
from shared.db import UnitOfWork, now
from shared.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from shared.events import Event
from shared.identity import PartyType, Principal
from shared.vocabulary.meetings import ErrorCode

# The directory ---------------------------------------------------------------------------


def register_district(uow: UnitOfWork, data: dict) -> dict:
    with uow:
        district = District(name=data["name"])
        uow.session.add(district)
        uow.session.flush()
        office = Party(type=PartyType.STREET_OFFICE.value, name=data["office_name"], district_id=district.id)
        uow.session.add(office)
        uow.commit()
        return {"district": district, "office": office}


def register_community(uow: UnitOfWork, data: dict) -> dict:
    with uow:
        if uow.session.get(District, data["district_id"]) is None:
            raise NotFound("no such district", field="district_id")
        community = Community(district_id=data["district_id"], name=data["name"])
        uow.session.add(community)
        uow.session.flush()
        committee = Party(
            type=PartyType.RESIDENTS_COMMITTEE.value,
            name=data["committee_name"],
            district_id=community.district_id,
            community_id=community.id,
        )
        uow.session.add(committee)
        uow.commit()
        return {"community": community, "committee": committee}


def register_compound(uow: UnitOfWork, data: dict) -> dict:
    with uow:
        community = uow.session.get(Community, data["community_id"])
        if community is None:
            raise NotFound("no such community", field="community_id")
        compound = Compound(community_id=community.id, name=data["name"])
        uow.session.add(compound)
        uow.session.flush()
        parties = [
            Party(
                type=party_type.value,
                name=name,
                district_id=community.district_id,
                community_id=community.id,
                compound_id=compound.id,
            )
            for party_type, name in (
                (PartyType.OWNERS_COMMITTEE, data["owners_committee_name"]),
                (PartyType.PROPERTY_COMPANY, data["property_company_name"]),
            )
        ]
        uow.session.add_all(parties)
        uow.commit()
        return {"compound": compound, "owners_committee": parties[0], "property_company": parties[1]}


def register_joint_building_unit(uow: UnitOfWork, data: dict) -> Party:
    """A hospital, school or firm that builds the community together with its parties."""
    with uow:
        community = uow.session.get(Community, data["community_id"])
        if community is None:
            raise NotFound("no such community", field="community_id")
        unit = Party(
            type=PartyType.JOINT_BUILDING_UNIT.value,
            name=data["name"],
            district_id=community.district_id,
            community_id=community.id,
        )
        uow.session.add(unit)
        uow.commit()
        return unit


def get_parties(uow: UnitOfWork, ids: list[str]) -> list[Party]:
    with uow:
        return list(uow.session.scalars(select(Party).where(Party.id.in_(ids))))


DIRECTORY_KINDS = {"party": Party, "district": District, "community": Community, "compound": Compound}


def find_in_directory(uow: UnitOfWork, kind: str, criteria: dict) -> list[dict]:
    """Operators' commands: the parties or places whose columns equal ``criteria`` (an id, or a name
    with its parent's id), with where each belongs. At most ten."""
    model = DIRECTORY_KINDS.get(kind)
    if model is None:
        raise InvalidInput(
            [{"field": "kind", "code": ErrorCode.INVALID, "message": f"one of {sorted(DIRECTORY_KINDS)}"}]
        )
    columns = model.__table__.columns
    unknown = sorted(set(criteria) - set(columns.keys()))
    if unknown or not criteria:
        message = f"look a {kind} up by some of {', '.join(columns.keys())}"
        raise InvalidInput([{"field": "criteria", "code": ErrorCode.INVALID, "message": message}])
    with uow:
        query = select(model).where(*(columns[k] == v for k, v in criteria.items())).order_by(model.id)
        found = []
        for record in uow.session.scalars(query.limit(10)):
            row = {"kind": kind, "id": record.id, "name": record.name}
            if kind == "party":
                row.update(
                    type=record.type,
                    district_id=record.district_id,
                    community_id=record.community_id,
                    compound_id=record.compound_id,
                )
            elif kind == "community":
                row.update(district_id=record.district_id, community_id=record.id)
            elif kind == "compound":
                community = uow.session.get(Community, record.community_id)
                row.update(
                    district_id=community.district_id, community_id=community.id, compound_id=record.id
                )
            else:
                row.update(district_id=record.id)
            found.append(row)
        return found


def get_places(uow: UnitOfWork, ids: list[str]) -> list:
    """Districts, communities and compounds by id, for names in views."""
    with uow:
        found = []
        for model in (District, Community, Compound):
            found.extend(uow.session.scalars(select(model).where(model.id.in_(ids))))
        return found


def get_communities(uow: UnitOfWork, ids: list[str]) -> list[Community]:
    """Communities by id, with the district each lies in; an id of no community is left out."""
    with uow:
        return list(uow.session.scalars(select(Community).where(Community.id.in_(ids))))


# Joint meetings --------------------------------------------------------------------------


def _visible_meeting(uow: UnitOfWork, principal: Principal, meeting_id: str) -> JointMeeting:
    meeting = uow.session.get(JointMeeting, meeting_id)
    if meeting is None or not principal.sees_area(
        meeting.district_id, meeting.community_id, meeting.compound_id
    ):
        raise NotFound("no such meeting", field="meeting_id")
    return meeting


def _visible_record(
    uow: UnitOfWork, principal: Principal, model, record_id: str, what: str, field: str, lock: bool = False
):
    """A record that belongs to a meeting, with that meeting, if the principal sees the meeting.

    One that does not exist, that waits for no meeting yet, or whose meeting the principal may not
    see answers alike: no such ``what`` on ``field`` (never the meeting's id or field).
    """
    query = select(model).where(model.id == record_id)
    record = uow.session.scalar(query.with_for_update() if lock else query)
    meeting = record is not None and record.meeting_id and uow.session.get(JointMeeting, record.meeting_id)
    if not meeting or not principal.sees_area(meeting.district_id, meeting.community_id, meeting.compound_id):
        raise NotFound(f"no such {what}", field=field)
    return record, meeting


def _visible_agenda_item(
    uow: UnitOfWork, principal: Principal, item_id: str
) -> tuple[AgendaItem, JointMeeting]:
    return _visible_record(uow, principal, AgendaItem, item_id, "agenda item", "agenda_item_id")


def _visible_resolution(
    uow: UnitOfWork, principal: Principal, resolution_id: str, lock: bool = False
) -> tuple[Resolution, JointMeeting]:
    return _visible_record(uow, principal, Resolution, resolution_id, "resolution", "resolution_id", lock)


def _members(uow: UnitOfWork, principal: Principal, compound_id: str | None) -> list[str]:
    """The convening committee, and the owners' committee and property company of the compound
    (or of every compound, for a community-wide meeting)."""
    if compound_id:
        compound = uow.session.get(Compound, compound_id)
        if compound is None or compound.community_id != principal.community_id:
            raise NotFound("no such compound", field="compound_id")
    query = select(Party.id).where(
        Party.community_id == principal.community_id,
        Party.type.in_([PartyType.OWNERS_COMMITTEE.value, PartyType.PROPERTY_COMPANY.value]),
    )
    if compound_id:
        query = query.where(Party.compound_id == compound_id)
    return [principal.party_id, *uow.session.scalars(query.order_by(Party.id))]


def _emit_scheduled(uow: UnitOfWork, meeting: JointMeeting) -> None:
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


def _committee_of(uow: UnitOfWork, community_id: str) -> Party | None:
    return uow.session.scalar(
        select(Party).where(
            Party.community_id == community_id, Party.type == PartyType.RESIDENTS_COMMITTEE.value
        )
    )


def schedule_meeting(uow: UnitOfWork, principal: Principal, data: dict) -> JointMeeting:
    """The committee convenes; any core party may call an extraordinary meeting, with a reason, and
    is then its convener. The members are the committee's and the compound's parties either way."""
    domain.check_may_call(principal, data["kind"], data["reason"])
    domain.check_meeting_times(data["starts_at"], data["ends_at"])
    with uow:
        committee = _committee_of(uow, principal.community_id)
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
        compound_id = data["compound_id"] or (
            principal.compound_id if data["kind"] == "extraordinary" else None
        )
        meeting = JointMeeting(
            district_id=principal.district_id,
            community_id=principal.community_id,
            compound_id=compound_id,
            title=data["title"],
            kind=data["kind"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            location=data["location"],
            convened_by=principal.party_id,
            status="scheduled",
            members=_members(uow, convener, compound_id),
            decision_rule=data["decision_rule"],
            agenda_deadline=data["agenda_deadline"] or domain.default_agenda_deadline(data["starts_at"]),
            reason=data["reason"],
        )
        uow.session.add(meeting)
        uow.session.flush()
        _emit_scheduled(uow, meeting)
        _gather_agenda(uow, meeting.community_id)
        uow.commit()
        return meeting


SERIES_HORIZON = timedelta(days=62)


def create_series(uow: UnitOfWork, principal: Principal, data: dict) -> MeetingSeries:
    """A regular joint meeting; its occurrences of the next two months are scheduled at once."""
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    domain.check_recurrence(data["recurrence"], data["first_starts_at"])
    with uow:
        series = MeetingSeries(
            district_id=principal.district_id,
            community_id=principal.community_id,
            compound_id=data["compound_id"],
            title=data["title"],
            location=data["location"],
            recurrence=data["recurrence"],
            first_starts_at=data["first_starts_at"],
            duration_minutes=data["duration_minutes"],
            decision_rule=data["decision_rule"],
            members=_members(uow, principal, data["compound_id"]),
            convened_by=principal.party_id,
        )
        uow.session.add(series)
        uow.session.flush()
        _schedule_occurrences(uow, series, now())
        _gather_agenda(uow, series.community_id)
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
            district_id=series.district_id,
            community_id=series.community_id,
            compound_id=series.compound_id,
            title=series.title,
            kind="regular",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=series.duration_minutes),
            location=series.location,
            convened_by=series.convened_by,
            status="scheduled",
            series_id=series.id,
            occurrence_starts_at=starts_at,
            members=series.members,
            decision_rule=series.decision_rule,
            agenda_deadline=domain.default_agenda_deadline(starts_at),
        )
        uow.session.add(meeting)
        uow.session.flush()
        _emit_scheduled(uow, meeting)
        created += 1
    return created


def schedule_series_occurrences(uow: UnitOfWork) -> int:
    """Timer: keep two months of every series' occurrences scheduled (idempotent)."""
    created = 0
    with uow:
        at = now()
        for series in list(uow.session.scalars(select(MeetingSeries))):
            created += _schedule_occurrences(uow, series, at)
        uow.commit()
    return created


def list_series(uow: UnitOfWork, principal: Principal) -> list[MeetingSeries]:
    with uow:
        found = uow.session.scalars(select(MeetingSeries).order_by(MeetingSeries.created_at))
        return [s for s in found if principal.sees_area(s.district_id, s.community_id, s.compound_id)]


def reschedule_meeting(uow: UnitOfWork, principal: Principal, data: dict) -> JointMeeting:
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    domain.check_meeting_times(data["starts_at"], data["ends_at"])
    with uow:
        meeting = _visible_meeting(uow, principal, data["meeting_id"])
        if meeting.status != "scheduled":
            raise Conflict(
                f"the meeting is {meeting.status}", field="meeting_id", code=ErrorCode.NOT_SCHEDULED
            )
        previous = meeting.starts_at
        meeting.starts_at, meeting.ends_at = data["starts_at"], data["ends_at"]
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


def cancel_meeting(uow: UnitOfWork, principal: Principal, data: dict) -> JointMeeting:
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    with uow:
        meeting = _visible_meeting(uow, principal, data["meeting_id"])
        if meeting.status != "scheduled":
            raise Conflict(
                f"the meeting is {meeting.status}", field="meeting_id", code=ErrorCode.NOT_SCHEDULED
            )
        meeting.status, meeting.cancelled_reason = "cancelled", data["reason"]
        uow.emit(
            "meeting.cancelled",
            {
                "meeting_id": meeting.id,
                "title": meeting.title,
                "starts_at": meeting.starts_at,
                "reason": data["reason"],
            },
            community_id=meeting.community_id,
        )
        uow.commit()
        return meeting


def sign_in_to_meeting(uow: UnitOfWork, principal: Principal, data: dict) -> Attendance:
    """A member party's delegate signs in; signing in again changes nothing."""
    with uow:
        meeting = _visible_meeting(uow, principal, data["meeting_id"])
        if principal.party_id not in meeting.members:
            raise PermissionDenied("only a member party of this meeting signs in to it", field="meeting_id")
        if meeting.status != "scheduled":
            raise Conflict(
                f"the meeting is {meeting.status}", field="meeting_id", code=ErrorCode.NOT_SCHEDULED
            )
        attendance = uow.session.scalar(
            select(Attendance).where(
                Attendance.meeting_id == meeting.id, Attendance.party_id == principal.party_id
            )
        )
        if attendance is None:
            attendance = Attendance(
                meeting_id=meeting.id, party_id=principal.party_id, delegate=data["delegate"]
            )
            uow.session.add(attendance)
        uow.commit()
        return attendance


def list_attendance(uow: UnitOfWork, principal: Principal, meeting_ids: list[str]) -> list[Attendance]:
    with uow:
        visible = [m.id for m in _meetings_visible_among(uow, principal, meeting_ids)]
        return list(uow.session.scalars(select(Attendance).where(Attendance.meeting_id.in_(visible))))


def _in_area(principal: Principal, model):
    """The SQL form of ``Principal.sees_area`` on a model with district, community and compound."""
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


def list_meetings(uow: UnitOfWork, principal: Principal) -> list[JointMeeting]:
    with uow:
        query = (
            select(JointMeeting)
            .where(_in_area(principal, JointMeeting))
            .order_by(JointMeeting.starts_at.desc(), JointMeeting.id)
        )
        return list(uow.session.scalars(query))


def get_meeting(uow: UnitOfWork, principal: Principal, meeting_id: str) -> JointMeeting:
    with uow:
        return _visible_meeting(uow, principal, meeting_id)


def get_meetings(uow: UnitOfWork, principal: Principal, ids: list[str]) -> list[JointMeeting]:
    with uow:
        return _meetings_visible_among(uow, principal, ids)


def submit_agenda_item(uow: UnitOfWork, principal: Principal, data: dict) -> AgendaItem:
    with uow:
        meeting = _visible_meeting(uow, principal, data["meeting_id"])
        domain.check_may_submit_agenda_item(principal, meeting.status)
        domain.check_agenda_open(meeting.status, meeting.agenda_deadline, now())
        item = AgendaItem(
            meeting_id=meeting.id,
            position=_next_position(uow, meeting.id),
            title=data["title"],
            description=data["description"],
            submitted_by=principal.party_id,
            community_id=meeting.community_id,
            compound_id=meeting.compound_id,
            source="party",
        )
        uow.session.add(item)
        uow.commit()
        return item


def _next_position(uow: UnitOfWork, meeting_id: str) -> int:
    last = uow.session.scalar(
        select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting_id)
    )
    return (last or 0) + 1


def _next_meeting(uow: UnitOfWork, community_id: str, after: datetime) -> JointMeeting | None:
    return uow.session.scalar(
        select(JointMeeting)
        .where(
            JointMeeting.community_id == community_id,
            JointMeeting.status == "scheduled",
            JointMeeting.starts_at > after,
        )
        .order_by(JointMeeting.starts_at, JointMeeting.id)
        .limit(1)
    )


def _gather_agenda(uow: UnitOfWork, community_id: str) -> None:
    """Put on the community's next meeting what waits for one: deferred items, items from other
    services' events, and every action item still open."""
    meeting = _next_meeting(uow, community_id, now())
    if meeting is None:
        return
    waiting = list(
        uow.session.scalars(
            select(AgendaItem)
            .where(AgendaItem.community_id == community_id, AgendaItem.meeting_id.is_(None))
            .order_by(AgendaItem.created_at)
        )
    )
    for item in waiting:
        item.meeting_id, item.position = meeting.id, _next_position(uow, meeting.id)
        uow.session.flush()
    open_items = list(
        uow.session.scalars(
            select(ActionItem).where(
                ActionItem.community_id == community_id, ActionItem.status.in_(["open", "in_progress"])
            )
        )
    )
    for action in open_items:
        ref = f"action:{action.id}:{meeting.id}"
        if uow.session.scalar(select(AgendaItem.id).where(AgendaItem.source_ref == ref)) is None:
            uow.session.add(
                AgendaItem(
                    meeting_id=meeting.id,
                    position=_next_position(uow, meeting.id),
                    community_id=community_id,
                    compound_id=action.compound_id,
                    title=f"跟进 Follow-up: {action.title}",
                    description=f"Action item due {action.due_at:%Y-%m-%d}, {action.status}.",
                    source="action_item",
                    source_ref=ref,
                )
            )
            uow.session.flush()


def order_agenda(uow: UnitOfWork, principal: Principal, data: dict) -> list[AgendaItem]:
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    with uow:
        meeting = _visible_meeting(uow, principal, data["meeting_id"])
        items = {
            i.id: i
            for i in uow.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id))
        }
        if sorted(data["item_ids"]) != sorted(items):
            raise InvalidInput(
                [
                    {
                        "field": "item_ids",
                        "code": ErrorCode.MISMATCH,
                        "message": "list every item of this meeting's agenda exactly once",
                    }
                ]
            )
        for position, item_id in enumerate(data["item_ids"], start=1):
            items[item_id].position = position
        uow.commit()
        return sorted(items.values(), key=lambda i: i.position)


def decide_agenda_item(uow: UnitOfWork, principal: Principal, data: dict) -> AgendaItem:
    """The convener accepts an item, or defers it to the next meeting."""
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    with uow:
        item, meeting = _visible_agenda_item(uow, principal, data["agenda_item_id"])
        if item.status != "proposed":
            raise Conflict(
                f"the item is already {item.status}", field="agenda_item_id", code=ErrorCode.DECIDED
            )
        item.status = "accepted" if data["decision"] == "accept" else "deferred"
        if item.status == "deferred":
            carried = AgendaItem(
                meeting_id=None,
                position=0,
                title=item.title,
                description=item.description,
                submitted_by=item.submitted_by,
                community_id=item.community_id,
                compound_id=item.compound_id,
                source="deferral",
                source_ref=f"deferral:{item.id}",
            )
            uow.session.add(carried)
            later = _next_meeting(uow, meeting.community_id, meeting.starts_at)
            if later is not None:
                carried.meeting_id, carried.position = later.id, _next_position(uow, later.id)
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


def put_event_on_agenda(uow: UnitOfWork, event: Event) -> None:
    """An item for the community's next meeting (or the one after it is scheduled), showing its source."""
    title, description = AGENDA_FROM_EVENTS[event.type](event.data)
    with uow:
        uow.session.add(
            AgendaItem(
                meeting_id=None,
                position=0,
                community_id=event.community_id,
                source="event",
                source_ref=f"event:{event.id}",
                title=title[:200],
                description=f"{description} [{event.type}]",
            )
        )
        uow.session.flush()
        _gather_agenda(uow, event.community_id)
        uow.commit()


# Minutes ---------------------------------------------------------------------------------


def write_minutes(uow: UnitOfWork, principal: Principal, data: dict) -> Minutes:
    """The convener writes (or corrects) the minutes; every core party signs them off again."""
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    with uow:
        meeting = _visible_meeting(uow, principal, data["meeting_id"])
        items = set(uow.session.scalars(select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id)))
        strangers = sorted(set(data["item_notes"]) - items)
        if strangers:
            message = f"not items of this meeting's agenda: {', '.join(strangers)}"
            raise InvalidInput([{"field": "item_notes", "code": ErrorCode.NOT_ON_AGENDA, "message": message}])
        minutes = uow.session.get(Minutes, meeting.id)
        if minutes is not None and minutes.status == "published":
            raise Conflict("published minutes are final", field="meeting_id", code=ErrorCode.PUBLISHED)
        if minutes is None:
            minutes = Minutes(meeting_id=meeting.id, corrections=[])
            uow.session.add(minutes)
        minutes.notes, minutes.summary, minutes.item_notes = (
            data["notes"],
            data["summary"],
            data["item_notes"],
        )
        minutes.status, minutes.sign_offs = "circulating", {}
        uow.commit()
        return minutes


def sign_minutes(uow: UnitOfWork, principal: Principal, data: dict) -> Minutes:
    """A core party signs the minutes off, or asks the convener for a correction first."""
    with uow:
        meeting = _visible_meeting(uow, principal, data["meeting_id"])
        minutes = uow.session.scalar(
            select(Minutes).where(Minutes.meeting_id == meeting.id).with_for_update()
        )
        if minutes is None or minutes.status != "circulating":
            raise Conflict(
                "no minutes are circulating for sign-off", field="meeting_id", code=ErrorCode.NOT_CIRCULATING
            )
        signed, status = domain.sign_minutes(
            minutes.sign_offs or {}, set(_core_members(uow, meeting)), principal.party_id, data["decision"]
        )
        if data["decision"] == "correct":
            minutes.corrections = [
                *minutes.corrections,
                {"by": principal.party_id, "note": data["note"], "at": now().isoformat()},
            ]
        minutes.sign_offs, minutes.status = signed, status
        if status == "published":
            minutes.published_at = now()
        uow.commit()
        return minutes


def get_minutes(uow: UnitOfWork, principal: Principal, meeting_ids: list[str]) -> list[Minutes]:
    with uow:
        visible = [m.id for m in _meetings_visible_among(uow, principal, meeting_ids)]
        return list(uow.session.scalars(select(Minutes).where(Minutes.meeting_id.in_(visible))))


def list_agenda(uow: UnitOfWork, principal: Principal, meeting_ids: list[str]) -> list[AgendaItem]:
    with uow:
        visible = [m.id for m in _meetings_visible_among(uow, principal, meeting_ids)]
        query = select(AgendaItem).where(AgendaItem.meeting_id.in_(visible))
        return list(uow.session.scalars(query.order_by(AgendaItem.meeting_id, AgendaItem.position)))


def _meetings_visible_among(uow: UnitOfWork, principal: Principal, ids: list[str]) -> list[JointMeeting]:
    meetings = uow.session.scalars(select(JointMeeting).where(JointMeeting.id.in_(ids)))
    return [m for m in meetings if principal.sees_area(m.district_id, m.community_id, m.compound_id)]


def _core_members(uow: UnitOfWork, meeting: JointMeeting) -> dict[str, str]:
    parties = uow.session.scalars(select(Party).where(Party.id.in_(meeting.members)))
    return {p.id: p.name for p in parties if PartyType(p.type) in domain.CORE_PARTIES}


def record_resolution(uow: UnitOfWork, principal: Principal, data: dict) -> Resolution:
    """Put a resolution to the meeting; the core parties' positions then decide it."""
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    domain.check_resolution(data["decision_type"], data["budget"], data["category"])
    with uow:
        meeting = _visible_meeting(uow, principal, data["meeting_id"])
        present = set(
            uow.session.scalars(select(Attendance.party_id).where(Attendance.meeting_id == meeting.id))
        )
        domain.check_quorum(present, _core_members(uow, meeting))
        if data["agenda_item_id"]:
            item = uow.session.get(AgendaItem, data["agenda_item_id"])
            if item is None or item.meeting_id != meeting.id:
                raise NotFound("no such agenda item in this meeting", field="agenda_item_id")
        resolution = Resolution(
            meeting_id=meeting.id,
            agenda_item_id=data["agenda_item_id"],
            title=data["title"],
            text=data["text"],
            decision_type=data["decision_type"],
            budget=data["budget"],
            category=data["category"],
            status="proposed",
        )
        uow.session.add(resolution)
        uow.commit()
        return resolution


def take_position(uow: UnitOfWork, principal: Principal, data: dict) -> Resolution:
    """A core party's position; the last one needed decides the resolution by the meeting's rule."""
    with uow:
        resolution, meeting = _visible_resolution(uow, principal, data["resolution_id"], lock=True)
        core = _core_members(uow, meeting)
        domain.check_position(principal.party_id, set(core), resolution.status)
        position = uow.session.scalar(
            select(Position).where(
                Position.resolution_id == resolution.id, Position.party_id == principal.party_id
            )
        )
        if position is None:
            position = Position(resolution_id=resolution.id, party_id=principal.party_id)
            uow.session.add(position)
        position.stance, position.reason, position.taken_at = data["stance"], data["reason"], now()
        uow.session.flush()
        stances = dict(
            uow.session.execute(
                select(Position.party_id, Position.stance).where(Position.resolution_id == resolution.id)
            ).all()
        )
        outcome = domain.decide(stances, set(core), meeting.decision_rule)
        if outcome is not None:
            resolution.status = outcome
            if outcome == "adopted":
                resolution.adopted_at = now()
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


def list_positions(uow: UnitOfWork, principal: Principal, resolution_ids: list[str]) -> list[Position]:
    with uow:
        rows = uow.session.execute(
            select(Position, Resolution.meeting_id)
            .join(Resolution, Resolution.id == Position.resolution_id)
            .where(Position.resolution_id.in_(resolution_ids))
        ).all()
        visible = {m.id for m in _meetings_visible_among(uow, principal, list({r.meeting_id for r in rows}))}
        return [row.Position for row in rows if row.meeting_id in visible]


def list_resolutions(uow: UnitOfWork, principal: Principal, meeting_ids: list[str]) -> list[Resolution]:
    with uow:
        visible = [m.id for m in _meetings_visible_among(uow, principal, meeting_ids)]
        query = select(Resolution).where(Resolution.meeting_id.in_(visible))
        return list(uow.session.scalars(query.order_by(Resolution.proposed_at, Resolution.id)))


# Action items ----------------------------------------------------------------------------


def _action_event(uow: UnitOfWork, event_type: str, item: ActionItem) -> None:
    uow.emit(
        event_type,
        {
            "action_item_id": item.id,
            "resolution_id": item.resolution_id,
            "owner_id": item.owner_id,
            "title": item.title,
            "due_at": item.due_at,
        },
        community_id=item.community_id,
    )


def assign_action_item(uow: UnitOfWork, principal: Principal, data: dict) -> ActionItem:
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    domain.check_due_date(data["due_at"], now())
    with uow:
        resolution, meeting = _visible_resolution(uow, principal, data["resolution_id"])
        if resolution.status != "adopted":
            raise Conflict(
                f"the resolution is {resolution.status}, not adopted",
                field="resolution_id",
                code=ErrorCode.NOT_ADOPTED,
            )
        owner = uow.session.get(Party, data["owner_id"])
        if owner is None or owner.id not in meeting.members:
            raise NotFound("no such member party of this meeting", field="owner_id")
        item = ActionItem(
            resolution_id=resolution.id,
            district_id=meeting.district_id,
            community_id=meeting.community_id,
            compound_id=owner.compound_id or meeting.compound_id,
            owner_id=owner.id,
            title=data["title"],
            due_at=data["due_at"],
            status="open",
            progress=[],
        )
        uow.session.add(item)
        uow.session.flush()
        _action_event(uow, "action_item.assigned", item)
        uow.commit()
        return item


def _visible_action_item(uow: UnitOfWork, principal: Principal, item_id: str) -> ActionItem:
    item = uow.session.scalar(select(ActionItem).where(ActionItem.id == item_id).with_for_update())
    if item is None or not _may_see_action_item(principal, item, now()):
        raise NotFound("no such action item", field="action_item_id")
    return item


def _may_see_action_item(principal: Principal, item: ActionItem, at: datetime) -> bool:
    if principal.is_a(PartyType.STREET_OFFICE):
        return item.district_id == principal.district_id and domain.is_escalated(item.status, item.due_at, at)
    if principal.is_a(PartyType.OWNERS_COMMITTEE):  # owners follow the work done in their compound
        return item.owner_id == principal.party_id or (
            item.community_id == principal.community_id and item.compound_id == principal.compound_id
        )
    return item.owner_id == principal.party_id or (
        principal.is_a(PartyType.RESIDENTS_COMMITTEE) and item.community_id == principal.community_id
    )


def act_on_action_item(uow: UnitOfWork, principal: Principal, data: dict) -> ActionItem:
    """The owner reports progress or completes with evidence; the convener confirms or reopens."""
    action = data["action"]
    with uow:
        item = _visible_action_item(uow, principal, data["action_item_id"])
        owner_acts = action in ("report", "complete")
        if owner_acts and item.owner_id != principal.party_id:
            raise PermissionDenied(
                "only the owner reports on or completes an action item", field="action_item_id"
            )
        if not owner_acts and not principal.is_a(PartyType.RESIDENTS_COMMITTEE):
            raise PermissionDenied(
                "only the convener confirms or reopens an action item", field="action_item_id"
            )
        if action == "complete" and not data.get("evidence"):
            raise InvalidInput(
                [
                    {
                        "field": "evidence",
                        "code": ErrorCode.REQUIRED,
                        "message": "completing an action item needs evidence",
                    }
                ]
            )
        item.status = domain.next_action_status(item.status, action)
        item.progress = [
            *item.progress,
            {
                "at": now().isoformat(),
                "by": principal.party_id,
                "action": action,
                "note": data.get("note") or "",
            },
        ]
        if action == "complete":
            item.evidence = data["evidence"]
            _action_event(uow, "action_item.completed", item)
        uow.commit()
        return item


def list_action_items(uow: UnitOfWork, principal: Principal) -> list[ActionItem]:
    """The committee: its community's; an owner: its own; the sub-district office: the escalated."""
    with uow:
        query = select(ActionItem).order_by(ActionItem.due_at, ActionItem.id)
        if principal.is_a(PartyType.STREET_OFFICE):
            query = query.where(
                ActionItem.district_id == principal.district_id,
                ActionItem.status.in_(["open", "in_progress"]),
            )
        elif principal.is_a(PartyType.RESIDENTS_COMMITTEE):
            query = query.where(ActionItem.community_id == principal.community_id)
        else:
            query = query.where(
                or_(
                    ActionItem.owner_id == principal.party_id,
                    ActionItem.community_id == principal.community_id,
                )
            )
        at = now()
        return [item for item in uow.session.scalars(query) if _may_see_action_item(principal, item, at)]


def mark_overdue_action_items(uow: UnitOfWork) -> int:
    """Timer: an item past its due date is announced once (idempotent)."""
    with uow:
        at = now()
        items = list(
            uow.session.scalars(
                select(ActionItem)
                .where(
                    ActionItem.due_at < at,
                    ActionItem.overdue_at.is_(None),
                    ActionItem.status.in_(["open", "in_progress"]),
                )
                .with_for_update(skip_locked=True)
            )
        )
        for item in items:
            item.overdue_at = at
            _action_event(uow, "action_item.deadline_passed", item)
        uow.commit()
        return len(items)


# Public notices --------------------------------------------------------------------------


def public_notices(uow: UnitOfWork, community_id: str) -> list[dict]:
    """What the community's notice board shows: adopted resolutions, without private notes."""
    with uow:
        rows = uow.session.execute(
            select(Resolution, JointMeeting)
            .join(JointMeeting, JointMeeting.id == Resolution.meeting_id)
            .where(JointMeeting.community_id == community_id, Resolution.status == "adopted")
            .order_by(Resolution.adopted_at.desc())
        ).all()
        minutes = uow.session.execute(
            select(Minutes, JointMeeting)
            .join(JointMeeting, JointMeeting.id == Minutes.meeting_id)
            .where(JointMeeting.community_id == community_id, Minutes.status == "published")
            .order_by(Minutes.published_at.desc())
        ).all()
        published = [
            {
                "kind": "minutes",
                "title": m.JointMeeting.title,
                "text": m.Minutes.summary,
                "published_at": m.Minutes.published_at.isoformat(),
                "meeting": {
                    "title": m.JointMeeting.title,
                    "starts_at": m.JointMeeting.starts_at.isoformat(),
                    "location": m.JointMeeting.location,
                },
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
                "meeting": {
                    "title": r.JointMeeting.title,
                    "starts_at": r.JointMeeting.starts_at.isoformat(),
                    "location": r.JointMeeting.location,
                },
            }
            for r in rows
        ]


# Finding a time --------------------------------------------------------------------------


def propose_meeting_times(uow: UnitOfWork, principal: Principal, data: dict) -> SchedulingPoll:
    """The convener proposes a window; the core members must attend, invited parties may."""
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    duration = timedelta(minutes=data["duration_minutes"])
    scheduling.check_window(data["window_starts_at"], data["window_ends_at"], duration)
    with uow:
        required = _members(uow, principal, data["compound_id"])
        invited = list(
            uow.session.scalars(
                select(Party.id).where(
                    Party.id.in_(data["optional_party_ids"]), Party.district_id == principal.district_id
                )
            )
        )
        if len(invited) != len(set(data["optional_party_ids"])):
            raise NotFound("no such party in your district", field="optional_party_ids")
        poll = SchedulingPoll(
            district_id=principal.district_id,
            community_id=principal.community_id,
            compound_id=data["compound_id"],
            title=data["title"],
            location=data["location"],
            window_starts_at=data["window_starts_at"],
            window_ends_at=data["window_ends_at"],
            duration_minutes=data["duration_minutes"],
            required=required,
            optional=[p for p in invited if p not in required],
            availability={},
            status="open",
        )
        uow.session.add(poll)
        uow.commit()
        return poll


def _visible_poll(uow: UnitOfWork, principal: Principal, poll_id: str) -> SchedulingPoll:
    poll = uow.session.scalar(select(SchedulingPoll).where(SchedulingPoll.id == poll_id).with_for_update())
    invited = poll is not None and principal.party_id in (*poll.required, *poll.optional)
    if poll is None or not (
        invited or principal.sees_area(poll.district_id, poll.community_id, poll.compound_id)
    ):
        raise NotFound("no such scheduling poll", field="poll_id")
    return poll


def state_availability(uow: UnitOfWork, principal: Principal, data: dict) -> SchedulingPoll:
    """An invited party's busy times within the window (stating them again replaces them)."""
    with uow:
        poll = _visible_poll(uow, principal, data["poll_id"])
        if principal.party_id not in (*poll.required, *poll.optional):
            raise PermissionDenied("only an invited party states its availability", field="poll_id")
        if poll.status != "open":
            raise Conflict("the time is already chosen", field="poll_id", code=ErrorCode.CLOSED)
        for index, (begins, ends) in enumerate((b["starts_at"], b["ends_at"]) for b in data["busy"]):
            if ends <= begins:
                raise InvalidInput(
                    [
                        {
                            "field": f"busy.{index}.ends_at",
                            "code": ErrorCode.INVALID,
                            "message": "a busy time must end after it starts",
                        }
                    ]
                )
        poll.availability = {
            **poll.availability,
            principal.party_id: [
                [b["starts_at"].isoformat(), b["ends_at"].isoformat()] for b in data["busy"]
            ],
        }
        uow.commit()
        return poll


def _busy_of(uow: UnitOfWork, poll: SchedulingPoll) -> tuple[dict, dict, list]:
    """Each party's stated busy times plus its other meetings in the window, and the room's bookings."""
    meetings = list(
        uow.session.scalars(
            select(JointMeeting).where(
                JointMeeting.status == "scheduled",
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


def find_meeting_times(uow: UnitOfWork, principal: Principal, poll_id: str) -> list[scheduling.Slot]:
    with uow:
        poll = _visible_poll(uow, principal, poll_id)
        required, optional, room = _busy_of(uow, poll)
        return scheduling.find_slots(
            (poll.window_starts_at, poll.window_ends_at),
            timedelta(minutes=poll.duration_minutes),
            required,
            optional,
            room,
            config.community_zone(),
        )


def confirm_meeting_time(uow: UnitOfWork, principal: Principal, data: dict) -> JointMeeting:
    """The convener confirms one of the times found; the meeting is scheduled for every invited party."""
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    with uow:
        poll = _visible_poll(uow, principal, data["poll_id"])
        if poll.status != "open":
            raise Conflict("the time is already chosen", field="poll_id", code=ErrorCode.CLOSED)
        duration = timedelta(minutes=poll.duration_minutes)
        starts_at = data["starts_at"]
        required, optional, room = _busy_of(uow, poll)
        fits = scheduling.find_slots(
            (starts_at, starts_at + duration), duration, required, {}, room, config.community_zone(), limit=1
        )
        if not fits or not poll.window_starts_at <= starts_at <= poll.window_ends_at - duration:
            raise Conflict(
                "a required party or the room is not free then", field="starts_at", code=ErrorCode.NOT_FREE
            )
        meeting = JointMeeting(
            district_id=poll.district_id,
            community_id=poll.community_id,
            compound_id=poll.compound_id,
            title=poll.title,
            kind="regular",
            starts_at=starts_at,
            ends_at=starts_at + duration,
            location=poll.location,
            convened_by=principal.party_id,
            status="scheduled",
            members=[*poll.required, *poll.optional],
            decision_rule="consensus",
            agenda_deadline=domain.default_agenda_deadline(starts_at),
        )
        uow.session.add(meeting)
        uow.session.flush()
        poll.status, poll.meeting_id = "confirmed", meeting.id
        _emit_scheduled(uow, meeting)
        _gather_agenda(uow, meeting.community_id)
        uow.commit()
        return meeting


def list_polls(uow: UnitOfWork, principal: Principal) -> list[SchedulingPoll]:
    with uow:
        polls = uow.session.scalars(select(SchedulingPoll).order_by(SchedulingPoll.created_at.desc()))
        return [
            p
            for p in polls
            if principal.party_id in (*p.required, *p.optional)
            or principal.sees_area(p.district_id, p.community_id, p.compound_id)
        ]


# Records by id, for node(id:) ------------------------------------------------------------


def get_agenda_items(uow: UnitOfWork, principal: Principal, ids: list[str]) -> list[AgendaItem]:
    """The agenda items among ``ids`` whose meeting the principal sees (as on the meeting's agenda)."""
    with uow:
        query = (
            select(AgendaItem)
            .join(JointMeeting, JointMeeting.id == AgendaItem.meeting_id)
            .where(AgendaItem.id.in_(ids), _in_area(principal, JointMeeting))
        )
        return list(uow.session.scalars(query))


def get_resolutions(uow: UnitOfWork, principal: Principal, ids: list[str]) -> list[Resolution]:
    with uow:
        query = (
            select(Resolution)
            .join(JointMeeting, JointMeeting.id == Resolution.meeting_id)
            .where(Resolution.id.in_(ids), _in_area(principal, JointMeeting))
        )
        return list(uow.session.scalars(query))


def get_series(uow: UnitOfWork, principal: Principal, ids: list[str]) -> list[MeetingSeries]:
    with uow:
        query = select(MeetingSeries).where(MeetingSeries.id.in_(ids), _in_area(principal, MeetingSeries))
        return list(uow.session.scalars(query))


def get_action_items(uow: UnitOfWork, principal: Principal, ids: list[str]) -> list[ActionItem]:
    """The action items among ``ids`` that the principal's ``actionItems`` list would show."""
    with uow:
        me = ActionItem.owner_id == principal.party_id
        if principal.is_a(PartyType.STREET_OFFICE):
            scope = ActionItem.district_id == principal.district_id
        elif principal.is_a(PartyType.RESIDENTS_COMMITTEE):
            scope = or_(me, ActionItem.community_id == principal.community_id)
        elif principal.is_a(PartyType.OWNERS_COMMITTEE):
            scope = or_(
                me,
                and_(
                    ActionItem.community_id == principal.community_id,
                    ActionItem.compound_id == principal.compound_id,
                ),
            )
        else:
            scope = me
        at = now()
        found = uow.session.scalars(select(ActionItem).where(ActionItem.id.in_(ids), scope))
        # The office's view (escalated items only) depends on the time: the same rule as the list.
        return [item for item in found if _may_see_action_item(principal, item, at)]


def get_polls(uow: UnitOfWork, principal: Principal, ids: list[str]) -> list[SchedulingPoll]:
    """The polls among ``ids`` the principal is invited to or whose area it sees."""
    with uow:
        found = uow.session.scalars(select(SchedulingPoll).where(SchedulingPoll.id.in_(ids)))
        return [
            p
            for p in found
            if principal.party_id in (*p.required, *p.optional)
            or principal.sees_area(p.district_id, p.community_id, p.compound_id)
        ]
