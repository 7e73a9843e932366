"""Service requests: opened by the committee, the owners' committee or a team leader, drafted by a
meeting's resolution, opened for a contract's milestone, listed for each party, and called off."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, func, select

from services.volunteers import commands, domain
from services.volunteers.handlers import access
from services.volunteers.handlers.access import OC, OWNER_TYPE, RC, VOL
from services.volunteers.models import Offer, ServiceRequest, Shift, Team
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.errors import Conflict, NotFound, PermissionDenied
from shared.identity import Principal
from shared.paging import Listing, Page, PageRequest, asc, at_or_after, desc, equals, page_of
from shared.vocabulary.volunteers import ErrorCode, OfferStatus, RequestStatus, ShiftStatus

SOURCE = {
    RC: domain.RequestSource.COMMITTEE,
    OC: domain.RequestSource.OWNERS_COMMITTEE,
    VOL: domain.RequestSource.TEAM,
}
REQUESTS = Listing(
    id=ServiceRequest.id,
    orders={
        "starts_at": [asc(ServiceRequest.unscheduled), asc(ServiceRequest.start_key)],
        "-starts_at": [asc(ServiceRequest.unscheduled), desc(ServiceRequest.start_key)],
    },
    default_order="starts_at",
    filters={
        "status": equals(ServiceRequest.status),
        "category": equals(ServiceRequest.category),
        "priority": equals(ServiceRequest.priority),
        "starts_after": at_or_after(ServiceRequest.starts_at),
    },
)


def _emit_opened(uow: UnitOfWork, request: ServiceRequest) -> None:
    uow.emit(
        "service_request.opened",
        {
            "request_id": request.id,
            "title": request.title,
            "skill": ", ".join(sorted(request.skills)),
            "places": request.places,
            "starts_at": request.starts_at,
            "ends_at": request.ends_at,
        },
        community_id=request.community_id,
    )


def open_request(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.OpenRequest
) -> ServiceRequest:
    """The committee, the owners' committee (for its compound) or a team leader (for its team) opens
    a request; the committee also completes a draft that a meeting resolution left."""
    principal.require(RC, OC, VOL)
    domain.check_window(command.starts_at, command.ends_at, command.duration_minutes)
    with uow:
        team_id = command.team_id
        if team_id is not None:
            # Only a team the party sees (as in its ``teams``); one it may not see answers as one that
            # does not exist.
            seen = select(Team.id).where(Team.id == team_id, access.visible_teams(uow, principal))
            if uow.session.scalar(seen) is None:
                raise NotFound("no such team", field="team_id", code=ErrorCode.NOT_FOUND)
        if principal.is_a(VOL) and (team_id is None or team_id not in access.led_teams(uow, principal)):
            raise PermissionDenied(
                "a volunteer opens requests only for a team it leads", code=ErrorCode.PERMISSION_DENIED
            )
        building = access.building_of(
            uow,
            principal.community_id,
            command.building_id,
            principal.compound_id if principal.is_a(OC) else None,
        )
        compound_id = (
            principal.compound_id if principal.is_a(OC) else building.compound_id if building else None
        )
        fields = commands.changes(command, "request_id")
        fields.update(
            duration_minutes=command.duration_minutes, team_id=team_id, building_id=command.building_id
        )
        if command.request_id is not None:
            request = uow.session.scalar(
                select(ServiceRequest)
                .where(
                    ServiceRequest.id == command.request_id,
                    ServiceRequest.community_id == principal.community_id,
                )
                .with_for_update()
            )
            if request is None or not principal.is_a(RC):
                raise NotFound("no such service request", field="request_id", code=ErrorCode.NOT_FOUND)
            if request.status != RequestStatus.DRAFT:  # only a draft is completed
                raise Conflict("this request is already open", field="request_id", code=ErrorCode.NOT_DRAFT)
            for key, value in fields.items():
                setattr(request, key, value)
            request.compound_id, request.status = compound_id, RequestStatus.OPEN
        else:
            request = ServiceRequest(
                community_id=principal.community_id,
                compound_id=compound_id,
                opened_by=principal.party_id,
                opened_at=clock.now(),
                status=RequestStatus.OPEN,
                source=SOURCE[principal.party_type],
                owner_type=OWNER_TYPE[principal.party_type],
                **fields,
            )
            uow.add(request)
        uow.flush()
        _emit_opened(uow, request)
        uow.commit()
        return with_counts(uow, [request])[0]


def open_request_from_resolution(
    uow: UnitOfWork, clock: Clock, adopted: commands.DraftFromResolution
) -> ServiceRequest | None:
    """A joint meeting resolved to dispatch volunteers: a draft the committee completes with skills
    and times."""
    with uow:
        if adopted.decision_type != "dispatch_volunteers":
            uow.commit()  # recorded as handled: other decisions are not for this service
            return None
        # One draft per resolution: adopted again under a new event id, it changes nothing (the
        # unique resolution_id stops a concurrent copy, which is retried and lands here).
        drafted = uow.find(ServiceRequest, resolution_id=adopted.resolution_id)
        if drafted is not None:
            uow.commit()
            return drafted
        request = ServiceRequest(
            community_id=adopted.community_id,
            title=adopted.title[:200],
            description=adopted.text,
            skills={},
            places=1,
            location="",
            status=RequestStatus.DRAFT,
            source=domain.RequestSource.RESOLUTION,
            owner_type=OWNER_TYPE[RC],
            opened_by=adopted.meeting_id,
            opened_at=clock.now(),
            resolution_id=adopted.resolution_id,
        )
        uow.add(request)
        uow.commit()
        return request


def open_request_from_milestone(
    uow: UnitOfWork, clock: Clock, needed: commands.OpenForMilestone
) -> ServiceRequest:
    """A contract milestone needs volunteers (a free clinic day): an open request the committee owns."""
    domain.check_window(needed.starts_at, needed.ends_at, None)
    with uow:
        # One request per milestone: asked again under a new event id, it changes nothing (and opens
        # nothing more); the unique milestone_id stops a concurrent copy.
        opened = uow.find(ServiceRequest, milestone_id=needed.milestone_id)
        if opened is not None:
            uow.commit()
            return opened
        request = ServiceRequest(
            community_id=needed.community_id,
            title=needed.title[:200],
            description=f"For milestone {needed.title} of contract {needed.contract_id}",
            category="other",
            skills={needed.skill: 1},
            certificates=[],
            places=needed.places,
            starts_at=needed.starts_at,
            ends_at=needed.ends_at,
            location=needed.location[:200],
            priority="routine",
            home_visit=False,
            status=RequestStatus.OPEN,
            source=domain.RequestSource.MILESTONE,
            owner_type=OWNER_TYPE[RC],
            opened_by=needed.milestone_id,
            opened_at=clock.now(),
            contract_id=needed.contract_id,
            milestone_id=needed.milestone_id,
        )
        uow.add(request)
        uow.flush()
        _emit_opened(uow, request)
        uow.commit()
        return request


def kept_counts(uow: UnitOfWork, request_ids: Iterable[str]) -> dict[str, int]:
    """Each request's places held by a kept shift, in one query."""
    return dict(
        uow.session.execute(
            select(Shift.request_id, func.count())
            .where(Shift.request_id.in_(list(request_ids)), Shift.status.in_(domain.KEPT_SHIFT))
            .group_by(Shift.request_id)
        )
        .tuples()
        .all()
    )


