"""Use cases of the contracts service."""

from __future__ import annotations

from sqlalchemy import select

from services.contracts import domain
from services.contracts.models import Contract
from shared.db import UnitOfWork
from shared.events import Event
from shared.identity import PartyType, Principal


def draft_contract_from_award(uow: UnitOfWork, event: Event) -> Contract:
    """The award is final: draft the contract between the purchaser and the winner."""
    award = event.data
    with uow:
        contract = Contract(
            project_id=award["project_id"],
            ocid=award["ocid"],
            community_id=event.community_id,
            organisation_id=award["organisation_id"],
            organisation_name=award["organisation_name"],
            title=award["title"],
            value=award["value"],
            status="draft",
            awarded_at=award["awarded_at"],
        )
        uow.session.add(contract)
        uow.session.flush()
        uow.emit(
            "contract.drafted",
            {
                "contract_id": contract.id,
                "project_id": contract.project_id,
                "organisation_id": contract.organisation_id,
                "value": contract.value,
            },
            community_id=contract.community_id,
        )
        uow.commit()
        return contract


def list_contracts(uow: UnitOfWork, principal: Principal) -> list[Contract]:
    with uow:
        query = select(Contract).order_by(Contract.created_at.desc(), Contract.id)
        if principal.is_a(PartyType.SOCIAL_ORGANISATION):
            query = query.where(Contract.organisation_id == principal.party_id)
        elif principal.is_a(PartyType.RESIDENTS_COMMITTEE):
            query = query.where(Contract.community_id == principal.community_id)
        else:
            return []
        return list(uow.session.scalars(query))


def get_contracts(uow: UnitOfWork, principal: Principal, ids: list[str]) -> list[Contract]:
    with uow:
        found = uow.session.scalars(select(Contract).where(Contract.id.in_(ids)))
        return [c for c in found if domain.may_see_contract(principal, c.community_id, c.organisation_id)]
