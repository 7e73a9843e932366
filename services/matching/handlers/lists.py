"""The community's demand list (需求清单) and the joint-building units' resource lists (资源清单):
entries listed, claimed by the other side, confirmed into a match, delivered."""

from __future__ import annotations

from sqlalchemy import select

from services.matching import commands, domain
from services.matching.handlers.access import claim_scope, entry_scope
from services.matching.models import Claim, ListEntry
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.errors import Conflict, NotFound, PermissionDenied
from shared.identity import Principal
from shared.paging import Listing, Page, PageRequest, desc, equals, page_of
from shared.vocabulary.matching import ClaimStatus, EntryStatus, ErrorCode

ENTRIES = Listing(
    id=ListEntry.id,
    orders={"-created_at": [desc(ListEntry.created_at)]},
    default_order="-created_at",  # the newest first
    filters={
        "kind": equals(ListEntry.kind),
        "status": equals(ListEntry.status),
        "category": equals(ListEntry.category),
    },
)


def add_entry(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.AddListEntry
) -> ListEntry:
    """The committee lists a demand, a joint-building unit a resource."""
    domain.check_listing(command.kind, principal.party_type.value)
    with uow:
        entry = ListEntry(
            community_id=principal.community_id,
            kind=command.kind,
            title=command.title,
            description=command.description,
            category=command.category,
            owner_id=principal.party_id,
            owner_type=principal.party_type.value,
            origin=command.origin,
            status=EntryStatus.OPEN,
            created_at=clock.now(),
        )
        uow.add(entry)
        uow.commit()
        return entry


def list_entries(uow: UnitOfWork, clock: Clock, principal: Principal, page: PageRequest) -> Page:
    with uow:
        return page_of(uow.session, select(ListEntry).where(entry_scope(principal)), page, ENTRIES)


def get_entries(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[ListEntry]:
    with uow:
        query = select(ListEntry).where(ListEntry.id.in_(ids), entry_scope(principal))
        return list(uow.session.scalars(query.order_by(ListEntry.created_at.desc(), ListEntry.id)))


def claim_entry(uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.ClaimEntry) -> Claim:
    with uow:
        entry = uow.session.scalar(
            select(ListEntry).where(ListEntry.id == command.entry_id, entry_scope(principal))
        )
        if entry is None:
            raise NotFound("no such entry", field="entry_id")
        domain.check_claim(
            entry.kind, entry.status, principal.party_type.value, entry.owner_id, principal.party_id
        )
        if uow.session.scalar(
            select(Claim.id).where(Claim.entry_id == entry.id, Claim.claimant_id == principal.party_id)
        ):
            raise Conflict("you have claimed this entry already", field="entry_id", code=ErrorCode.DUPLICATE)
        claim = Claim(
            entry_id=entry.id,
            claimant_id=principal.party_id,
            claimant_type=principal.party_type.value,
            note=command.note,
            status=ClaimStatus.PENDING,
            deliveries=[],
            created_at=clock.now(),
        )
        uow.add(claim)
        uow.commit()
        return claim


def _claim_and_entry(uow: UnitOfWork, principal: Principal, claim_id: str) -> tuple[Claim, ListEntry]:
    claim = uow.get(Claim, claim_id, lock=True)
    entry = uow.get(ListEntry, claim.entry_id) if claim else None
    if claim is None or entry is None or principal.party_id not in (entry.owner_id, claim.claimant_id):
        raise NotFound("no such claim", field="claim_id")
    return claim, entry


def decide_claim(uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.DecideClaim) -> Claim:
    """The entry's owner confirms a claim (a match; the other claims are declined) or declines it."""
    with uow:
        claim, entry = _claim_and_entry(uow, principal, command.claim_id)
        if entry.owner_id != principal.party_id:
            raise PermissionDenied("only the entry's owner confirms a claim", field="claim_id")
        domain.check_claim_decision(claim.status, entry.status)
        at = clock.now()
        claim.status = ClaimStatus.CONFIRMED if command.confirm else ClaimStatus.DECLINED
        claim.decided_at = at
        if command.confirm:
            entry.status = EntryStatus.MATCHED
            for other in uow.session.scalars(
                select(Claim).where(
                    Claim.entry_id == entry.id, Claim.id != claim.id, Claim.status == ClaimStatus.PENDING
                )
            ):
                other.status, other.decided_at = ClaimStatus.DECLINED, at
        uow.commit()
        return claim


def record_delivery(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.RecordDelivery
) -> Claim:
    """Either side of a match records what was delivered; the owner may close the entry as delivered."""
    with uow:
        claim, entry = _claim_and_entry(uow, principal, command.claim_id)
        if claim.status != ClaimStatus.CONFIRMED:
            raise Conflict(
                "only a confirmed match is delivered", field="claim_id", code=ErrorCode.NOT_MATCHED
            )
        claim.deliveries = [
            *claim.deliveries,
            {"at": clock.now().isoformat(), "by": principal.party_id, "note": command.note},
        ]
        if command.completed:
            if entry.owner_id != principal.party_id:
                raise PermissionDenied("only the entry's owner closes it as delivered", field="claim_id")
            entry.status = EntryStatus.DELIVERED
        uow.commit()
        return claim


def list_claims(uow: UnitOfWork, clock: Clock, principal: Principal, entry_ids: list[str]) -> list[Claim]:
    """An entry's owner sees every claim on it; a claimant sees its own; the committee those on its
    community's entries."""
    with uow:
        query = (
            select(Claim)
            .join(ListEntry, ListEntry.id == Claim.entry_id)
            .where(Claim.entry_id.in_(entry_ids), claim_scope(principal))
        )
        return list(uow.session.scalars(query.order_by(Claim.created_at, Claim.id)))


def get_claims(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[Claim]:
    """Claims by id: those the party sees, on entries it sees."""
    with uow:
        query = (
            select(Claim)
            .join(ListEntry, ListEntry.id == Claim.entry_id)
            .where(Claim.id.in_(ids), claim_scope(principal), entry_scope(principal))
        )
        return list(uow.session.scalars(query.order_by(Claim.created_at, Claim.id)))
