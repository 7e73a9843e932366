"""The terms as they are kept: each version's changes in their stored (JSON) form, the terms in
force, the milestones and compounds that follow from them, and what has been paid."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import delete, select

from services.contracts import domain
from services.contracts.models import Contract, ContractCompound, Milestone, Payment, TermsVersion
from shared.db import UnitOfWork
from shared.errors import Conflict
from shared.vocabulary.contracts import ErrorCode, MilestoneStatus


def terms_to_wire(terms: dict) -> dict:
    wire = {}
    for name, value in terms.items():
        if name == "milestones":
            value = [{**m, "share": str(m["share"]), "due_on": m["due_on"].isoformat()} for m in value]
        elif isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, date):
            value = value.isoformat()
        wire[name] = value
    return wire


def terms_from_wire(wire: dict) -> dict:
    terms = dict(wire)
    if "value" in terms:
        terms["value"] = Decimal(terms["value"])
    for name in ("period_start", "period_end"):
        if name in terms:
            terms[name] = date.fromisoformat(terms[name])
    if "milestones" in terms:
        terms["milestones"] = [
            {**m, "share": Decimal(m["share"]), "due_on": date.fromisoformat(m["due_on"])}
            for m in terms["milestones"]
        ]
    return terms


def versions_of(uow: UnitOfWork, contract: Contract) -> list[TermsVersion]:
    return list(
        uow.session.scalars(
            select(TermsVersion).where(TermsVersion.contract_id == contract.id).order_by(TermsVersion.number)
        )
    )


def terms_in_force(uow: UnitOfWork, contract: Contract) -> dict:
    versions = versions_of(uow, contract)
    if not versions:
        raise Conflict(
            "the purchaser has not set the terms yet", field="contract_id", code=ErrorCode.NO_TERMS
        )
    return domain.current_terms(
        [{"number": v.number, "status": v.status, "changes": terms_from_wire(v.changes)} for v in versions]
    )


def keyed(milestones: list[dict], taken: set[str]) -> list[dict]:
    """Give new milestones a key that names them across amendments."""
    keyed, n = [], 0
    for milestone in milestones:
        milestone = dict(milestone)
        if not milestone.get("key"):
            n += 1
            while f"m{n}" in taken:
                n += 1
            milestone["key"] = f"m{n}"
            taken.add(milestone["key"])
        keyed.append(milestone)
    return keyed


def sync_milestones(uow: UnitOfWork, contract: Contract, milestones: list[dict]) -> None:
    """The milestone rows as the terms in force say them."""
    existing = {
        m.key: m for m in uow.session.scalars(select(Milestone).where(Milestone.contract_id == contract.id))
    }
    for term in milestones:
        milestone = existing.pop(term["key"], None)
        if milestone is None:
            milestone = Milestone(
                contract_id=contract.id, key=term["key"], status=MilestoneStatus.PENDING, evidence=[]
            )
            uow.add(milestone)
        milestone.title, milestone.due_on = term["title"], term["due_on"]
        milestone.criteria, milestone.share = term["criteria"], term["share"]
        milestone.volunteer_skill = term.get("volunteer_skill")
        milestone.volunteer_places = term.get("volunteer_places")
    for gone in existing.values():  # only unpaid milestones can be dropped (the domain checks)
        uow.session.delete(gone)


def serve_compounds(uow: UnitOfWork, contract: Contract, compound_ids: list[str]) -> None:
    """The compounds the contract serves, on the contract and as rows (what the lists read)."""
    contract.compound_ids = sorted(set(compound_ids))
    uow.session.execute(delete(ContractCompound).where(ContractCompound.contract_id == contract.id))
    for compound_id in contract.compound_ids:
        uow.add(ContractCompound(contract_id=contract.id, compound_id=compound_id))


def paid_by_key(uow: UnitOfWork, contract: Contract) -> dict[str, Decimal]:
    """What each accepted milestone was paid, by its key."""
    return dict(
        uow.session.execute(
            select(Milestone.key, Payment.amount)
            .join(Payment, Payment.milestone_id == Milestone.id)
            .where(Milestone.contract_id == contract.id)
        )
        .tuples()
        .all()
    )
