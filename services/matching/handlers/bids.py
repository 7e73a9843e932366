"""Sealed bids: submitted, amended and withdrawn before the deadline under the project's lock,
read by nobody but their bidder until the opening (``access.readable_bids``)."""

from __future__ import annotations

from sqlalchemy import select

from services.matching import commands, domain
from services.matching.handlers.access import (
    eligible,
    organisation_of,
    project_scope,
    readable_bids,
    today,
    visible_project,
)
from services.matching.handlers.evaluation import ranked_bids
from services.matching.models import Bid, opened_bids
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.errors import Conflict, NotFound
from shared.identity import PartyType, Principal
from shared.metrics import BIDS_SUBMITTED
from shared.vocabulary.matching import BidStatus, ErrorCode


def submit_bid(uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.SubmitBid) -> Bid:
    """Submit or amend this organisation's bid; the receipt is the content's digest.

    The project's row is locked first, as the opening locks it: a bid commits before the opening
    (counted, its digest published) or waits for it and is refused as past the deadline, judged
    once the lock is held; the terms cannot change under it either."""
    principal.require(PartyType.SOCIAL_ORGANISATION)
    with uow:
        project = visible_project(uow, clock, principal, command.project_id, lock=True)
        at = clock.now()
        domain.check_bid(project.status, project.bid_deadline, at, command.price, project.budget)
        if not eligible(organisation_of(uow, principal), project, project.district_id, today(clock)):
            # It sees the project through a bid it made while eligible (suspended since, say).
            raise Conflict(
                "your organisation is not eligible for this project now (its filing, categories, "
                "communities or qualifications)",
                field="project_id",
                code=ErrorCode.NOT_ELIGIBLE,
            )
        bid = uow.session.scalar(
            select(Bid).where(Bid.project_id == project.id, Bid.organisation_id == principal.party_id)
        )
        if bid is None:
            bid = Bid(project_id=project.id, organisation_id=principal.party_id)
            uow.add(bid)
        bid.price = command.price
        bid.plan, bid.team, bid.timeline = command.plan, command.team, command.timeline
        bid.submitted_at = at
        # Also reconfirms a bid after the terms changed, or renews a withdrawn one.
        bid.status = domain.VALID_BID
        bid.digest = domain.bid_digest(
            project.id, principal.party_id, command.price, command.plan, command.team, command.timeline
        )
        # No event: that a bid exists is itself sealed until the deadline.
        uow.commit()
        BIDS_SUBMITTED.inc()  # a count over all projects, which names none
        return bid


def withdraw_bid(uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.WithdrawBid) -> Bid:
    """An organisation withdraws its bid before the deadline (it may submit again until then). The
    project's row is locked as for a submission: a withdrawal commits before the opening or not at
    all. A withdrawn bid stays sealed for ever."""
    principal.require(PartyType.SOCIAL_ORGANISATION)
    with uow:
        project = visible_project(uow, clock, principal, command.project_id, lock=True)
        bid = uow.session.scalar(
            select(Bid).where(Bid.project_id == project.id, Bid.organisation_id == principal.party_id)
        )
        if bid is None or bid.status == BidStatus.WITHDRAWN:
            raise NotFound("you have no bid on this project", field="project_id")
        domain.check_still_sealed(project.bid_deadline, clock.now())
        bid.status = BidStatus.WITHDRAWN
        uow.commit()
        return bid


def list_bids(
    uow: UnitOfWork, clock: Clock, principal: Principal, project_ids: list[str] | None = None
) -> list[Bid]:
    """An organisation reads its own bids, withdrawn ones included; the committee reads its
    projects' valid bids once they are opened, and never a withdrawn or unconfirmed one."""
    query = readable_bids(principal, project_ids)
    if query is None:
        return []
    with uow:
        return list(uow.session.scalars(query.order_by(Bid.submitted_at, Bid.id)))


def get_bids(
    uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]
) -> tuple[list[Bid], list[Bid]]:
    """The bids of these ids the party reads in full (its own; the committee's opened valid bids),
    and those it sees only as ranked results, without their plan, team and timeline."""
    with uow:
        readable = readable_bids(principal)
        full = [] if readable is None else list(uow.session.scalars(readable.where(Bid.id.in_(ids))))
        rest = sorted(set(ids) - {b.id for b in full})
        ranked = []
        if rest:
            ranked = list(uow.session.scalars(ranked_bids(uow, clock, principal).where(Bid.id.in_(rest))))
        return full, ranked


def bid_digests(uow: UnitOfWork, clock: Clock, principal: Principal, project_ids: list[str]) -> list[dict]:
    """Once bids are opened, the digests of the valid ones, for anyone who sees the project to check
    against the bidders' receipts. Sorted, so that their order says nothing."""
    with uow:
        seen = opened_bids(project_ids, project_scope(uow, clock, principal))
        rows = uow.session.execute(seen.with_only_columns(Bid.project_id, Bid.digest))
        return [{"project_id": p, "digest": d} for p, d in sorted(rows.tuples())]
