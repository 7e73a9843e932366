"""The registry: volunteers as the committee keeps them, with the figures each list shows (points
balance, recent hours, no-shows, teams), and the community's buildings."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import Select, func, select

from services.volunteers import commands, domain
from services.volunteers.handlers import access
from services.volunteers.handlers.access import OC, RC, VOL
from services.volunteers.handlers.points import ensure_account
from services.volunteers.models import Building, LedgerAccount, Shift, TeamMember, Volunteer
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.errors import Conflict, InvalidInput
from shared.identity import Principal
from shared.paging import Listing, Page, PageRequest, asc, page_of
from shared.vocabulary.volunteers import ErrorCode, ShiftStatus

RECENT = timedelta(days=30)


def has_skill(skill: str):
    """Volunteers with this skill at any level (its key in their ``skills``), in SQLite and PostgreSQL
    alike."""
    if '"' in skill or "\\" in skill:  # a JSON path cannot name such a key on SQLite
        raise InvalidInput(
            [{"field": "filter.skill", "code": ErrorCode.INVALID, "message": "a skill without quotes"}]
        )
    return Volunteer.skills[skill].as_string().is_not(None)


VOLUNTEERS = Listing(
    id=Volunteer.id,
    orders={"name": [asc(Volunteer.name)]},
    default_order="name",
    filters={"skill": has_skill},
)
BUILDINGS = Listing(id=Building.id, orders={"name": [asc(Building.name)]}, default_order="name")


def enrol_volunteer(uow: UnitOfWork, clock: Clock, community_id: str, command: commands.RegisterVolunteer):
    """Operators' command, and the committee's: a volunteer who signs up at the community office."""
    with uow:
        access.building_of(uow, community_id, command.building_id)
        volunteer = Volunteer(
            community_id=community_id, registered_at=clock.now(), **commands.changes(command)
        )
        uow.add(volunteer)
        uow.flush()
        ensure_account(uow, domain.AccountKind.VOLUNTEER, community_id, volunteer.id)
        uow.emit(
            "volunteer.registered",
            {"volunteer_id": volunteer.id, "name": volunteer.name},
            community_id=community_id,
        )
        uow.commit()
        return with_figures(uow, clock, [volunteer])[0]


def register_volunteer(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.RegisterVolunteer
) -> Volunteer:
    principal.require(RC)
    assert principal.community_id is not None  # a committee has its community
    return enrol_volunteer(uow, clock, principal.community_id, command)


def find_volunteers(uow: UnitOfWork, clock: Clock, criteria: commands.FindVolunteers) -> list[Volunteer]:
    """Operators' commands: the volunteer with this id, or those of this name in a community."""
    with uow:
        query = select(Volunteer).order_by(Volunteer.registered_at, Volunteer.id)
        if criteria.id is not None:
            query = query.where(Volunteer.id == criteria.id)
        elif criteria.community_id is not None and criteria.name is not None:
            query = query.where(
                Volunteer.community_id == criteria.community_id, Volunteer.name == criteria.name
            )
        else:
            raise domain.invalid("criteria", "look a volunteer up by id, or by community_id and name")
        return with_figures(uow, clock, list(uow.session.scalars(query.limit(10))))


def update_volunteer(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.UpdateVolunteer
) -> Volunteer:
    """The committee keeps the registry: building, skills and levels, certificates, cap, identity."""
    principal.require(RC)
    with uow:
        volunteer = access.volunteer_in_community(
            uow, principal.community_id, command.volunteer_id, "volunteer_id"
        )
        access.building_of(uow, principal.community_id, command.building_id)
        for key, value in commands.changes(command, "volunteer_id").items():
            setattr(volunteer, key, value)
        uow.commit()
        return with_figures(uow, clock, [volunteer])[0]


def list_volunteers(uow: UnitOfWork, clock: Clock, principal: Principal, page: PageRequest) -> Page:
    with uow:
        query = select(Volunteer).where(access.visible_volunteers(uow, principal))
        found = page_of(uow.session, query, page, VOLUNTEERS)
        with_figures(uow, clock, found.rows, principal)
        return found


