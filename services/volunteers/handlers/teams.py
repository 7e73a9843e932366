"""Volunteer service teams (服务队): the committee forms them and names their leaders."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Select, select

from services.volunteers import commands
from services.volunteers.handlers import access
from services.volunteers.handlers.access import RC
from services.volunteers.models import Team, TeamMember
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.errors import Conflict, NotFound
from shared.identity import Principal
from shared.paging import Listing, Page, PageRequest, asc, page_of
from shared.vocabulary.volunteers import ErrorCode

TEAMS = Listing(id=Team.id, orders={"name": [asc(Team.name)]}, default_order="name")


def _set_members(uow: UnitOfWork, principal: Principal, team: Team, member_ids: list[str]) -> None:
    wanted = {team.leader_id, *member_ids}
    for volunteer_id in sorted(wanted):
        access.volunteer_in_community(uow, principal.community_id, volunteer_id, "member_ids")
    current = set(uow.session.scalars(select(TeamMember.volunteer_id).where(TeamMember.team_id == team.id)))
    for gone in current - wanted:
        uow.session.delete(uow.get(TeamMember, (team.id, gone)))
    for new in wanted - current:
        uow.add(TeamMember(team_id=team.id, volunteer_id=new))


def create_team(uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.CreateTeam) -> Team:
    principal.require(RC)
    with uow:
        access.volunteer_in_community(uow, principal.community_id, command.leader_id, "leader_id")
        if uow.session.scalar(
            select(Team.id).where(Team.community_id == principal.community_id, Team.name == command.name)
        ):
            raise Conflict("a team of that name exists", field="name", code=ErrorCode.DUPLICATE)
        team = Team(
            community_id=principal.community_id,
            name=command.name,
            leader_id=command.leader_id,
            created_at=clock.now(),
        )
        uow.add(team)
        uow.flush()
        _set_members(uow, principal, team, command.member_ids)
        uow.commit()
        return with_members(uow, [team], principal)[0]


def update_team(uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.UpdateTeam) -> Team:
    principal.require(RC)
    with uow:
        team = access.locked(uow, Team, command.team_id)
        if team is None or team.community_id != principal.community_id:
            raise NotFound("no such team", field="team_id", code=ErrorCode.NOT_FOUND)
        if command.leader_id is not None:
            team.leader_id = access.volunteer_in_community(
                uow, principal.community_id, command.leader_id, "leader_id"
            ).id
        if command.name is not None:
            team.name = command.name
        uow.flush()
        members = command.member_ids
        if members is None:
            members = list(
                uow.session.scalars(select(TeamMember.volunteer_id).where(TeamMember.team_id == team.id))
            )
        _set_members(uow, principal, team, members)
        uow.commit()
        return with_members(uow, [team], principal)[0]


def _teams(uow: UnitOfWork, principal: Principal) -> Select:
    return select(Team).where(access.visible_teams(uow, principal))


def list_teams(uow: UnitOfWork, clock: Clock, principal: Principal, page: PageRequest) -> Page:
    with uow:
        found = page_of(uow.session, _teams(uow, principal), page, TEAMS)
        with_members(uow, found.rows, principal)
        return found


def get_teams(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[Team]:
    with uow:
        teams = list(uow.session.scalars(_teams(uow, principal).where(Team.id.in_(ids))))
        return with_members(uow, teams, principal)


def with_members(uow: UnitOfWork, teams: list[Team], principal: Principal) -> list[Team]:
    """Each team with its members, in one query; a volunteer who does not lead it sees itself among
    them only."""
    led = access.led_teams(uow, principal)
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
