"""Offers: the volunteer accepts (and is booked) or declines (and the place goes to the next best);
each party's view of them."""

from __future__ import annotations

from sqlalchemy import Select, select

from services.volunteers import commands, domain
from services.volunteers.handlers import access
from services.volunteers.handlers.access import VOL
from services.volunteers.handlers.dispatch import redispatch
from services.volunteers.handlers.requests import kept_counts
from services.volunteers.models import Offer, ServiceRequest, Shift
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.errors import NotFound
from shared.identity import Principal
from shared.metrics import OFFERS_ACCEPTED
from shared.paging import Listing, Page, PageRequest, asc, desc, equals, page_of
from shared.vocabulary.volunteers import ErrorCode, OfferStatus, RequestStatus, ShiftStatus

# Newest first; the places of one round in their order.
OFFERS = Listing(
    id=Offer.id,
    orders={"-offered_at": [desc(Offer.offered_at), asc(Offer.place)]},
    default_order="-offered_at",
    filters={"status": equals(Offer.status)},
)


def _own_offer(uow: UnitOfWork, principal: Principal, offer_id: str) -> Offer:
    principal.require(VOL)
    offer = uow.session.scalar(
        select(Offer)
        .where(Offer.id == offer_id, Offer.volunteer_id == principal.party_id)
        .with_for_update(of=Offer)
    )
    if offer is None:
        raise NotFound("no such offer", field="offer_id", code=ErrorCode.NOT_FOUND)
    return offer


def respond_to_offer(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.RespondToOffer
) -> Offer | Shift:
    """Accepting answers with the booked shift, declining with the offer."""
    if command.accept:
        return accept_offer(uow, clock, principal, command)
    return decline_offer(uow, clock, principal, command)


def accept_offer(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.RespondToOffer
) -> Shift:
    at = clock.now()
    with uow:
        offer = _own_offer(uow, principal, command.offer_id)
        domain.check_response(offer.status, offer.respond_by, at)
        request = uow.get(ServiceRequest, offer.request_id, lock=True)
        assert request is not None  # an offer's request stays
        offer.status, offer.responded_at = OfferStatus.ACCEPTED, at
        shift = Shift(
            request_id=offer.request_id,
            volunteer=offer.volunteer,
            offer_id=offer.id,
            starts_at=offer.starts_at,
            ends_at=offer.ends_at,
            status=ShiftStatus.BOOKED,
            assigned_at=at,
        )
        uow.add(shift)
        uow.flush()
        uow.emit(
            "volunteer.assigned",
            {"assignment_id": shift.id, "request_id": request.id, "volunteer_id": offer.volunteer_id},
            community_id=request.community_id,
        )
        settle_status(uow, request)
        uow.commit()
        OFFERS_ACCEPTED.inc()
        return shift


def settle_status(uow: UnitOfWork, request: ServiceRequest) -> None:
    """Filled once every place has a kept shift, open again when one is lost; filling is announced."""
    kept = kept_counts(uow, [request.id]).get(request.id, 0)
    before, request.status = request.status, domain.status_after_change(request.status, request.places, kept)
    if request.status == RequestStatus.FILLED and before != RequestStatus.FILLED:
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


def decline_offer(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.RespondToOffer
) -> Offer:
    """Declined: the place goes to the next best at once, in the same unit of work."""
    at = clock.now()
    with uow:
        offer = _own_offer(uow, principal, command.offer_id)
        domain.check_response(offer.status, offer.respond_by, at)
        offer.status, offer.responded_at, offer.decline_reason = OfferStatus.DECLINED, at, command.reason
        uow.flush()
        assert principal.community_id is not None  # a volunteer belongs to its community
        redispatch(uow, principal.community_id, at, principal.party_id, domain.RoundReason.DECLINED)
        uow.commit()
        return offer


def _offers(uow: UnitOfWork, principal: Principal) -> Select:
    return select(Offer).where(access.visible_offers(uow, principal))


def list_offers(uow: UnitOfWork, clock: Clock, principal: Principal, page: PageRequest) -> Page:
    """A volunteer's own offers (and a leader's team's); the committee its community's; the owners'
    committee its compound's (as it sees their shifts)."""
    with uow:
        return page_of(uow.session, _offers(uow, principal), page, OFFERS)


def offers_of_requests(
    uow: UnitOfWork, clock: Clock, principal: Principal, request_ids: list[str]
) -> list[Offer]:
    """The offers of these requests the party may see (a request's ``offers``), in one query."""
    with uow:
        query = _offers(uow, principal).where(Offer.request_id.in_(request_ids))
        return list(uow.session.scalars(query.order_by(Offer.offered_at.desc(), Offer.place, Offer.id)))


def get_offers(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[Offer]:
    """The offers among ``ids`` the party may see (node(id:))."""
    with uow:
        return list(uow.session.scalars(_offers(uow, principal).where(Offer.id.in_(ids))))
