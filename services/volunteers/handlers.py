"""Use cases of the volunteers service, each in one unit of work.

Who may do what: the committee manages its community; a team leader (a volunteer) its team's
requests; the owners' committee raises and follows its compound's requests and approves their hours;
a volunteer answers its own offers, checks in and out of its own shifts and spends its own points.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

from eventlet import tpool
from sqlalchemy import and_, false, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from services.volunteers import dispatch as solver
from services.volunteers import domain
from services.volunteers.models import (
    Building,
    DispatchRound,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Offer,
    Redemption,
    Reward,
    ServiceRequest,
    Shift,
    Team,
    TeamMember,
    Volunteer,
)
from shared.db import UnitOfWork, now
from shared.errors import Conflict, NotFound, PermissionDenied
from shared.events import Event
from shared.identity import PartyType, Principal

RC, OC, VOL = PartyType.RESIDENTS_COMMITTEE, PartyType.OWNERS_COMMITTEE, PartyType.VOLUNTEER
# Requests and volunteers without a building are measured from the community's origin. The solver
# knows buildings by name (unique in a community), so that its explanations read well.
CENTRE = solver.Building("the community's origin", 0.0, 0.0)
RECENT = timedelta(days=30)
# A round re-solves while it still places someone: the solver gives each volunteer at most one place
# per solve, and a volunteer free for two shifts should get both.
MAX_SOLVES = 8


# Access ---------------------------------------------------------------------------------


def _led_teams(uow: UnitOfWork, principal: Principal) -> set[str]:
    if not principal.is_a(VOL):
        return set()
    return set(uow.session.scalars(select(Team.id).where(Team.leader_id == principal.party_id)))


def _visible_requests(uow: UnitOfWork, principal: Principal):
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
                ServiceRequest.team_id.in_(_led_teams(uow, principal)),
                ServiceRequest.id.in_(select(Offer.request_id).where(Offer.volunteer_id == me)),
                ServiceRequest.id.in_(select(Shift.request_id).where(Shift.volunteer_id == me)),
            ),
        )
    return false()


def _may_manage(uow: UnitOfWork, principal: Principal, request: ServiceRequest) -> bool:
    """Dispatch, assign by hand and credit activities: the committee, or the team's leader."""
    if request.community_id != principal.community_id:
        return False
    if principal.is_a(RC):
        return True
    return principal.is_a(VOL) and request.team_id in _led_teams(uow, principal)


def _is_owner(uow: UnitOfWork, principal: Principal, request: ServiceRequest) -> bool:
    """The party that raised the request approves its hours."""
    if request.community_id != principal.community_id:
        return False
    if principal.is_a(RC):
        return request.owner_type == "residents_committee"
    if principal.is_a(OC):
        return request.owner_type == "owners_committee" and request.compound_id == principal.compound_id
    if principal.is_a(VOL):
        return request.owner_type == "team" and request.team_id in _led_teams(uow, principal)
    return False


def _request(uow: UnitOfWork, principal: Principal, request_id: str, lock: bool = False) -> ServiceRequest:
    query = select(ServiceRequest).where(ServiceRequest.id == request_id, _visible_requests(uow, principal))
    request = uow.session.scalar(query.with_for_update() if lock else query)
    if request is None:
        raise NotFound("no such service request", field="request_id")
    return request


def _volunteer_in_community(uow: UnitOfWork, community_id: str | None, volunteer_id: str, field: str):
    volunteer = uow.session.get(Volunteer, volunteer_id)
    if volunteer is None or volunteer.community_id != community_id:
        raise NotFound("no such volunteer", field=field)
    return volunteer


def _building(
    uow: UnitOfWork, community_id: str | None, building_id: str | None, compound_id: str | None = None
) -> Building | None:
    """A building of the community (and, when ``compound_id`` is given, of that compound or of none)."""
    if building_id is None:
        return None
    building = uow.session.get(Building, building_id)
    if building is None or building.community_id != community_id:
        raise NotFound("no such building", field="building_id")
    if compound_id is not None and building.compound_id not in (None, compound_id):
        raise NotFound("no such building", field="building_id")
    return building


def _locked(uow: UnitOfWork, model, record_id: str):
    """The row, locked for this unit of work (only its own table's row, not eagerly joined ones)."""
    return uow.session.scalar(select(model).where(model.id == record_id).with_for_update(of=model))


# Registry -------------------------------------------------------------------------------


def _account_id(kind: str, owner: str) -> str:
    return f"{kind}:{owner}"


def _ensure_account(uow: UnitOfWork, kind: str, community_id: str, volunteer_id: str | None = None) -> str:
    """The account, created the first time it is needed; a concurrent creator's row is taken as is."""
    account_id = _account_id(kind, volunteer_id or community_id)
    if uow.session.get(LedgerAccount, account_id) is None:
        try:
            with uow.session.begin_nested():
                uow.session.add(
                    LedgerAccount(
                        id=account_id,
                        community_id=community_id,
                        kind=kind,
                        volunteer_id=volunteer_id,
                        balance=0,
                    )
                )
        except IntegrityError:
            pass
    return account_id


def register_volunteer(uow: UnitOfWork, community_id: str, data: dict) -> Volunteer:
    with uow:
        _building(uow, community_id, data.get("building_id"))
        volunteer = Volunteer(community_id=community_id, **data)
        uow.session.add(volunteer)
        uow.session.flush()
        _ensure_account(uow, "volunteer", community_id, volunteer.id)
        uow.emit(
            "volunteer.registered",
            {"volunteer_id": volunteer.id, "name": volunteer.name},
            community_id=community_id,
        )
        uow.commit()
        return _with_figures(uow, [volunteer])[0]


def find_volunteers(uow: UnitOfWork, criteria: dict) -> list[Volunteer]:
    """Operators' commands: the volunteer with this id, or those of this name in a community."""
    with uow:
        query = select(Volunteer).order_by(Volunteer.registered_at, Volunteer.id)
        if criteria.get("id") is not None:
            query = query.where(Volunteer.id == criteria["id"])
        elif criteria.get("community_id") is not None and criteria.get("name") is not None:
            query = query.where(
                Volunteer.community_id == criteria["community_id"], Volunteer.name == criteria["name"]
            )
        else:
            raise domain.invalid("criteria", "look a volunteer up by id, or by community_id and name")
        return _with_figures(uow, list(uow.session.scalars(query.limit(10))))


def register_volunteer_for(uow: UnitOfWork, principal: Principal, data: dict) -> Volunteer:
    principal.require(RC)
    return register_volunteer(uow, principal.community_id, data)


def update_volunteer(uow: UnitOfWork, principal: Principal, data: dict) -> Volunteer:
    """The committee keeps the registry: building, skills and levels, certificates, cap, identity."""
    principal.require(RC)
    with uow:
        volunteer = _volunteer_in_community(
            uow, principal.community_id, data.pop("volunteer_id"), "volunteer_id"
        )
        _building(uow, principal.community_id, data.get("building_id"))
        for key, value in data.items():
            setattr(volunteer, key, value)
        uow.commit()
        return _with_figures(uow, [volunteer])[0]


def update_availability(uow: UnitOfWork, principal: Principal, data: dict) -> Volunteer:
    """The volunteer's own: weekly availability, days away, its weekly cap and consent to home visits."""
    principal.require(VOL)
    with uow:
        volunteer = _volunteer_in_community(uow, principal.community_id, principal.party_id, "volunteer_id")
        for key, value in data.items():
            setattr(volunteer, key, value)
        uow.commit()
        return _with_figures(uow, [volunteer])[0]


def _teams_of(uow: UnitOfWork, principal: Principal) -> set[str]:
    """The teams a volunteer leads or belongs to."""
    mine = select(TeamMember.team_id).where(TeamMember.volunteer_id == principal.party_id)
    return _led_teams(uow, principal) | set(uow.session.scalars(mine))


