"""Use cases of the meetings service: each one unit of work, rules from the domain."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from services.meetings import domain
from services.meetings.models import (
    AgendaItem,
    Community,
    Compound,
    District,
    JointMeeting,
    Party,
    Resolution,
)
from shared.db import UnitOfWork
from shared.errors import NotFound
from shared.identity import PartyType, Principal

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


def get_places(uow: UnitOfWork, ids: list[str]) -> list:
    """Districts, communities and compounds by id, for names in views."""
    with uow:
        found = []
        for model in (District, Community, Compound):
            found.extend(uow.session.scalars(select(model).where(model.id.in_(ids))))
        return found


# Joint meetings --------------------------------------------------------------------------


def _visible_meeting(uow: UnitOfWork, principal: Principal, meeting_id: str) -> JointMeeting:
    meeting = uow.session.get(JointMeeting, meeting_id)
    if meeting is None or not principal.sees_area(
        meeting.district_id, meeting.community_id, meeting.compound_id
    ):
        raise NotFound("no such meeting", field="meeting_id")
    return meeting


def schedule_meeting(uow: UnitOfWork, principal: Principal, data: dict) -> JointMeeting:
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    domain.check_meeting_times(data["starts_at"], data["ends_at"])
    with uow:
        if data["compound_id"]:
            compound = uow.session.get(Compound, data["compound_id"])
            if compound is None or compound.community_id != principal.community_id:
                raise NotFound("no such compound", field="compound_id")
        meeting = JointMeeting(
            district_id=principal.district_id,
            community_id=principal.community_id,
            compound_id=data["compound_id"],
            title=data["title"],
            kind=data["kind"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            location=data["location"],
            convened_by=principal.party_id,
            status="scheduled",
        )
        uow.session.add(meeting)
        uow.session.flush()
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
        uow.commit()
        return meeting


def list_meetings(uow: UnitOfWork, principal: Principal) -> list[JointMeeting]:
    with uow:
        query = select(JointMeeting).order_by(JointMeeting.starts_at.desc(), JointMeeting.id)
        if principal.is_a(PartyType.STREET_OFFICE):
            query = query.where(JointMeeting.district_id == principal.district_id)
        elif principal.party_type in domain.CORE_PARTIES:
            query = query.where(JointMeeting.community_id == principal.community_id)
            if not principal.is_a(PartyType.RESIDENTS_COMMITTEE):
                query = query.where(
                    or_(JointMeeting.compound_id.is_(None), JointMeeting.compound_id == principal.compound_id)
                )
        else:
            return []
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
        last = uow.session.scalar(
            select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)
        )
        item = AgendaItem(
            meeting_id=meeting.id,
            position=(last or 0) + 1,
            title=data["title"],
            description=data["description"],
            submitted_by=principal.party_id,
        )
        uow.session.add(item)
        uow.commit()
        return item


def list_agenda(uow: UnitOfWork, principal: Principal, meeting_ids: list[str]) -> list[AgendaItem]:
    with uow:
        visible = [m.id for m in _meetings_visible_among(uow, principal, meeting_ids)]
        query = select(AgendaItem).where(AgendaItem.meeting_id.in_(visible))
        return list(uow.session.scalars(query.order_by(AgendaItem.meeting_id, AgendaItem.position)))


def _meetings_visible_among(uow: UnitOfWork, principal: Principal, ids: list[str]) -> list[JointMeeting]:
    meetings = uow.session.scalars(select(JointMeeting).where(JointMeeting.id.in_(ids)))
    return [m for m in meetings if principal.sees_area(m.district_id, m.community_id, m.compound_id)]


def record_resolution(uow: UnitOfWork, principal: Principal, data: dict) -> Resolution:
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    domain.check_resolution(data["decision_type"], data["budget"], data["category"])
    with uow:
        meeting = _visible_meeting(uow, principal, data["meeting_id"])
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
        )
        uow.session.add(resolution)
        uow.session.flush()
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


def list_resolutions(uow: UnitOfWork, principal: Principal, meeting_ids: list[str]) -> list[Resolution]:
    with uow:
        visible = [m.id for m in _meetings_visible_among(uow, principal, meeting_ids)]
        query = select(Resolution).where(Resolution.meeting_id.in_(visible))
        return list(uow.session.scalars(query.order_by(Resolution.adopted_at)))
