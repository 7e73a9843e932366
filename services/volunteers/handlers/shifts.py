"""Shifts: the volunteer checks in and out of its own; each party's view; the calendar feed."""

from __future__ import annotations

from sqlalchemy import Select, select

from services.volunteers import commands, domain
from services.volunteers.handlers import access
from services.volunteers.handlers.access import VOL
from services.volunteers.models import ServiceRequest, Shift
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.errors import NotFound
from shared.identity import Principal
from shared.paging import Listing, Page, PageRequest, asc, equals, page_of
from shared.vocabulary.volunteers import ErrorCode, ShiftStatus

SHIFTS = Listing(
    id=Shift.id,
    orders={"starts_at": [asc(Shift.starts_at)]},
    default_order="starts_at",
    filters={"status": equals(Shift.status)},
)


def own_shift(uow: UnitOfWork, principal: Principal, shift_id: str) -> Shift:
    principal.require(VOL)
    shift = uow.session.scalar(
        select(Shift)
        .where(Shift.id == shift_id, Shift.volunteer_id == principal.party_id)
        .with_for_update(of=Shift)
    )
    if shift is None:
        raise NotFound("no such shift", field="shift_id", code=ErrorCode.NOT_FOUND)
    return shift


def check_in(uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.CheckIn) -> Shift:
    at = clock.now()
    with uow:
        shift = own_shift(uow, principal, command.shift_id)
        domain.check_check_in(shift.status, shift.starts_at, shift.ends_at, at)
        shift.status, shift.checked_in_at = ShiftStatus.CHECKED_IN, at
        uow.commit()
        return shift


def check_out(uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.CheckOut) -> Shift:
    at = clock.now()
    with uow:
        shift = own_shift(uow, principal, command.shift_id)
        domain.check_check_out(shift.status)
        shift.status, shift.checked_out_at = ShiftStatus.CHECKED_OUT, at
        uow.commit()
        return shift


def _shifts(uow: UnitOfWork, principal: Principal) -> Select:
    return select(Shift).where(access.visible_shifts(uow, principal))


def list_shifts(uow: UnitOfWork, clock: Clock, principal: Principal, page: PageRequest) -> Page:
    """A volunteer's own shifts (and a leader's team's); the committee's community's; the owners'
    committee's compound's."""
    with uow:
        return page_of(uow.session, _shifts(uow, principal), page, SHIFTS)


def shifts_of_requests(
    uow: UnitOfWork, clock: Clock, principal: Principal, request_ids: list[str]
) -> list[Shift]:
    """The shifts of these requests the party may see (a request's ``shifts``), in one query."""
    with uow:
        query = _shifts(uow, principal).where(Shift.request_id.in_(request_ids))
        return list(uow.session.scalars(query.order_by(Shift.starts_at, Shift.id)))


def get_shifts(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[Shift]:
    """The shifts among ``ids`` the party may see (node(id:))."""
    with uow:
        return list(uow.session.scalars(_shifts(uow, principal).where(Shift.id.in_(ids))))


def calendar_shifts(uow: UnitOfWork, clock: Clock, principal: Principal) -> list[dict]:
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