def _member_scope(uow: UnitOfWork, principal: Principal):
    """The volunteers the party may see: the committee its community's, a volunteer itself and the
    members of the teams it leads."""
    if principal.is_a(RC):
        return Volunteer.community_id == principal.community_id
    if principal.is_a(VOL):
        led = select(TeamMember.volunteer_id).where(TeamMember.team_id.in_(_led_teams(uow, principal)))
        return or_(Volunteer.id == principal.party_id, Volunteer.id.in_(led))
    return false()


def list_volunteers(uow: UnitOfWork, principal: Principal) -> list[Volunteer]:
    with uow:
        query = select(Volunteer).where(_member_scope(uow, principal)).order_by(Volunteer.name, Volunteer.id)
        return _with_figures(uow, list(uow.session.scalars(query)), principal)


def get_volunteers(uow: UnitOfWork, principal: Principal, ids: list[str]) -> list[Volunteer]:
    with uow:
        query = select(Volunteer).where(Volunteer.id.in_(ids), _member_scope(uow, principal))
        return _with_figures(uow, list(uow.session.scalars(query)), principal)


def _with_figures(
    uow: UnitOfWork, volunteers: list[Volunteer], principal: Principal | None = None
) -> list[Volunteer]:
    """Each volunteer with its points balance, hours of the last 30 days, no-shows, and the teams
    (of those the party may see) it belongs to."""
    ids = [v.id for v in volunteers]
    session = uow.session
    balances = dict(
        session.execute(
            select(LedgerAccount.volunteer_id, LedgerAccount.balance).where(
                LedgerAccount.volunteer_id.in_(ids)
            )
        )
        .tuples()
        .all()
    )
    recent = _recent_minutes(uow, ids, now())
    no_shows = _no_shows(uow, ids)
    teams: dict[str, list[str]] = defaultdict(list)
    memberships = select(TeamMember.team_id, TeamMember.volunteer_id).where(TeamMember.volunteer_id.in_(ids))
    if principal is not None and principal.is_a(VOL):
        memberships = memberships.where(TeamMember.team_id.in_(_teams_of(uow, principal)))
    for team_id, volunteer_id in session.execute(memberships):
        teams[volunteer_id].append(team_id)
    for v in volunteers:
        v.points_balance = balances.get(v.id, 0)
        v.hours_last_30_days = domain.minutes_to_hours(recent.get(v.id, 0))
        v.no_shows = no_shows.get(v.id, 0)
        v.team_ids = sorted(teams[v.id])
    return volunteers


