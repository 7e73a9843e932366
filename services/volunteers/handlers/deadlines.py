"""Time-driven rules, run by the service's timers at the clock's time: each idempotent (a missed or
doubled tick does no harm), and each re-dispatches lost places in the same unit of work."""

from __future__ import annotations

from sqlalchemy import and_, select

from services.volunteers import domain
from services.volunteers.handlers.dispatch import redispatch
from services.volunteers.handlers.offers import settle_status
from services.volunteers.handlers.requests import kept_counts
from services.volunteers.models import Offer, ServiceRequest, Shift
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.vocabulary.volunteers import OfferStatus, RequestStatus, ShiftStatus


def expire_offers(uow: UnitOfWork, clock: Clock) -> int:
    """Offers nobody answered in time lapse, and their places go to the next best."""
    at = clock.now()
    with uow:
        due = list(
            uow.session.scalars(
                select(Offer)
                .where(Offer.status == OfferStatus.OFFERED, Offer.respond_by < at)
                .with_for_update(of=Offer, skip_locked=True)
            )
        )
        for offer in due:
            offer.status, offer.responded_at = OfferStatus.EXPIRED, at
        uow.flush()
        communities = set(
            uow.session.scalars(
                select(ServiceRequest.community_id).where(ServiceRequest.id.in_({o.request_id for o in due}))
            )
        )
        for community_id in sorted(communities):
            redispatch(uow, community_id, at, domain.TIMER, domain.RoundReason.EXPIRED)
        uow.commit()
        return len(due)


def mark_no_shows(uow: UnitOfWork, clock: Clock) -> int:
    """Accepted and not checked in 15 minutes after the start: a no-show, and the place is dispatched
    again."""
    at = clock.now()
    with uow:
        due = list(
            uow.session.scalars(
                select(Shift)
                .where(domain.is_no_show(Shift.status, Shift.starts_at, at, all_of=and_))
                .with_for_update(of=Shift, skip_locked=True)
            )
        )
        communities = set()
        for shift in due:
            shift.status = ShiftStatus.NO_SHOW
            request = uow.get(ServiceRequest, shift.request_id, lock=True)
            assert request is not None  # a shift's request stays
            communities.add(request.community_id)
            uow.flush()
            settle_status(uow, request)
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
            redispatch(uow, community_id, at, domain.TIMER, domain.RoundReason.NO_SHOW)
        uow.commit()
        return len(due)


def close_forgotten_check_outs(uow: UnitOfWork, clock: Clock) -> int:
    """Checked in and never out: closed at the scheduled end and flagged for the owner's approval."""
    at = clock.now()
    with uow:
        due = list(
            uow.session.scalars(
                select(Shift)
                .where(domain.forgotten_check_out(Shift.status, Shift.ends_at, at, all_of=and_))
                .with_for_update(of=Shift, skip_locked=True)
            )
        )
        for shift in due:
            shift.status, shift.checked_out_at, shift.auto_checked_out = (
                ShiftStatus.CHECKED_OUT,
                shift.ends_at,
                True,
            )
        uow.commit()
        return len(due)


def report_unfilled_requests(uow: UnitOfWork, clock: Clock) -> int:
    """A request still short of volunteers close to its start is announced once (meetings puts it on
    the next agenda; the committee sees it)."""
    at = clock.now()
    with uow:
        candidates = list(
            uow.session.scalars(
                select(ServiceRequest)
                .where(
                    ServiceRequest.status == RequestStatus.OPEN,
                    ServiceRequest.unfilled_reported_at.is_(None),
                    ServiceRequest.starts_at <= at + domain.UNFILLED_NOTICE,
                )
                .with_for_update(skip_locked=True)
            )
        )
        kept = kept_counts(uow, [r.id for r in candidates])
        reported = 0
        for request in candidates:
            filled = kept.get(request.id, 0)
            assert request.starts_at is not None  # an open request has its times
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
