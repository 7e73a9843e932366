"""Use cases of the volunteers service."""

from __future__ import annotations

from sqlalchemy import func, select

from services.volunteers import domain
from services.volunteers.models import Assignment, ServiceRequest, Volunteer
from shared.db import UnitOfWork
from shared.errors import NotFound
from shared.identity import PartyType, Principal


def register_volunteer(uow: UnitOfWork, community_id: str, data: dict) -> Volunteer:
    with uow:
        volunteer = Volunteer(
            community_id=community_id, name=data["name"], skills=sorted(set(data["skills"]))
        )
        uow.session.add(volunteer)
        uow.session.flush()
        uow.emit(
            "volunteer.registered",
            {"volunteer_id": volunteer.id, "name": volunteer.name},
            community_id=community_id,
        )
        uow.commit()
        return volunteer


def register_volunteer_for(uow: UnitOfWork, principal: Principal, data: dict) -> Volunteer:
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    return register_volunteer(uow, principal.community_id, data)


def list_volunteers(uow: UnitOfWork, principal: Principal) -> list[Volunteer]:
    with uow:
        if principal.is_a(PartyType.RESIDENTS_COMMITTEE):
            query = select(Volunteer).where(Volunteer.community_id == principal.community_id)
        elif principal.is_a(PartyType.VOLUNTEER):
            query = select(Volunteer).where(Volunteer.id == principal.party_id)
        else:
            return []
        return list(uow.session.scalars(query.order_by(Volunteer.name, Volunteer.id)))


def get_volunteers(uow: UnitOfWork, principal: Principal, ids: list[str]) -> list[Volunteer]:
    with uow:
        found = uow.session.scalars(select(Volunteer).where(Volunteer.id.in_(ids)))
        return [v for v in found if _may_see_volunteer(principal, v)]


def _may_see_volunteer(principal: Principal, volunteer: Volunteer) -> bool:
    if principal.is_a(PartyType.VOLUNTEER):
        return volunteer.id == principal.party_id
    return principal.is_a(PartyType.RESIDENTS_COMMITTEE) and volunteer.community_id == principal.community_id


def open_request(uow: UnitOfWork, principal: Principal, data: dict) -> ServiceRequest:
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    domain.check_shift(data["starts_at"], data["ends_at"])
    with uow:
        request = ServiceRequest(
            community_id=principal.community_id, opened_by=principal.party_id, status="open", **data
        )
        uow.session.add(request)
        uow.session.flush()
        uow.emit(
            "service_request.opened",
            {
                "request_id": request.id,
                "title": request.title,
                "skill": request.skill,
                "places": request.places,
                "starts_at": request.starts_at,
                "ends_at": request.ends_at,
            },
            community_id=request.community_id,
        )
        uow.commit()
        return request


def list_requests(uow: UnitOfWork, principal: Principal) -> list[ServiceRequest]:
    with uow:
        query = select(ServiceRequest).order_by(ServiceRequest.starts_at.desc(), ServiceRequest.id)
        if principal.is_a(PartyType.RESIDENTS_COMMITTEE):
            return list(
                uow.session.scalars(query.where(ServiceRequest.community_id == principal.community_id))
            )
        if principal.is_a(PartyType.VOLUNTEER):
            mine = select(Assignment.request_id).where(Assignment.volunteer_id == principal.party_id)
            return list(uow.session.scalars(query.where(ServiceRequest.id.in_(mine))))
        return []


def assign_volunteer(uow: UnitOfWork, principal: Principal, data: dict) -> Assignment:
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    with uow:
        request = uow.session.scalar(
            select(ServiceRequest).where(ServiceRequest.id == data["request_id"]).with_for_update()
        )
        if request is None or request.community_id != principal.community_id:
            raise NotFound("no such service request", field="request_id")
        volunteer = uow.session.scalar(
            select(Volunteer).where(Volunteer.id == data["volunteer_id"]).with_for_update()
        )
        if volunteer is None or volunteer.community_id != principal.community_id:
            raise NotFound("no such volunteer", field="volunteer_id")
        assigned = uow.session.scalar(
            select(func.count()).select_from(Assignment).where(Assignment.request_id == request.id)
        )
        booked = uow.session.execute(
            select(Assignment.starts_at, Assignment.ends_at).where(Assignment.volunteer_id == volunteer.id)
        ).all()
        domain.check_assignment(
            request.status,
            request.places,
            assigned,
            request.skill,
            volunteer.skills,
            (request.starts_at, request.ends_at),
            [tuple(b) for b in booked],
        )
        assignment = Assignment(
            request_id=request.id,
            volunteer_id=volunteer.id,
            starts_at=request.starts_at,
            ends_at=request.ends_at,
        )
        uow.session.add(assignment)
        if assigned + 1 >= request.places:
            request.status = "filled"
        uow.session.flush()
        uow.emit(
            "volunteer.assigned",
            {"assignment_id": assignment.id, "request_id": request.id, "volunteer_id": volunteer.id},
            community_id=request.community_id,
        )
        uow.commit()
        return assignment


def list_assignments(
    uow: UnitOfWork, principal: Principal, request_ids: list[str] | None = None
) -> list[Assignment]:
    with uow:
        query = select(Assignment).order_by(Assignment.starts_at)
        if request_ids is not None:
            query = query.where(Assignment.request_id.in_(request_ids))
        if principal.is_a(PartyType.VOLUNTEER):
            return list(uow.session.scalars(query.where(Assignment.volunteer_id == principal.party_id)))
        if principal.is_a(PartyType.RESIDENTS_COMMITTEE):
            ours = select(ServiceRequest.id).where(ServiceRequest.community_id == principal.community_id)
            return list(uow.session.scalars(query.where(Assignment.request_id.in_(ours))))
        return []