def with_counts(uow: UnitOfWork, requests: list[ServiceRequest]) -> list[ServiceRequest]:
    kept = kept_counts(uow, [r.id for r in requests])
    for request in requests:
        request.filled = kept.get(request.id, 0)
    return requests


def _requests(uow: UnitOfWork, principal: Principal) -> Select:
    return select(ServiceRequest).where(access.visible_requests(uow, principal))


def list_requests(uow: UnitOfWork, clock: Clock, principal: Principal, page: PageRequest) -> Page:
    with uow:
        found = page_of(uow.session, _requests(uow, principal), page, REQUESTS)
        with_counts(uow, found.rows)
        return found


def get_requests(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[ServiceRequest]:
    with uow:
        query = _requests(uow, principal).where(ServiceRequest.id.in_(ids))
        return with_counts(uow, list(uow.session.scalars(query)))


def cancel_request(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.CancelRequest
) -> ServiceRequest:
    """Who raised or manages a request calls it off before it starts: live offers are withdrawn,
    booked shifts cancelled, and the volunteers told through the event."""
    at = clock.now()
    with uow:
        request = access.request_of(uow, principal, command.request_id, lock=True)
        if not (access.may_manage(uow, principal, request) or access.is_owner(uow, principal, request)):
            raise PermissionDenied(
                "only who raised or manages the request cancels it",
                field="request_id",
                code=ErrorCode.PERMISSION_DENIED,
            )
        domain.check_cancellation(request.status, request.starts_at, at, command.reason)
        told = []
        for offer in uow.session.scalars(
            select(Offer).where(Offer.request_id == request.id, Offer.status.in_(domain.LIVE_OFFER))
        ):
            offer.status, offer.responded_at = OfferStatus.WITHDRAWN, at
            told.append(offer.volunteer_id)
        for shift in uow.session.scalars(
            select(Shift).where(Shift.request_id == request.id, Shift.status.in_(domain.KEPT_SHIFT))
        ):
            shift.status = ShiftStatus.CANCELLED
            told.append(shift.volunteer_id)
        request.status, request.cancelled_reason = RequestStatus.CANCELLED, command.reason
        uow.emit(
            "service_request.cancelled",
            {
                "request_id": request.id,
                "title": request.title,
                "reason": command.reason,
                "volunteer_ids": sorted(set(told)),
            },
            community_id=request.community_id,
        )
        uow.commit()
        return request
