"""Who sees and may do what, as conditions the queries carry: the party's scope stays in the SQL.

The committee manages its community; a team leader (a volunteer) its team's requests; the owners'
committee raises and follows its compound's requests and approves their hours; a volunteer answers
its own offers, checks in and out of its own shifts and spends its own points.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, false, or_, select
from sqlalchemy.sql.elements import ColumnElement

from services.volunteers import domain
from services.volunteers.models import (
    Building,
    Offer,
    Redemption,
    Reward,
    ServiceRequest,
    Shift,
    Team,
    TeamMember,
    Volunteer,
)
from shared.db import UnitOfWork
from shared.errors import NotFound
from shared.identity import PartyType, Principal
from shared.vocabulary.volunteers import ErrorCode

RC, OC, VOL = PartyType.RESIDENTS_COMMITTEE, PartyType.OWNERS_COMMITTEE, PartyType.VOLUNTEER
OWNER_TYPE = {
    RC: domain.RequestOwner.RESIDENTS_COMMITTEE,
    OC: domain.RequestOwner.OWNERS_COMMITTEE,
    VOL: domain.RequestOwner.TEAM,
}


def led_teams(uow: UnitOfWork, principal: Principal) -> set[str]:
    if not principal.is_a(VOL):
        return set()
    return set(uow.session.scalars(select(Team.id).where(Team.leader_id == principal.party_id)))


def teams_of(uow: UnitOfWork, principal: Principal) -> set[str]:
    """The teams a volunteer leads or belongs to."""
    mine = select(TeamMember.team_id).where(TeamMember.volunteer_id == principal.party_id)
    return led_teams(uow, principal) | set(uow.session.scalars(mine))


def visible_requests(uow: UnitOfWork, principal: Principal) -> ColumnElement[bool]:
    """The condition on ServiceRequest of the requests the party may see."""
    community = ServiceRequest.community_id == principal.community_id
    if principal.is_a(RC):
        return community
    if principal.is_a(OC):
        return and_(community, ServiceRequest.compound_id == principal.compound_id)
    if principal.is_a(VOL):
        me = principal.party_id
        return and_(
            community,
            or_(
                ServiceRequest.team_id.in_(led_teams(uow, principal)),
                ServiceRequest.id.in_(select(Offer.request_id).where(Offer.volunteer_id == me)),
                ServiceRequest.id.in_(select(Shift.request_id).where(Shift.volunteer_id == me)),
            ),
        )
    return false()


def visible_offers(uow: UnitOfWork, principal: Principal) -> ColumnElement[bool]:
    """The offers the party may see: a volunteer's own (and a leader's team's), the committee's
    community's, the owners' committee's compound's; nobody else's."""
    if not (principal.is_a(VOL) or principal.is_a(RC) or principal.is_a(OC)):
        return false()
    visible = Offer.request_id.in_(select(ServiceRequest.id).where(visible_requests(uow, principal)))
    if principal.is_a(VOL):
        led = select(ServiceRequest.id).where(ServiceRequest.team_id.in_(led_teams(uow, principal)))
        return and_(visible, or_(Offer.volunteer_id == principal.party_id, Offer.request_id.in_(led)))
    return visible


def visible_shifts(uow: UnitOfWork, principal: Principal) -> ColumnElement[bool]:
    """The shifts the party may see: a volunteer's own (and a leader's team's); the committee's
    community's; the owners' committee's compound's."""
    visible = Shift.request_id.in_(select(ServiceRequest.id).where(visible_requests(uow, principal)))
    if principal.is_a(VOL):
        led = select(ServiceRequest.id).where(ServiceRequest.team_id.in_(led_teams(uow, principal)))
        return and_(visible, or_(Shift.volunteer_id == principal.party_id, Shift.request_id.in_(led)))
    return visible


def visible_volunteers(uow: UnitOfWork, principal: Principal) -> ColumnElement[bool]:
    """The volunteers the party may see: the committee its community's, a volunteer itself and the
    members of the teams it leads."""
    if principal.is_a(RC):
        return Volunteer.community_id == principal.community_id
    if principal.is_a(VOL):
        led = select(TeamMember.volunteer_id).where(TeamMember.team_id.in_(led_teams(uow, principal)))
        return or_(Volunteer.id == principal.party_id, Volunteer.id.in_(led))
    return false()


