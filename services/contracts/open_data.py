"""A contract's history as Open Contracting Data Standard 1.1.5 releases, under the ocid of the
tender it came from: signed (contract), amended (contractAmendment), milestones met and payments
(implementation), ended (contractTermination)."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import select

from services.contracts.models import Contract, Milestone, OcdsRelease, Payment, TermsVersion
from shared import config, ocds
from shared.db import UnitOfWork
from shared.identity import PartyType
from shared.releases import record_release
from shared.vocabulary.contracts import AmendmentStatus, ContractStatus, MilestoneStatus

# OCDS's contractStatus and milestoneStatus codelists.
CONTRACT_STATUS = {
    ContractStatus.DRAFT: "pending",
    ContractStatus.SIGNED: "active",
    ContractStatus.ACTIVE: "active",
    ContractStatus.COMPLETED: "terminated",  # OCDS: in force, now come to a close
    ContractStatus.TERMINATED: "terminated",
}
MILESTONE_STATUS = {MilestoneStatus.ACCEPTED: "met", MilestoneStatus.OVERDUE: "notMet"}  # else scheduled


def _day(value: date) -> str:
    """A day as OCDS dates it: its first instant where the community lives."""
    return datetime.combine(value, time(0), tzinfo=config.community_zone()).isoformat()


def _when(moment: datetime | None) -> str:
    if moment is None:
        raise ValueError("a met milestone and an amendment in force have their date")
    return ocds.timestamp(moment)


def snapshot(uow: UnitOfWork, contract: Contract) -> dict:
    # The same party as in the tender's releases: the community, or the office that buys.
    if contract.purchaser_type == PartyType.STREET_OFFICE:
        buyer = f"district-{contract.district_id}"
    else:
        buyer = f"community-{contract.community_id}"
    supplier = contract.organisation_credit_code or contract.organisation_id
    milestones = uow.session.scalars(
        select(Milestone)
        .where(Milestone.contract_id == contract.id)
        .order_by(Milestone.due_on, Milestone.key)
    ).all()
    payments = uow.session.scalars(
        select(Payment).where(Payment.contract_id == contract.id).order_by(Payment.paid_at)
    ).all()
    amendments = uow.session.scalars(
        select(TermsVersion)
        .where(TermsVersion.contract_id == contract.id, TermsVersion.number > 0)
        .where(TermsVersion.status == AmendmentStatus.APPROVED)
        .order_by(TermsVersion.number)
    ).all()
    body = {
        "id": contract.id,
        "awardID": contract.award_id or contract.project_id,
        "title": contract.title,
        "status": CONTRACT_STATUS[ContractStatus(contract.status)],
        "value": ocds.money(contract.value),
        "items": [{"id": str(n), "description": d} for n, d in enumerate(contract.deliverables, start=1)],
        "milestones": [
            {
                "id": m.id,
                "title": m.title,
                "type": "delivery",
                "description": m.criteria,
                "dueDate": _day(m.due_on),
                "status": MILESTONE_STATUS.get(MilestoneStatus(m.status), "scheduled"),
                **({"dateMet": _when(m.decided_at)} if m.status == MilestoneStatus.ACCEPTED else {}),
            }
            for m in milestones
        ],
        "implementation": {
            "transactions": [
                {
                    "id": p.id,
                    "date": ocds.timestamp(p.paid_at),
                    "value": ocds.money(p.amount),
                    "payer": {"id": buyer},
                    "payee": {"id": supplier},
                }
                for p in payments
            ]
        },
        "amendments": [
            {
                "id": f"{contract.id}-{a.number}",
                "date": _when(a.decided_at),
                "rationale": a.rationale,
                "description": "changed: " + ", ".join(sorted(a.changes)),
            }
            for a in amendments
        ],
    }
    if contract.period_start and contract.period_end:
        body["period"] = {"startDate": _day(contract.period_start), "endDate": _day(contract.period_end)}
    signed = (contract.signatures or {}).values()
    if contract.status != ContractStatus.DRAFT and signed:
        body["dateSigned"] = max(s["at"] for s in signed)
    return {
        "parties": [
            {"id": buyer, "roles": ["buyer", "payer"]},
            {"id": supplier, "name": contract.organisation_name, "roles": ["supplier", "payee"]},
        ],
        "buyer": {"id": buyer},
        "contracts": [body],
    }


def record(uow: UnitOfWork, contract: Contract, tags: list[str], at: datetime) -> None:
    """Write the release for a change to the contract, in the change's own transaction."""
    uow.session.flush()
    record_release(uow, OcdsRelease, contract.ocid, "contract", tags, at, snapshot(uow, contract))