def get_volunteers(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[Volunteer]:
    with uow:
        query = select(Volunteer).where(Volunteer.id.in_(ids), access.visible_volunteers(uow, principal))
        return with_figures(uow, clock, list(uow.session.scalars(query)), principal)


def with_figures(
    uow: UnitOfWork, clock: Clock, volunteers: list[Volunteer], principal: Principal | None = None
) -> list[Volunteer]:
    """Each volunteer with its points balance, hours of the last 30 days, no-shows, and the teams
    (of those the party may see) it belongs to: four queries for the lot, whatever their number."""
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
    recent = recent_minutes(uow, ids, clock.now())
    missed = no_shows(uow, ids)
    teams: dict[str, list[str]] = defaultdict(list)
    memberships = select(TeamMember.team_id, TeamMember.volunteer_id).where(TeamMember.volunteer_id.in_(ids))
    if principal is not None and principal.is_a(VOL):
        memberships = memberships.where(TeamMember.team_id.in_(access.teams_of(uow, principal)))
    for team_id, volunteer_id in session.execute(memberships):
        teams[volunteer_id].append(team_id)
    for v in volunteers:
        v.points_balance = balances.get(v.id, 0)
        v.hours_last_30_days = domain.minutes_to_hours(recent.get(v.id, 0))
        v.no_shows = missed.get(v.id, 0)
        v.team_ids = sorted(teams[v.id])
    return volunteers


def recent_minutes(uow: UnitOfWork, volunteer_ids: list[str], at: datetime) -> dict[str, int]:
    """Minutes served in the last 30 days: approved as approved, awaiting approval as scheduled."""
    rows = uow.session.execute(
        select(
            Shift.volunteer_id, Shift.status, Shift.approved_minutes, Shift.starts_at, Shift.ends_at
        ).where(
            Shift.volunteer_id.in_(volunteer_ids),
            Shift.status.in_((ShiftStatus.CHECKED_OUT, ShiftStatus.APPROVED)),
            Shift.starts_at >= at - RECENT,
        )
    )
    minutes: dict[str, int] = defaultdict(int)
    for volunteer_id, status, approved, starts_at, ends_at in rows:
        minutes[volunteer_id] += (
            approved if status == ShiftStatus.APPROVED else int((ends_at - starts_at).total_seconds() // 60)
        )
    return minutes


def no_shows(uow: UnitOfWork, volunteer_ids: list[str]) -> dict[str, int]:
    return dict(
        uow.session.execute(
            select(Shift.volunteer_id, func.count())
            .where(Shift.volunteer_id.in_(volunteer_ids), Shift.status == ShiftStatus.NO_SHOW)
            .group_by(Shift.volunteer_id)
        )
        .tuples()
        .all()
    )


# Buildings ---------------------------------------------------------------------------------------


def add_building(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.AddBuilding
) -> Building:
    """The committee adds the community's buildings, the owners' committee its compound's."""
    principal.require(RC, OC)
    compound_id = principal.compound_id if principal.is_a(OC) else None
    with uow:
        taken = uow.session.scalar(
            select(Building.id).where(
                Building.community_id == principal.community_id, Building.name == command.name
            )
        )
        if taken:
            raise Conflict("a building of that name is registered", field="name", code=ErrorCode.DUPLICATE)
        building = Building(
            community_id=principal.community_id,
            compound_id=compound_id,
            name=command.name,
            x=command.x,
            y=command.y,
        )
        uow.add(building)
        uow.commit()
        return building


def _buildings(principal: Principal) -> Select:
    return select(Building).where(access.visible_buildings(principal))


def list_buildings(uow: UnitOfWork, clock: Clock, principal: Principal, page: PageRequest) -> Page:
    with uow:
        return page_of(uow.session, _buildings(principal), page, BUILDINGS)


def get_buildings(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[Building]:
    with uow:
        return list(uow.session.scalars(_buildings(principal).where(Building.id.in_(ids))))