def _recent_minutes(uow: UnitOfWork, volunteer_ids, at: datetime) -> dict[str, int]:
    """Minutes served in the last 30 days: approved as approved, awaiting approval as scheduled."""
    rows = uow.session.execute(
        select(
            Shift.volunteer_id, Shift.status, Shift.approved_minutes, Shift.starts_at, Shift.ends_at
        ).where(
            Shift.volunteer_id.in_(volunteer_ids),
            Shift.status.in_(("checked_out", "approved")),
            Shift.starts_at >= at - RECENT,
        )
    )
    minutes: dict[str, int] = defaultdict(int)
    for volunteer_id, status, approved, starts_at, ends_at in rows:
        minutes[volunteer_id] += (
            approved if status == "approved" else int((ends_at - starts_at).total_seconds() // 60)
        )
    return minutes


def _no_shows(uow: UnitOfWork, volunteer_ids) -> dict[str, int]:
    return dict(
        uow.session.execute(
            select(Shift.volunteer_id, func.count())
            .where(Shift.volunteer_id.in_(volunteer_ids), Shift.status == "no_show")
            .group_by(Shift.volunteer_id)
        )
        .tuples()
        .all()
    )


def add_building(uow: UnitOfWork, principal: Principal, data: dict) -> Building:
    """The committee adds the community's buildings, the owners' committee its compound's."""
    principal.require(RC, OC)
    compound_id = principal.compound_id if principal.is_a(OC) else None
    with uow:
        taken = uow.session.scalar(
            select(Building.id).where(
                Building.community_id == principal.community_id, Building.name == data["name"]
            )
        )
        if taken:
            raise Conflict("a building of that name is registered", field="name", code="duplicate")
        building = Building(community_id=principal.community_id, compound_id=compound_id, **data)
        uow.session.add(building)
        uow.commit()
        return building


def list_buildings(uow: UnitOfWork, principal: Principal, ids: list[str] | None = None) -> list[Building]:
    """The community's buildings; the owners' committee's compound's and the community's own."""
    with uow:
        query = (
            select(Building).where(Building.community_id == principal.community_id).order_by(Building.name)
        )
        if principal.is_a(OC):
            query = query.where(
                or_(Building.compound_id.is_(None), Building.compound_id == principal.compound_id)
            )
        elif not (principal.is_a(RC) or principal.is_a(VOL)):
            return []
        if ids is not None:
            query = query.where(Building.id.in_(ids))
        return list(uow.session.scalars(query))


# Teams ----------------------------------------------------------------------------------


def _set_members(uow: UnitOfWork, principal: Principal, team: Team, member_ids: list[str]) -> None:
    wanted = {team.leader_id, *member_ids}
    for volunteer_id in sorted(wanted):
        _volunteer_in_community(uow, principal.community_id, volunteer_id, "member_ids")
    current = set(uow.session.scalars(select(TeamMember.volunteer_id).where(TeamMember.team_id == team.id)))
    for gone in current - wanted:
        uow.session.delete(uow.session.get(TeamMember, (team.id, gone)))
    for new in wanted - current:
        uow.session.add(TeamMember(team_id=team.id, volunteer_id=new))


def create_team(uow: UnitOfWork, principal: Principal, data: dict) -> Team:
    principal.require(RC)
    with uow:
        _volunteer_in_community(uow, principal.community_id, data["leader_id"], "leader_id")
        if uow.session.scalar(
            select(Team.id).where(Team.community_id == principal.community_id, Team.name == data["name"])
        ):
            raise Conflict("a team of that name exists", field="name", code="duplicate")
        team = Team(community_id=principal.community_id, name=data["name"], leader_id=data["leader_id"])
        uow.session.add(team)
        uow.session.flush()
        _set_members(uow, principal, team, data["member_ids"])
        uow.commit()
        return _with_members(uow, [team], principal)[0]


def update_team(uow: UnitOfWork, principal: Principal, data: dict) -> Team:
    principal.require(RC)
    with uow:
        team = _locked(uow, Team, data["team_id"])
        if team is None or team.community_id != principal.community_id:
            raise NotFound("no such team", field="team_id")
        if "leader_id" in data:
            team.leader_id = _volunteer_in_community(
                uow, principal.community_id, data["leader_id"], "leader_id"
            ).id
        if "name" in data:
            team.name = data["name"]
        uow.session.flush()
        current = list(
            uow.session.scalars(select(TeamMember.volunteer_id).where(TeamMember.team_id == team.id))
        )
        _set_members(uow, principal, team, data.get("member_ids", current))
        uow.commit()
        return _with_members(uow, [team], principal)[0]


def list_teams(uow: UnitOfWork, principal: Principal, ids: list[str] | None = None) -> list[Team]:
    with uow:
        query = select(Team).where(Team.community_id == principal.community_id).order_by(Team.name)
        if ids is not None:
            query = query.where(Team.id.in_(ids))
        if principal.is_a(VOL):
            query = query.where(Team.id.in_(_teams_of(uow, principal)))
        elif not principal.is_a(RC):
            return []
        return _with_members(uow, list(uow.session.scalars(query)), principal)


def _with_members(uow: UnitOfWork, teams: list[Team], principal: Principal) -> list[Team]:
    """Each team with its members; a volunteer who does not lead it sees itself among them only."""
    led = _led_teams(uow, principal)
    members: dict[str, list[str]] = defaultdict(list)
    for team_id, volunteer_id in uow.session.execute(
        select(TeamMember.team_id, TeamMember.volunteer_id).where(
            TeamMember.team_id.in_([t.id for t in teams])
        )
    ):
        members[team_id].append(volunteer_id)
    for team in teams:
        visible = principal.is_a(RC) or team.id in led
        team.member_ids = sorted(m for m in members[team.id] if visible or m == principal.party_id)
    return teams


# Requests -------------------------------------------------------------------------------


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


def open_request(uow: UnitOfWork, principal: Principal, data: dict) -> ServiceRequest:
    """The committee, the owners' committee (for its compound) or a team leader (for its team) opens
    a request; the committee also completes a draft that a meeting resolution left."""
    principal.require(RC, OC, VOL)
    domain.check_window(data["starts_at"], data["ends_at"], data["duration_minutes"])
    draft_id = data.pop("request_id")
    with uow:
        team_id = data["team_id"]
        if team_id is not None:
            team = uow.session.get(Team, team_id)
            # Only a team the party sees (as in its ``teams``): the committee its community's, a
            # volunteer its own; one it may not see answers as one that does not exist.
            sees = principal.is_a(RC) or (principal.is_a(VOL) and team_id in _teams_of(uow, principal))
            if team is None or team.community_id != principal.community_id or not sees:
                raise NotFound("no such team", field="team_id")
        if principal.is_a(VOL) and (team_id is None or team_id not in _led_teams(uow, principal)):
            raise PermissionDenied(
                "a volunteer opens requests only for a team it leads", code="permission_denied"
            )
        building = _building(
            uow,
            principal.community_id,
            data["building_id"],
            principal.compound_id if principal.is_a(OC) else None,
        )
        owner = {RC: "residents_committee", OC: "owners_committee", VOL: "team"}[principal.party_type]
        compound_id = principal.compound_id if principal.is_a(OC) else building and building.compound_id
        if draft_id is not None:
            request = uow.session.scalar(
                select(ServiceRequest)
                .where(ServiceRequest.id == draft_id, ServiceRequest.community_id == principal.community_id)
                .with_for_update()
            )
            if request is None or not principal.is_a(RC):
                raise NotFound("no such service request", field="request_id")
            if request.status != "draft":
                raise Conflict("this request is already open", field="request_id", code="not_draft")
            for key, value in data.items():
                setattr(request, key, value)
            request.compound_id, request.status = compound_id, "open"
        else:
            request = ServiceRequest(
                community_id=principal.community_id,
                compound_id=compound_id,
                opened_by=principal.party_id,
                status="open",
                source={RC: "committee", OC: "owners_committee", VOL: "team"}[principal.party_type],
                owner_type=owner,
                **data,
            )
            uow.session.add(request)
        uow.session.flush()
        _emit_opened(uow, request)
        uow.commit()
        return _with_counts(uow, [request])[0]


def open_request_from_resolution(uow: UnitOfWork, event: Event) -> ServiceRequest | None:
    """A joint meeting resolved to dispatch volunteers: a draft the committee completes with skills
    and times."""
    with uow:
        if event.data["decision_type"] != "dispatch_volunteers":
            uow.commit()  # recorded as handled: other decisions are not for this service
            return None
        request = ServiceRequest(
            community_id=event.community_id,
            title=event.data["title"][:200],
            description=event.data["text"],
            skills={},
            places=1,
            location="",
            status="draft",
            source="resolution",
            owner_type="residents_committee",
            opened_by=event.data["meeting_id"],
            resolution_id=event.data["resolution_id"],
        )
        uow.session.add(request)
        uow.commit()
        return request


def open_request_from_milestone(uow: UnitOfWork, event: Event) -> ServiceRequest:
    """A contract milestone needs volunteers (a free clinic day): an open request the committee owns."""
    data = event.data
    domain.check_window(data["starts_at"], data["ends_at"], None)
    with uow:
        request = ServiceRequest(
            community_id=event.community_id,
            title=data["title"][:200],
            description=f"For milestone {data['title']} of contract {data['contract_id']}",
            skills={data["skill"]: 1},
            places=data["places"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            location=data["location"][:200],
            status="open",
            source="milestone",
            owner_type="residents_committee",
            opened_by=data["milestone_id"],
            contract_id=data["contract_id"],
            milestone_id=data["milestone_id"],
        )
        uow.session.add(request)
        uow.session.flush()
        _emit_opened(uow, request)
        uow.commit()
        return request


def _kept_counts(uow: UnitOfWork, request_ids) -> dict[str, int]:
    return dict(
        uow.session.execute(
            select(Shift.request_id, func.count())
            .where(Shift.request_id.in_(request_ids), Shift.status.in_(domain.KEPT_SHIFT))
            .group_by(Shift.request_id)
        )
        .tuples()
        .all()
    )


def _with_counts(uow: UnitOfWork, requests: list[ServiceRequest]) -> list[ServiceRequest]:
    kept = _kept_counts(uow, [r.id for r in requests])
    for request in requests:
        request.filled = kept.get(request.id, 0)
    return requests


def list_requests(
    uow: UnitOfWork, principal: Principal, ids: list[str] | None = None
) -> list[ServiceRequest]:
    with uow:
        query = select(ServiceRequest).where(_visible_requests(uow, principal))
        if ids is not None:
            query = query.where(ServiceRequest.id.in_(ids))
        query = query.order_by(ServiceRequest.starts_at.desc(), ServiceRequest.id)
        return _with_counts(uow, list(uow.session.scalars(query)))


# Dispatch -------------------------------------------------------------------------------


def _buildings(uow: UnitOfWork, community_id: str) -> tuple[list[solver.Building], dict[str, str]]:
    """The community's buildings as the solver knows them, and each building's name by its id."""
    rows = list(uow.session.scalars(select(Building).where(Building.community_id == community_id)))
    return [CENTRE] + [solver.Building(b.name, b.x, b.y) for b in rows], {b.id: b.name for b in rows}


def _solver_request(
    request: ServiceRequest, places: int, excluded: set[str], at: datetime, names: dict[str, str]
):
    """The request as the solver reads it, or None once it can no longer be served."""
    starts_at = domain.dispatch_start(request.starts_at, at)
    if request.duration_minutes is None:
        if starts_at >= request.ends_at:
            return None
        window = solver.Shift(starts_at, request.ends_at)
    else:
        duration = timedelta(minutes=request.duration_minutes)
        if request.ends_at - starts_at < duration:
            return None
        window = solver.FlexibleWindow(starts_at, request.ends_at, duration)
    return solver.ServiceRequest(
        id=request.id,
        building=names.get(request.building_id, CENTRE.id),
        window=window,
        places=places,
        skills=dict(request.skills),
        certificates=frozenset(request.certificates),
        priority=domain.PRIORITIES[request.priority],
        home_visit=request.home_visit,
        excluded=frozenset(excluded),
    )


def _hours(starts_at: datetime, ends_at: datetime) -> float:
    return (ends_at - starts_at).total_seconds() / 3600


class _Roster:
    """The community's volunteers and what they already hold, kept current as a round makes offers."""

    def __init__(self, uow: UnitOfWork, volunteers: list[Volunteer], at: datetime, names: dict[str, str]):
        ids = [v.id for v in volunteers]
        self.volunteers, self.names = volunteers, names
        self.bookings: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
        self.week_hours: dict[tuple[str, date], float] = defaultdict(float)
        # Live offers and booked shifts hold the volunteer's time; every kept shift counts to its week.
        for volunteer_id, starts_at, ends_at in uow.session.execute(
            select(Offer.volunteer_id, Offer.starts_at, Offer.ends_at).where(
                Offer.volunteer_id.in_(ids), Offer.status.in_(domain.LIVE_OFFER)
            )
        ):
            self.book(volunteer_id, starts_at, ends_at)
        for volunteer_id, starts_at, ends_at, status in uow.session.execute(
            select(Shift.volunteer_id, Shift.starts_at, Shift.ends_at, Shift.status).where(
                Shift.volunteer_id.in_(ids), Shift.status.in_(domain.KEPT_SHIFT)
            )
        ):
            if status in domain.BOOKED_SHIFT:
                self.bookings[volunteer_id].append((starts_at, ends_at))
            self.week_hours[volunteer_id, domain.week_of(starts_at)] += _hours(starts_at, ends_at)
        self.recent = _recent_minutes(uow, ids, at)
        self.no_shows = _no_shows(uow, ids)

    def book(self, volunteer_id: str, starts_at: datetime, ends_at: datetime) -> None:
        self.bookings[volunteer_id].append((starts_at, ends_at))
        self.week_hours[volunteer_id, domain.week_of(starts_at)] += _hours(starts_at, ends_at)

    def for_week(self, week: date) -> list[solver.Volunteer]:
        return [
            solver.Volunteer(
                id=v.id,
                building=self.names.get(v.building_id, CENTRE.id),
                skills=dict(v.skills),
                certificates={c["name"]: date.fromisoformat(c["expires_on"]) for c in v.certificates},
                availability=domain.parse_availability(v.availability),
                unavailable_dates=frozenset(date.fromisoformat(d) for d in v.unavailable_dates),
                weekly_cap_hours=float(v.weekly_cap_hours),
                hours_this_week=self.week_hours[v.id, week],
                hours_last_30_days=self.recent.get(v.id, 0) / 60,
                no_shows=self.no_shows.get(v.id, 0),
                home_visit_consent=v.home_visit_consent,
                identity_verified=v.identity_verified,
                bookings=tuple(self.bookings[v.id]),
            )
            for v in self.volunteers
        ]


def _run_round(
    uow: UnitOfWork, community_id: str, at: datetime, scope, run_by: str, reason: str
) -> tuple[DispatchRound, list[Offer]]:
    """One dispatch over every open request in ``scope`` with places nobody holds: the offers it
    makes (each with why) and why the other places stay unfilled."""
    session = uow.session
    # The community's volunteers are locked first, so rounds of one community run one at a time and
    # cannot offer one volunteer two overlapping places.
    volunteers = list(
        session.scalars(
            select(Volunteer)
            .where(Volunteer.community_id == community_id)
            .order_by(Volunteer.id)
            .with_for_update()
        )
    )
    requests = list(
        session.scalars(
            select(ServiceRequest)
            .where(
                ServiceRequest.community_id == community_id,
                ServiceRequest.status == "open",
                ServiceRequest.ends_at > at,
                scope,
            )
            .order_by(ServiceRequest.id)
            .with_for_update()
        )
    )
    ids = [r.id for r in requests]
    asked: dict[str, set[str]] = defaultdict(set)  # everyone offered a request, whatever they answered
    held: dict[str, int] = defaultdict(int)
    for request_id, volunteer_id, status in session.execute(
        select(Offer.request_id, Offer.volunteer_id, Offer.status).where(Offer.request_id.in_(ids))
    ):
        asked[request_id].add(volunteer_id)
        held[request_id] += status in domain.LIVE_OFFER
    for request_id, volunteer_id, status in session.execute(
        select(Shift.request_id, Shift.volunteer_id, Shift.status).where(Shift.request_id.in_(ids))
    ):
        asked[request_id].add(volunteer_id)
        held[request_id] += status in domain.KEPT_SHIFT
    vacant = {r.id: domain.vacancies(r.places, held[r.id]) for r in requests}
    by_id = {r.id: r for r in requests}

    buildings, names = _buildings(uow, community_id)
    roster = _Roster(uow, volunteers, at, names)
    volunteer_by_id = {v.id: v for v in volunteers}
    dispatch_round = DispatchRound(community_id=community_id, run_by=run_by, reason=reason, run_at=at)
    session.add(dispatch_round)
    session.flush()
    offers: list[Offer] = []
    reasons: dict[str, str] = {}
    weeks: dict[date, list[str]] = defaultdict(list)
    for request in requests:
        probe = _solver_request(request, 1, set(), at, names)
        if probe is None:
            reasons[request.id] = "the window has passed"
        elif vacant[request.id]:
            weeks[domain.week_of(probe.window.bounds[0])].append(request.id)
    for week, request_ids in sorted(weeks.items()):
        for _ in range(MAX_SOLVES):
            wanted = [
                _solver_request(by_id[i], vacant[i], asked[i], at, names) for i in request_ids if vacant[i]
            ]
            if not wanted:
                break
            result = tpool.execute(solver.dispatch, wanted, roster.for_week(week), buildings)
            for unfilled in result.unfilled:
                reasons[unfilled.request_id] = unfilled.reason
            for chosen in result.assignments:
                offer = Offer(
                    request_id=chosen.request_id,
                    volunteer=volunteer_by_id[chosen.volunteer_id],
                    round_id=dispatch_round.id,
                    place=chosen.place,
                    starts_at=chosen.starts_at,
                    ends_at=chosen.ends_at,
                    cost=chosen.cost,
                    explanation=chosen.explanation,
                    status="offered",
                    offered_at=at,
                    respond_by=domain.response_deadline(at, chosen.starts_at),
                )
                session.add(offer)
                offers.append(offer)
                asked[chosen.request_id].add(chosen.volunteer_id)
                vacant[chosen.request_id] -= 1
                roster.book(chosen.volunteer_id, chosen.starts_at, chosen.ends_at)
            if not result.assignments or not result.unfilled:
                break
    unfilled = []
    for request in requests:
        request.dispatched_at = request.dispatched_at or at
        request.unfilled_reason = reasons.get(request.id) if vacant[request.id] else None
        if request.unfilled_reason:
            unfilled.extend(
                {"request_id": request.id, "place": place, "reason": request.unfilled_reason}
                for place in range(request.places - vacant[request.id], request.places)
            )
    dispatch_round.unfilled = unfilled
    session.flush()
    for offer in offers:
        uow.emit(
            "volunteer.dispatched",
            {
                "offer_id": offer.id,
                "request_id": offer.request_id,
                "volunteer_id": offer.volunteer_id,
                "starts_at": offer.starts_at,
                "ends_at": offer.ends_at,
                "respond_by": offer.respond_by,
                "explanation": offer.explanation,
            },
            community_id=community_id,
        )
    return dispatch_round, offers


def dispatch(uow: UnitOfWork, principal: Principal, data: dict, at: datetime | None = None) -> DispatchRound:
    """Dispatch over every open request at once: the committee's whole community, or one team's requests
    (its leader's, or the committee's choice)."""
    principal.require(RC, VOL)
    at = at or now()
    with uow:
        team_id = data["team_id"]
        if team_id is not None:
            team = uow.session.get(Team, team_id)
            if team is None or team.community_id != principal.community_id:
                raise NotFound("no such team", field="team_id")
        if principal.is_a(VOL) and (team_id is None or team_id not in _led_teams(uow, principal)):
            if team_id is None:
                raise PermissionDenied(
                    "a team leader dispatches its own team's requests", code="permission_denied"
                )
            raise NotFound("no such team", field="team_id")
        scope = ServiceRequest.team_id == team_id if team_id else ServiceRequest.id.is_not(None)
        dispatch_round, offers = _run_round(
            uow, principal.community_id, at, scope, principal.party_id, "dispatch"
        )
        uow.commit()
        dispatch_round.offers = offers
        return dispatch_round


def _redispatch(uow: UnitOfWork, community_id: str, at: datetime, run_by: str, reason: str) -> None:
    """The next best for places lost to a decline, an unanswered offer or a no-show: the requests
    already in dispatch are solved again."""
    _run_round(uow, community_id, at, ServiceRequest.dispatched_at.is_not(None), run_by, reason)


def assign_volunteer(uow: UnitOfWork, principal: Principal, data: dict, at: datetime | None = None) -> Offer:
    """An offer to a volunteer chosen by hand, if the dispatch rules let that volunteer take a place."""
    principal.require(RC, VOL)
    at = at or now()
    with uow:
        request = _request(uow, principal, data["request_id"], lock=True)
        if not _may_manage(uow, principal, request):
            raise NotFound("no such service request", field="request_id")
        volunteer = _volunteer_in_community(uow, request.community_id, data["volunteer_id"], "volunteer_id")
        if not uow.session.scalar(
            select(Volunteer.id).where(Volunteer.id == volunteer.id, _member_scope(uow, principal))
        ):  # a team leader picks among the volunteers it sees: itself and its members
            raise NotFound("no such volunteer", field="volunteer_id")
        # The same locks as a round: no concurrent round can book this volunteer meanwhile.
        uow.session.scalar(select(Volunteer.id).where(Volunteer.id == volunteer.id).with_for_update())
        if request.status != "open":
            raise Conflict(f"this request is {request.status}", field="request_id", code=request.status)
        if uow.session.scalar(
            select(Offer.id).where(Offer.request_id == request.id, Offer.volunteer_id == volunteer.id)
        ):
            raise Conflict(
                "this volunteer was offered this request before", field="volunteer_id", code="already_offered"
            )
        live = uow.session.scalar(
            select(func.count()).where(Offer.request_id == request.id, Offer.status.in_(domain.LIVE_OFFER))
        )
        kept = _kept_counts(uow, [request.id]).get(request.id, 0)
        if not domain.vacancies(request.places, live + kept):
            raise Conflict("every place of this request is taken", field="request_id", code="filled")
        buildings, names = _buildings(uow, request.community_id)
        wanted = _solver_request(request, 1, set(), at, names)
        if wanted is None:
            raise Conflict("the window of this request has passed", field="request_id", code="passed")
        roster = _Roster(uow, [volunteer], at, names)
        result = solver.dispatch(
            [wanted], roster.for_week(domain.week_of(wanted.window.bounds[0])), buildings
        )
        if not result.assignments:
            raise Conflict(result.unfilled[0].reason, field="volunteer_id", code="not_eligible")
        (chosen,) = result.assignments
        offer = Offer(
            request_id=request.id,
            volunteer=volunteer,
            place=live + kept,
            starts_at=chosen.starts_at,
            ends_at=chosen.ends_at,
            cost=chosen.cost,
            explanation=f"chosen by hand; {chosen.explanation}",
            status="offered",
            offered_at=at,
            respond_by=domain.response_deadline(at, chosen.starts_at),
        )
        uow.session.add(offer)
        request.dispatched_at = request.dispatched_at or at
        uow.session.flush()
        uow.emit(
            "volunteer.dispatched",
            {
                "offer_id": offer.id,
                "request_id": request.id,
                "volunteer_id": volunteer.id,
                "starts_at": offer.starts_at,
                "ends_at": offer.ends_at,
                "respond_by": offer.respond_by,
                "explanation": offer.explanation,
            },
            community_id=request.community_id,
        )
        uow.commit()
        return offer


def cancel_request(
    uow: UnitOfWork, principal: Principal, data: dict, at: datetime | None = None
) -> ServiceRequest:
    """Who raised or manages a request calls it off before it starts: live offers are withdrawn,
    booked shifts cancelled, and the volunteers told through the event."""
    at = at or now()
    with uow:
        request = _request(uow, principal, data["request_id"], lock=True)
        if not (_may_manage(uow, principal, request) or _is_owner(uow, principal, request)):
            raise PermissionDenied("only who raised or manages the request cancels it", field="request_id")
        domain.check_cancellation(request.status, request.starts_at, at, data["reason"])
        told = []
        for offer in uow.session.scalars(
            select(Offer).where(Offer.request_id == request.id, Offer.status.in_(domain.LIVE_OFFER))
        ):
            offer.status, offer.responded_at = "withdrawn", at
            told.append(offer.volunteer_id)
        for shift in uow.session.scalars(
            select(Shift).where(Shift.request_id == request.id, Shift.status.in_(domain.KEPT_SHIFT))
        ):
            shift.status = "cancelled"
            told.append(shift.volunteer_id)
        request.status, request.cancelled_reason = "cancelled", data["reason"]
        uow.emit(
            "service_request.cancelled",
            {
                "request_id": request.id,
                "title": request.title,
                "reason": data["reason"],
                "volunteer_ids": sorted(set(told)),
            },
            community_id=request.community_id,
        )
        uow.commit()
        return request


# Offers ---------------------------------------------------------------------------------


def _own_offer(uow: UnitOfWork, principal: Principal, offer_id: str) -> Offer:
    principal.require(VOL)
    offer = uow.session.scalar(
        select(Offer)
        .where(Offer.id == offer_id, Offer.volunteer_id == principal.party_id)
        .with_for_update(of=Offer)
    )
    if offer is None:
        raise NotFound("no such offer", field="offer_id")
    return offer


def accept_offer(uow: UnitOfWork, principal: Principal, data: dict, at: datetime | None = None) -> Shift:
    at = at or now()
    with uow:
        offer = _own_offer(uow, principal, data["offer_id"])
        domain.check_response(offer.status, offer.respond_by, at)
        request = uow.session.get(ServiceRequest, offer.request_id, with_for_update=True)
        offer.status, offer.responded_at = "accepted", at
        shift = Shift(
            request_id=offer.request_id,
            volunteer=offer.volunteer,
            offer_id=offer.id,
            starts_at=offer.starts_at,
            ends_at=offer.ends_at,
            status="booked",
            assigned_at=at,
        )
        uow.session.add(shift)
        uow.session.flush()
        uow.emit(
            "volunteer.assigned",
            {"assignment_id": shift.id, "request_id": request.id, "volunteer_id": offer.volunteer_id},
            community_id=request.community_id,
        )
        _settle_status(uow, request)
        uow.commit()
        return shift


def _settle_status(uow: UnitOfWork, request: ServiceRequest) -> None:
    kept = _kept_counts(uow, [request.id]).get(request.id, 0)
    before, request.status = request.status, domain.status_after_change(request.status, request.places, kept)
    if request.status == "filled" and before != "filled":
        uow.emit(
            "service_request.filled",
            {
                "request_id": request.id,
                "title": request.title,
                "places": request.places,
                "starts_at": request.starts_at,
            },
            community_id=request.community_id,
        )


def decline_offer(uow: UnitOfWork, principal: Principal, data: dict, at: datetime | None = None) -> Offer:
    """Declined: the place goes to the next best at once, in the same unit of work."""
    at = at or now()
    with uow:
        offer = _own_offer(uow, principal, data["offer_id"])
        domain.check_response(offer.status, offer.respond_by, at)
        offer.status, offer.responded_at, offer.decline_reason = "declined", at, data["reason"]
        uow.session.flush()
        _redispatch(uow, principal.community_id, at, principal.party_id, "declined")
        uow.commit()
        return offer


def _visible_offers(uow: UnitOfWork, principal: Principal):
    """The condition on Offer of the offers the party may see: a volunteer's own (and a leader's
    team's), the committee's community's, the owners' committee's compound's; nobody else's."""
    if not (principal.is_a(VOL) or principal.is_a(RC) or principal.is_a(OC)):
        return false()
    visible = Offer.request_id.in_(select(ServiceRequest.id).where(_visible_requests(uow, principal)))
    if principal.is_a(VOL):
        led = select(ServiceRequest.id).where(ServiceRequest.team_id.in_(_led_teams(uow, principal)))
        return and_(visible, or_(Offer.volunteer_id == principal.party_id, Offer.request_id.in_(led)))
    return visible


def list_offers(uow: UnitOfWork, principal: Principal, request_ids: list[str] | None = None) -> list[Offer]:
    """A volunteer's own offers (and a leader's team's); the committee its community's; the owners'
    committee its compound's (as it sees their shifts)."""
    with uow:
        query = select(Offer).where(_visible_offers(uow, principal))
        query = query.order_by(Offer.offered_at.desc(), Offer.place, Offer.id)
        if request_ids is not None:
            query = query.where(Offer.request_id.in_(request_ids))
        return list(uow.session.scalars(query))


def get_offers(uow: UnitOfWork, principal: Principal, ids: list[str]) -> list[Offer]:
    """The offers among ``ids`` the party may see (node(id:))."""
    with uow:
        query = select(Offer).where(Offer.id.in_(ids), _visible_offers(uow, principal))
        return list(uow.session.scalars(query))


def get_rounds(uow: UnitOfWork, principal: Principal, ids: list[str]) -> list[DispatchRound]:
    """The committee's community's rounds; a team leader the dispatches it ran for its team (not the
    community-wide re-dispatch that a volunteer's decline starts)."""
    with uow:
        query = select(DispatchRound).where(
            DispatchRound.id.in_(ids), DispatchRound.community_id == principal.community_id
        )
        if principal.is_a(VOL):
            ran = and_(DispatchRound.run_by == principal.party_id, DispatchRound.reason == "dispatch")
            query = query.where(ran)
        elif not principal.is_a(RC):
            return []
        rounds = list(uow.session.scalars(query))
        for each in rounds:
            each.offers = list(uow.session.scalars(select(Offer).where(Offer.round_id == each.id)))
        return rounds


# Shifts ---------------------------------------------------------------------------------


def _own_shift(uow: UnitOfWork, principal: Principal, shift_id: str) -> Shift:
    principal.require(VOL)
    shift = uow.session.scalar(
        select(Shift)
        .where(Shift.id == shift_id, Shift.volunteer_id == principal.party_id)
        .with_for_update(of=Shift)
    )
    if shift is None:
        raise NotFound("no such shift", field="shift_id")
    return shift


def check_in(uow: UnitOfWork, principal: Principal, data: dict, at: datetime | None = None) -> Shift:
    at = at or now()
    with uow:
        shift = _own_shift(uow, principal, data["shift_id"])
        domain.check_check_in(shift.status, shift.starts_at, shift.ends_at, at)
        shift.status, shift.checked_in_at = "checked_in", at
        uow.commit()
        return shift


def check_out(uow: UnitOfWork, principal: Principal, data: dict, at: datetime | None = None) -> Shift:
    at = at or now()
    with uow:
        shift = _own_shift(uow, principal, data["shift_id"])
        domain.check_check_out(shift.status)
        shift.status, shift.checked_out_at = "checked_out", at
        uow.commit()
        return shift


def approve_hours(uow: UnitOfWork, principal: Principal, data: dict, at: datetime | None = None) -> Shift:
    """The request's owner approves the hours: the shift is completed and earns points, in one posting."""
    principal.require(RC, OC, VOL)
    at = at or now()
    with uow:
        # A shift the party may not see (another community's, or another volunteer's on a request it
        # was only offered) answers as one that does not exist.
        visible = uow.session.scalar(
            select(Shift.id).where(Shift.id == data["shift_id"], _visible_shifts(uow, principal))
        )
        shift = visible and _locked(uow, Shift, visible)
        request = shift and uow.session.get(ServiceRequest, shift.request_id)
        if not request:
            raise NotFound("no such shift", field="shift_id")
        if not _is_owner(uow, principal, request):
            raise PermissionDenied(
                "only the request's owner approves its hours", field="shift_id", code="permission_denied"
            )
        minutes = domain.approved_minutes(
            shift.status,
            shift.starts_at,
            shift.ends_at,
            shift.checked_in_at,
            shift.checked_out_at,
            data["approved_minutes"],
        )
        points = domain.points_for_minutes(minutes)
        shift.status, shift.approved_minutes, shift.approved_at = "approved", minutes, at
        shift.approved_by, shift.points = principal.party_id, points
        uow.session.flush()
        uow.emit(
            "shift.completed",
            {
                "shift_id": shift.id,
                "request_id": request.id,
                "volunteer_id": shift.volunteer_id,
                "hours": (Decimal(minutes) / 60).quantize(Decimal("0.01")),
                "started_at": shift.checked_in_at,
                "ended_at": shift.checked_out_at,
                "contract_id": request.contract_id,
                "milestone_id": request.milestone_id,
            },
            community_id=request.community_id,
        )
        if points:
            _credit(
                uow,
                request.community_id,
                shift.volunteer_id,
                points,
                "hours",
                f"{domain.minutes_to_hours(minutes)} h: {request.title}"[:300],
                principal.party_id,
                at,
                shift_id=shift.id,
                request_id=request.id,
            )
        uow.commit()
        return shift


def _visible_shifts(uow: UnitOfWork, principal: Principal):
    """The condition on Shift of the shifts the party may see: a volunteer's own (and a leader's
    team's); the committee's community's; the owners' committee's compound's."""
    visible = Shift.request_id.in_(select(ServiceRequest.id).where(_visible_requests(uow, principal)))
    if principal.is_a(VOL):
        led = select(ServiceRequest.id).where(ServiceRequest.team_id.in_(_led_teams(uow, principal)))
        return and_(visible, or_(Shift.volunteer_id == principal.party_id, Shift.request_id.in_(led)))
    return visible


def list_shifts(uow: UnitOfWork, principal: Principal, request_ids: list[str] | None = None) -> list[Shift]:
    """A volunteer's own shifts (and a leader's team's); the committee's community's; the owners'
    committee's compound's."""
    with uow:
        query = select(Shift).where(_visible_shifts(uow, principal)).order_by(Shift.starts_at, Shift.id)
        if request_ids is not None:
            query = query.where(Shift.request_id.in_(request_ids))
        return list(uow.session.scalars(query))


def get_shifts(uow: UnitOfWork, principal: Principal, ids: list[str]) -> list[Shift]:
    """The shifts among ``ids`` the party may see (node(id:))."""
    with uow:
        query = select(Shift).where(Shift.id.in_(ids), _visible_shifts(uow, principal))
        return list(uow.session.scalars(query))


def calendar_shifts(uow: UnitOfWork, principal: Principal) -> list[dict]:
    """The volunteer's accepted shifts, for its iCalendar feed."""
    principal.require(VOL)
    with uow:
        rows = uow.session.execute(
            select(Shift, ServiceRequest.title, ServiceRequest.location)
            .join(ServiceRequest, ServiceRequest.id == Shift.request_id)
            .where(Shift.volunteer_id == principal.party_id, Shift.status.in_(domain.KEPT_SHIFT))
            .order_by(Shift.starts_at)
        )
        return [
            {
                "id": shift.id,
                "title": title,
                "location": location,
                "starts_at": shift.starts_at,
                "ends_at": shift.ends_at,
                "status": shift.status,
            }
            for shift, title, location in rows
        ]


# Time-driven rules: each idempotent, and each re-dispatches in the same unit of work --------


def expire_offers(uow: UnitOfWork, at: datetime | None = None) -> int:
    """Offers nobody answered in time lapse, and their places go to the next best."""
    at = at or now()
    with uow:
        due = list(
            uow.session.scalars(
                select(Offer)
                .where(Offer.status == "offered", Offer.respond_by < at)
                .with_for_update(of=Offer, skip_locked=True)
            )
        )
        for offer in due:
            offer.status, offer.responded_at = "expired", at
        uow.session.flush()
        communities = {
            c
            for (c,) in uow.session.execute(
                select(ServiceRequest.community_id).where(ServiceRequest.id.in_({o.request_id for o in due}))
            )
        }
        for community_id in sorted(communities):
            _redispatch(uow, community_id, at, "timer", "expired")
        uow.commit()
        return len(due)


def mark_no_shows(uow: UnitOfWork, at: datetime | None = None) -> int:
    """Accepted and not checked in 15 minutes after the start: a no-show, and the place is dispatched
    again."""
    at = at or now()
    with uow:
        due = list(
            uow.session.scalars(
                select(Shift)
                .where(Shift.status == "booked", Shift.starts_at <= at - domain.NO_SHOW_AFTER)
                .with_for_update(of=Shift, skip_locked=True)
            )
        )
        communities = set()
        for shift in due:
            shift.status = "no_show"
            request = uow.session.get(ServiceRequest, shift.request_id, with_for_update=True)
            communities.add(request.community_id)
            uow.session.flush()
            _settle_status(uow, request)
            uow.emit(
                "shift.missed",
                {
                    "shift_id": shift.id,
                    "request_id": request.id,
                    "volunteer_id": shift.volunteer_id,
                    "starts_at": shift.starts_at,
                },
                community_id=request.community_id,
            )
        for community_id in sorted(communities):
            _redispatch(uow, community_id, at, "timer", "no_show")
        uow.commit()
        return len(due)


def close_forgotten_check_outs(uow: UnitOfWork, at: datetime | None = None) -> int:
    """Checked in and never out: closed at the scheduled end and flagged for the owner's approval."""
    at = at or now()
    with uow:
        due = list(
            uow.session.scalars(
                select(Shift)
                .where(Shift.status == "checked_in", Shift.ends_at <= at - domain.FORGOTTEN_CHECK_OUT_AFTER)
                .with_for_update(of=Shift, skip_locked=True)
            )
        )
        for shift in due:
            shift.status, shift.checked_out_at, shift.auto_checked_out = "checked_out", shift.ends_at, True
        uow.commit()
        return len(due)


def report_unfilled_requests(uow: UnitOfWork, at: datetime | None = None) -> int:
    """A request still short of volunteers close to its start is announced once (meetings puts it on
    the next agenda; the committee sees it)."""
    at = at or now()
    with uow:
        candidates = list(
            uow.session.scalars(
                select(ServiceRequest)
                .where(
                    ServiceRequest.status == "open",
                    ServiceRequest.unfilled_reported_at.is_(None),
                    ServiceRequest.starts_at <= at + domain.UNFILLED_NOTICE,
                )
                .with_for_update(skip_locked=True)
            )
        )
        kept = _kept_counts(uow, [r.id for r in candidates])
        reported = 0
        for request in candidates:
            filled = kept.get(request.id, 0)
            if not domain.unfilled_report_due(
                request.starts_at, at, request.status, False, filled, request.places
            ):
                continue
            request.unfilled_reported_at = at
            reported += 1
            uow.emit(
                "service_request.went_unfilled",
                {
                    "request_id": request.id,
                    "title": request.title,
                    "starts_at": request.starts_at,
                    "places": request.places,
                    "filled": filled,
                },
                community_id=request.community_id,
            )
        uow.commit()
        return reported


# Points ledger --------------------------------------------------------------------------


def _post(
    uow: UnitOfWork,
    community_id: str,
    kind: str,
    memo: str,
    entries: list[tuple[str, int]],
    by: str,
    at,
    **refs,
) -> LedgerTransaction:
    """One double-entry posting, and each account's balance moved by its entry in the same transaction."""
    domain.check_posting(entries)
    transaction = LedgerTransaction(
        community_id=community_id, kind=kind, memo=memo, posted_by=by, posted_at=at, **refs
    )
    uow.session.add(transaction)
    uow.session.flush()
    for account_id, amount in entries:
        uow.session.add(LedgerEntry(transaction_id=transaction.id, account_id=account_id, amount=amount))
        uow.session.execute(
            update(LedgerAccount)
            .where(LedgerAccount.id == account_id)
            .values(balance=LedgerAccount.balance + amount)
            .execution_options(synchronize_session=False)
        )
    uow.session.flush()
    return transaction


def _credit(
    uow: UnitOfWork,
    community_id: str,
    volunteer_id: str,
    points: int,
    reason: str,
    memo: str,
    by: str,
    at,
    **refs,
) -> LedgerTransaction:
    account = _ensure_account(uow, "volunteer", community_id, volunteer_id)
    issued = _ensure_account(uow, "issued", community_id)
    transaction = _post(
        uow, community_id, reason, memo, domain.credit_posting(account, issued, points), by, at, **refs
    )
    balance = uow.session.scalar(select(LedgerAccount.balance).where(LedgerAccount.id == account))
    uow.emit(
        "points.credited",
        {
            "transaction_id": transaction.id,
            "volunteer_id": volunteer_id,
            "points": points,
            "reason": reason,
            "balance": balance,
            "shift_id": refs.get("shift_id"),
            "activity": refs.get("activity"),
        },
        community_id=community_id,
    )
    return transaction


def _credited_by_leaders(uow: UnitOfWork, account_id: str, at: datetime) -> int:
    """Activity points team leaders (volunteers) credited to this account on the community day of ``at``."""
    start, end = domain.community_day(at)
    return int(
        uow.session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.amount), 0))
            .join(LedgerTransaction)
            .where(
                LedgerEntry.account_id == account_id,
                LedgerTransaction.kind == "activity",
                LedgerTransaction.posted_at >= start,
                LedgerTransaction.posted_at < end,
                LedgerTransaction.posted_by.in_(select(Volunteer.id)),
            )
        )
    )


