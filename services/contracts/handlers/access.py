"""Who may reach which contract, as one rule read two ways: in Python for the contract at hand
(``domain.may_see_contract``) and in SQL for lists and lookups (``visible``); a service test
holds the two to the same answers. Also what every use case shares: finding the contract for a
party, its side, and the log of who moved it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import and_, exists, false, or_, select
from sqlalchemy.sql.elements import ColumnElement

from services.contracts import domain
from services.contracts.models import Contract, ContractCompound, Transition
from shared import config
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.errors import NotFound, PermissionDenied
from shared.identity import PartyType, Principal
from shared.vocabulary.contracts import Side


def approval_threshold() -> Decimal:
    """Contracts (and amendments) worth more than this need the sub-district office's approval."""
    return config.settings().approval_threshold


def today(clock: Clock) -> date:
    """The date where the community lives."""
    return clock.now().astimezone(config.community_zone()).date()


def visible(principal: Principal, contract: type[Contract] = Contract) -> ColumnElement[bool]:
    """The condition on Contract (or on ``contract``, an alias of it) of the contracts the party
    sees: ``domain.may_see_contract`` in SQL.

    An owners' committee sees its community's contracts that serve its compound, or serve the
    whole community (no compound rows at all).
    """
    if principal.is_a(PartyType.SOCIAL_ORGANISATION):
        return contract.organisation_id == principal.party_id
    if principal.is_a(PartyType.RESIDENTS_COMMITTEE) and principal.community_id is not None:
        return contract.community_id == principal.community_id
    if principal.is_a(PartyType.STREET_OFFICE) and principal.district_id is not None:
        return contract.district_id == principal.district_id
    if principal.is_a(PartyType.OWNERS_COMMITTEE) and principal.community_id is not None:
        served = select(ContractCompound.contract_id).where(ContractCompound.contract_id == contract.id)
        if principal.compound_id is None:
            return and_(contract.community_id == principal.community_id, ~exists(served))
        serves_mine = exists(served.where(ContractCompound.compound_id == principal.compound_id))
        return and_(contract.community_id == principal.community_id, or_(~exists(served), serves_mine))
    return false()


def may_see(principal: Principal, contract: Contract) -> bool:
    return domain.may_see_contract(
        principal,
        contract.community_id,
        contract.organisation_id,
        district_id=contract.district_id,
        compound_ids=contract.compound_ids,
    )


def contract_for(uow: UnitOfWork, principal: Principal, contract_id: str, lock: bool = True) -> Contract:
    """The contract the party acts on, locked for the change; one it may not see is unknown."""
    contract = uow.get(Contract, contract_id, lock=lock)
    if contract is None or not may_see(principal, contract):
        raise NotFound("no such contract", field="contract_id")
    return contract


def side_of(principal: Principal, contract: Contract) -> Side:
    side = domain.signing_side(
        principal,
        purchaser_id=contract.purchaser_id or "",
        organisation_id=contract.organisation_id,
        purchaser_type=contract.purchaser_type,
        district_id=contract.district_id,
    )
    if side is None:
        raise PermissionDenied("only the purchaser's agent or the provider does this", field="contract_id")
    return side


def require_purchaser(principal: Principal, contract: Contract) -> None:
    if side_of(principal, contract) != Side.PURCHASER:
        raise PermissionDenied("this is for the purchaser's agent", field="contract_id")


def require_approver(principal: Principal, contract: Contract) -> None:
    if not domain.may_approve(principal, contract.district_id):
        raise PermissionDenied("the sub-district office approves", field="contract_id")


def log_step(
    uow: UnitOfWork,
    clock: Clock,
    contract: Contract,
    principal: Principal,
    action: str,
    to_status: str,
    note: str | None = None,
) -> None:
    """Record who moved the contract (or one of its amendments), and move it."""
    uow.add(
        Transition(
            contract_id=contract.id,
            action=action,
            from_status=contract.status,
            to_status=to_status,
            party_type=principal.party_type.value,
            party_id=principal.party_id,
            account_id=principal.account_id,
            note=note,
            at=clock.now(),
        )
    )
    contract.status = to_status


def emit_contract(uow: UnitOfWork, contract: Contract, event_type: str) -> None:
    uow.emit(
        event_type,
        {
            "contract_id": contract.id,
            "ocid": contract.ocid,
            "title": contract.title,
            "organisation_id": contract.organisation_id,
            "value": contract.value,
            "status": contract.status,
            "reason": contract.ended_reason,
        },
        community_id=contract.community_id,
    )
