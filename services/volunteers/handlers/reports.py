"""Reports: approved hours by volunteer, team, request category or month."""

from __future__ import annotations

from sqlalchemy import select

from services.volunteers import commands, domain
from services.volunteers.handlers import access
from services.volunteers.handlers.access import VOL
from services.volunteers.models import ServiceRequest, Shift, Team
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.identity import Principal
from shared.vocabulary.volunteers import ShiftStatus


def hours_report(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.HoursReport
) -> list[dict]:
    """Approved hours by volunteer, team, request category or month: the committee's community, the
    owners' committee's compound, a volunteer's own."""
    with uow:
        query = (
            select(Shift, ServiceRequest.category, ServiceRequest.team_id, Team.name)
            .join(ServiceRequest, ServiceRequest.id == Shift.request_id)
            .outerjoin(Team, Team.id == ServiceRequest.team_id)
            .where(Shift.status == ShiftStatus.APPROVED, access.visible_requests(uow, principal))
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
        return domain.hours_report(rows, command.group_by)