def credit_activity(uow: UnitOfWork, principal: Principal, data: dict, at: datetime | None = None) -> dict:
    """Points by quantity (bags of litter collected): the committee for anyone in its community, a team
    leader for its team's members but never itself, and up to a daily limit per volunteer."""
    principal.require(RC, VOL)
    at = at or now()
    with uow:
        volunteer_scope = _member_scope(uow, principal)
        if principal.is_a(VOL):
            led = select(TeamMember.volunteer_id).where(TeamMember.team_id.in_(_led_teams(uow, principal)))
            volunteer_scope = Volunteer.id.in_(led)
        volunteer = uow.session.scalar(
            select(Volunteer).where(Volunteer.id == data["volunteer_id"], volunteer_scope)
        )
        if volunteer is None or volunteer.community_id != principal.community_id:
            raise NotFound("no such volunteer", field="volunteer_id")
        if data["request_id"] is not None:
            request = _request(uow, principal, data["request_id"])
            if not _may_manage(uow, principal, request):
                raise NotFound("no such service request", field="request_id")
        points = data["quantity"] * data["points_per_unit"]
        account = _ensure_account(uow, "volunteer", volunteer.community_id, volunteer.id)
        # The volunteer's account row is locked: concurrent credits count each other's points.
        uow.session.scalar(select(LedgerAccount.id).where(LedgerAccount.id == account).with_for_update())
        domain.check_activity_credit(
            principal.is_a(RC),
            volunteer.id == principal.party_id,
            points,
            _credited_by_leaders(uow, account, at) if principal.is_a(VOL) else 0,
            domain.leader_credit_limit(),
        )
        transaction = _credit(
            uow,
            volunteer.community_id,
            volunteer.id,
            points,
            "activity",
            f"{data['quantity']} × {data['activity']}"[:300],
            principal.party_id,
            at,
            activity=data["activity"],
            quantity=data["quantity"],
            request_id=data["request_id"],
        )
        uow.commit()
        return {
            "id": transaction.id,
            "volunteer_id": volunteer.id,
            "points": points,
            "memo": transaction.memo,
            "posted_at": at,
        }