def visible_teams(uow: UnitOfWork, principal: Principal) -> ColumnElement[bool]:
    """The committee's community's teams; a volunteer's own (led or joined)."""
    community = Team.community_id == principal.community_id
    if principal.is_a(RC):
        return community
    if principal.is_a(VOL):
        return and_(community, Team.id.in_(teams_of(uow, principal)))
    return false()


def visible_buildings(principal: Principal) -> ColumnElement[bool]:
    """The community's buildings; for the owners' committee its compound's and the community's own."""
    community = Building.community_id == principal.community_id
    if principal.is_a(RC) or principal.is_a(VOL):
        return community
    if principal.is_a(OC):
        return and_(
            community, or_(Building.compound_id.is_(None), Building.compound_id == principal.compound_id)
        )
    return false()


def visible_rewards(principal: Principal) -> ColumnElement[bool]:
    if principal.is_a(RC) or principal.is_a(VOL):
        return Reward.community_id == principal.community_id
    return false()


def visible_redemptions(principal: Principal) -> ColumnElement[bool]:
    """A volunteer's own redemptions; the committee those of its community's rewards."""
    if principal.is_a(VOL):
        return Redemption.volunteer_id == principal.party_id
    if principal.is_a(RC):
        ours = select(Reward.id).where(Reward.community_id == principal.community_id)
        return Redemption.reward_id.in_(ours)
    return false()


def may_manage(uow: UnitOfWork, principal: Principal, request: ServiceRequest) -> bool:
    """Dispatch, assign by hand and credit activities: the committee, or the team's leader."""
    if request.community_id != principal.community_id:
        return False
    if principal.is_a(RC):
        return True
    return principal.is_a(VOL) and request.team_id in led_teams(uow, principal)


def is_owner(uow: UnitOfWork, principal: Principal, request: ServiceRequest) -> bool:
    """The party that raised the request approves its hours."""
    if request.community_id != principal.community_id:
        return False
    if principal.is_a(RC):
        return request.owner_type == OWNER_TYPE[RC]
    if principal.is_a(OC):
        return request.owner_type == OWNER_TYPE[OC] and request.compound_id == principal.compound_id
    if principal.is_a(VOL):
        return request.owner_type == OWNER_TYPE[VOL] and request.team_id in led_teams(uow, principal)
    return False


def request_of(uow: UnitOfWork, principal: Principal, request_id: str, lock: bool = False) -> ServiceRequest:
    query = select(ServiceRequest).where(ServiceRequest.id == request_id, visible_requests(uow, principal))
    request = uow.session.scalar(query.with_for_update() if lock else query)
    if request is None:
        raise NotFound("no such service request", field="request_id", code=ErrorCode.NOT_FOUND)
    return request


def volunteer_in_community(
    uow: UnitOfWork, community_id: str | None, volunteer_id: str, field: str
) -> Volunteer:
    volunteer = uow.get(Volunteer, volunteer_id)
    if volunteer is None or volunteer.community_id != community_id:
        raise NotFound("no such volunteer", field=field, code=ErrorCode.NOT_FOUND)
    return volunteer


def building_of(
    uow: UnitOfWork, community_id: str | None, building_id: str | None, compound_id: str | None = None
) -> Building | None:
    """A building of the community (and, when ``compound_id`` is given, of that compound or of none)."""
    if building_id is None:
        return None
    building = uow.get(Building, building_id)
    if building is None or building.community_id != community_id:
        raise NotFound("no such building", field="building_id", code=ErrorCode.NOT_FOUND)
    if compound_id is not None and building.compound_id not in (None, compound_id):
        raise NotFound("no such building", field="building_id", code=ErrorCode.NOT_FOUND)
    return building


def locked(uow: UnitOfWork, model: Any, record_id: str) -> Any:
    """The row, locked for this unit of work (only its own table's row, not eagerly joined ones)."""
    return uow.session.scalar(select(model).where(model.id == record_id).with_for_update(of=model))
