"""Approved hours: the request's owner approves a checked-out shift, which earns its points."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from services.volunteers import commands, domain
from services.volunteers.handlers import access
from services.volunteers.handlers.access import OC, RC, VOL
from services.volunteers.handlers.points import credit
from services.volunteers.models import ServiceRequest, Shift
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.errors import NotFound, PermissionDenied
from shared.identity import Principal
from shared.vocabulary.volunteers import ErrorCode, ShiftStatus


def approve_hours(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.ApproveHours
) -> Shift:
    """The request's owner approves the hours: the shift is completed and earns points, in one posting."""
    principal.require(RC, OC, VOL)
    at = clock.now()
    with uow:
        # A shift the party may not see (another community's, or another volunteer's on a request it
        # was only offered) answers as one that does not exist.
        visible = uow.session.scalar(
            select(Shift.id).where(Shift.id == command.shift_id, access.visible_shifts(uow, principal))
        )
        shift = visible and access.locked(uow, Shift, visible)
        request = shift and uow.get(ServiceRequest, shift.request_id)
        if not shift or not request:
            raise NotFound("no such shift", field="shift_id", code=ErrorCode.NOT_FOUND)
        if not access.is_owner(uow, principal, request):
            raise PermissionDenied(
                "only the request's owner approves its hours",
                field="shift_id",
                code=ErrorCode.PERMISSION_DENIED,
            )
        minutes = domain.approved_minutes(
            shift.status,
            shift.starts_at,
            shift.ends_at,
            shift.checked_in_at,
            shift.checked_out_at,
            command.approved_minutes,
        )
        points = domain.points_for_minutes(minutes)
        shift.status, shift.approved_minutes, shift.approved_at = ShiftStatus.APPROVED, minutes, at
        shift.approved_by, shift.points = principal.party_id, points
        uow.flush()
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
            credit(
                uow,
                request.community_id,
                shift.volunteer_id,
                points,
                domain.PostingKind.HOURS,
                f"{domain.minutes_to_hours(minutes)} h: {request.title}"[:300],
                principal.party_id,
                at,
                shift_id=shift.id,
                request_id=request.id,
            )
        uow.commit()
        return shift