def points_account(uow: UnitOfWork, principal: Principal) -> dict:
    """The volunteer's balance and entries, newest first."""
    principal.require(VOL)
    with uow:
        account_id = _account_id("volunteer", principal.party_id)
        account = uow.session.get(LedgerAccount, account_id)
        entries = list(
            uow.session.scalars(
                select(LedgerEntry)
                .join(LedgerTransaction)
                .where(LedgerEntry.account_id == account_id)
                .order_by(LedgerTransaction.posted_at.desc(), LedgerEntry.id.desc())
            )
        )
        return {
            "volunteer_id": principal.party_id,
            "balance": account.balance if account else 0,
            "entries": entries,
        }


def ledger_summary(uow: UnitOfWork, principal: Principal) -> dict:
    """The committee's trial balance of its community's points."""
    principal.require(RC)
    with uow:
        return _trial_balance(uow, principal.community_id)


def _trial_balance(uow: UnitOfWork, community_id: str) -> dict:
    accounts = list(
        uow.session.scalars(select(LedgerAccount).where(LedgerAccount.community_id == community_id))
    )
    entry_sums = dict(
        uow.session.execute(
            select(LedgerEntry.account_id, func.sum(LedgerEntry.amount))
            .where(LedgerEntry.account_id.in_([a.id for a in accounts]))
            .group_by(LedgerEntry.account_id)
        )
        .tuples()
        .all()
    )
    posting_sums = uow.session.scalars(
        select(func.sum(LedgerEntry.amount))
        .join(LedgerTransaction)
        .where(LedgerTransaction.community_id == community_id)
        .group_by(LedgerEntry.transaction_id)
    )
    balances = {a.id: a.balance for a in accounts}
    by_kind: dict[str, int] = defaultdict(int)
    for account in accounts:
        by_kind[account.kind] += account.balance
    return {
        "issued": -by_kind["issued"],
        "redeemed": by_kind["redeemed"],
        "outstanding": by_kind["volunteer"],
        "balanced": domain.trial_balance(balances, {k: int(v) for k, v in entry_sums.items()}, posting_sums),
    }


def add_reward(uow: UnitOfWork, principal: Principal, data: dict) -> Reward:
    principal.require(RC)
    with uow:
        if uow.session.scalar(
            select(Reward.id).where(
                Reward.community_id == principal.community_id, Reward.name == data["name"]
            )
        ):
            raise Conflict("a reward of that name exists", field="name", code="duplicate")
        reward = Reward(community_id=principal.community_id, **data)
        uow.session.add(reward)
        uow.commit()
        return reward


def restock_reward(uow: UnitOfWork, principal: Principal, data: dict) -> Reward:
    principal.require(RC)
    with uow:
        reward = _locked(uow, Reward, data["reward_id"])
        if reward is None or reward.community_id != principal.community_id:
            raise NotFound("no such reward", field="reward_id")
        reward.stock += data["quantity"]
        uow.commit()
        return reward


def list_rewards(uow: UnitOfWork, principal: Principal, ids: list[str] | None = None) -> list[Reward]:
    with uow:
        if not principal.is_a(RC) and not principal.is_a(VOL):
            return []
        query = (
            select(Reward)
            .where(Reward.community_id == principal.community_id)
            .order_by(Reward.points, Reward.name)
        )
        if ids is not None:
            query = query.where(Reward.id.in_(ids))
        return list(uow.session.scalars(query))


def redeem_reward(
    uow: UnitOfWork, principal: Principal, data: dict, at: datetime | None = None
) -> Redemption:
    """Points for a reward from stock. The reward's row and then the volunteer's account are locked in
    that order, so concurrent redemptions queue instead of overdrawing either."""
    principal.require(VOL)
    at = at or now()
    with uow:
        reward = uow.session.scalar(
            select(Reward)
            .where(Reward.id == data["reward_id"], Reward.community_id == principal.community_id)
            .with_for_update(of=Reward)
            .execution_options(populate_existing=True)
        )
        if reward is None:
            raise NotFound("no such reward", field="reward_id")
        account_id = _ensure_account(uow, "volunteer", principal.community_id, principal.party_id)
        account = uow.session.scalar(
            select(LedgerAccount)
            .where(LedgerAccount.id == account_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        cost = domain.check_redemption(account.balance, reward.stock, reward.points, data["quantity"])
        reward.stock -= data["quantity"]
        redeemed = _ensure_account(uow, "redeemed", principal.community_id)
        transaction = _post(
            uow,
            principal.community_id,
            "redemption",
            f"{data['quantity']} × {reward.name}"[:300],
            domain.redemption_posting(account_id, redeemed, cost),
            principal.party_id,
            at,
        )
        redemption = Redemption(
            reward=reward,
            volunteer_id=principal.party_id,
            transaction_id=transaction.id,
            quantity=data["quantity"],
            points=cost,
            redeemed_at=at,
        )
        uow.session.add(redemption)
        uow.session.flush()
        uow.emit(
            "reward.redeemed",
            {
                "redemption_id": redemption.id,
                "volunteer_id": principal.party_id,
                "reward_id": reward.id,
                "reward_name": reward.name,
                "quantity": data["quantity"],
                "points": cost,
            },
            community_id=principal.community_id,
        )
        uow.commit()
        return redemption


def _visible_redemptions(principal: Principal):
    """A volunteer's own redemptions; the committee those of its community's rewards."""
    if principal.is_a(VOL):
        return Redemption.volunteer_id == principal.party_id
    if principal.is_a(RC):
        ours = select(Reward.id).where(Reward.community_id == principal.community_id)
        return Redemption.reward_id.in_(ours)
    return false()


def list_redemptions(uow: UnitOfWork, principal: Principal) -> list[Redemption]:
    with uow:
        if not (principal.is_a(VOL) or principal.is_a(RC)):
            return []
        query = select(Redemption).where(_visible_redemptions(principal))
        return list(uow.session.scalars(query.order_by(Redemption.redeemed_at.desc(), Redemption.id)))


def get_redemptions(uow: UnitOfWork, principal: Principal, ids: list[str]) -> list[Redemption]:
    """The redemptions among ``ids`` the party may see (node(id:))."""
    with uow:
        query = select(Redemption).where(Redemption.id.in_(ids), _visible_redemptions(principal))
        return list(uow.session.scalars(query))


# Reports --------------------------------------------------------------------------------


def hours_report(uow: UnitOfWork, principal: Principal, data: dict) -> list[dict]:
    """Approved hours by volunteer, team, request category or month: the committee's community, the
    owners' committee's compound, a volunteer's own."""
    with uow:
        query = (
            select(Shift, ServiceRequest.category, ServiceRequest.team_id, Team.name)
            .join(ServiceRequest, ServiceRequest.id == Shift.request_id)
            .outerjoin(Team, Team.id == ServiceRequest.team_id)
            .where(Shift.status == "approved", _visible_requests(uow, principal))
        )
        if principal.is_a(VOL):
            query = query.where(Shift.volunteer_id == principal.party_id)
        rows = [
            {
                "minutes": shift.approved_minutes,
                "volunteer": (shift.volunteer_id, shift.volunteer_name),
                "team": (team_id or "none", team_name or "(no team)"),
                "category": (category, category),
                "month": (domain.month_of(shift.starts_at),) * 2,
            }
            for shift, category, team_id, team_name in uow.session.execute(query)
        ]
        return domain.hours_report(rows, data["group_by"])
