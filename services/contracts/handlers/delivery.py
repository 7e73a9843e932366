"""Milestones delivered with their evidence, accepted (and paid) or rejected by the purchaser,
overdue once their date has passed, and volunteer shifts attached as evidence."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import select

from services.contracts import commands, domain, open_data
from services.contracts.handlers.access import contract_for, require_purchaser, side_of, today
from services.contracts.handlers.terms import paid_by_key, terms_in_force
from services.contracts.models import Contract, Milestone, Payment
from shared import config
from shared.clock import Clock
from shared.db import UnitOfWork, new_id
from shared.errors import NotFound, PermissionDenied
from shared.events import Event
from shared.identity import Principal
from shared.vocabulary.contracts import ContractStatus, EvidenceKind, MilestoneStatus, Side


def _milestone(uow: UnitOfWork, contract: Contract, milestone_id: str) -> Milestone:
    milestone = uow.get(Milestone, milestone_id, lock=True)
    if milestone is None or milestone.contract_id != contract.id:
        raise NotFound("no such milestone of this contract", field="milestone_id")
    return milestone


def _emit_milestone(uow: UnitOfWork, contract: Contract, milestone: Milestone, event_type: str) -> None:
    uow.emit(
        event_type,
        {
            "contract_id": contract.id,
            "milestone_id": milestone.id,
            "title": milestone.title,
            "organisation_id": contract.organisation_id,
            "reason": milestone.decision_note,
        },
        community_id=contract.community_id,
    )


def deliver_milestone(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.DeliverMilestone
) -> Milestone:
    """The provider delivers a milestone with its evidence (documents by reference, attendance)."""
    with uow:
        contract = contract_for(uow, principal, command.contract_id)
        if side_of(principal, contract) != Side.PROVIDER:
            raise PermissionDenied("the provider delivers", field="contract_id")
        milestone = _milestone(uow, contract, command.milestone_id)
        milestone.status = domain.check_delivery(contract.status, milestone.status)
        milestone.delivered_on, milestone.decision_note = today(clock), None
        at = clock.now().isoformat()
        milestone.evidence = [*milestone.evidence, *({**e, "at": at} for e in command.evidence)]
        _emit_milestone(uow, contract, milestone, "milestone.delivered")
        uow.commit()
        return milestone


def decide_milestone(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.DecideMilestone
) -> Milestone:
    """The purchaser accepts a delivery (its share is paid) or rejects it with the reason."""
    with uow:
        contract = contract_for(uow, principal, command.contract_id)
        require_purchaser(principal, contract)
        domain.check_active(contract.status, "decisions are made")
        milestone = _milestone(uow, contract, command.milestone_id)
        milestone.status = domain.check_acceptance(milestone.status, command.accept, command.reason)
        at = clock.now()
        milestone.decided_at, milestone.decision_note = at, command.reason
        if command.accept:
            # A milestone paid before the value was amended keeps what it was paid; this one gets its
            # share of the rest, so that the payments add up to the value to the fen.
            terms = terms_in_force(uow, contract)
            amount = domain.amounts_by_key(terms, paid_by_key(uow, contract))[milestone.key]
            payment = Payment(
                id=new_id(), contract_id=contract.id, milestone_id=milestone.id, amount=amount, paid_at=at
            )
            uow.add(payment)
            _emit_milestone(uow, contract, milestone, "milestone.accepted")
            uow.emit(
                "payment.recorded",
                {
                    "payment_id": payment.id,
                    "contract_id": contract.id,
                    "milestone_id": milestone.id,
                    "organisation_id": contract.organisation_id,
                    "amount": amount,
                    "paid_at": at,
                },
                community_id=contract.community_id,
            )
            open_data.record(uow, contract, ["implementation"], at)
        else:
            _emit_milestone(uow, contract, milestone, "milestone.rejected")
        uow.commit()
        return milestone


def mark_overdue_milestones(uow: UnitOfWork, clock: Clock) -> int:
    """The timer: a milestone owed after its due date (where the community lives) becomes
    overdue, announced once."""
    on = today(clock)
    with uow:
        rows = uow.session.execute(
            select(Milestone, Contract)
            .join(Contract, Contract.id == Milestone.contract_id)
            .where(
                Contract.status == ContractStatus.ACTIVE,
                Milestone.due_on < on,
                Milestone.status.in_(domain.OWED),
            )
            .with_for_update(of=Milestone, skip_locked=True)
        ).all()
        zone = config.community_zone()
        for milestone, contract in rows:
            if not domain.is_overdue(milestone.status, milestone.due_on, on):
                continue
            milestone.status = MilestoneStatus.OVERDUE
            uow.emit(
                "milestone.deadline_passed",
                {
                    "contract_id": contract.id,
                    "milestone_id": milestone.id,
                    "title": milestone.title,
                    "organisation_name": contract.organisation_name,
                    "due_at": datetime.combine(milestone.due_on, time(23, 59), tzinfo=zone),
                },
                community_id=contract.community_id,
            )
        for contract in {c.id: c for _, c in rows}.values():
            open_data.record(uow, contract, ["implementationUpdate"], clock.now())
        uow.commit()
        return len(rows)


def attach_shift(uow: UnitOfWork, clock: Clock, event: Event) -> None:
    """A volunteer shift done for a milestone becomes part of its evidence, once: the shift
    announced again under a new event id is found among the evidence (read under the milestone's
    lock, so a concurrent copy waits for this one) and adds nothing."""
    shift = event.data
    with uow:
        milestone = uow.get(Milestone, shift["milestone_id"], lock=True) if shift["milestone_id"] else None
        if (
            milestone is not None
            and milestone.contract_id == shift["contract_id"]
            and not shows_shift(milestone.evidence, shift["shift_id"])
        ):
            # Shown in the community's zone with its offset: "2026-12-01 14:00–16:00 +08:00".
            zone = config.community_zone()
            started, ended = (shift[k].astimezone(zone) for k in ("started_at", "ended_at"))
            milestone.evidence = [
                *milestone.evidence,
                {
                    "kind": EvidenceKind.VOLUNTEER_SHIFT.value,
                    "reference": shift["shift_id"],
                    "hours": str(shift["hours"]),
                    "note": f"{started:%Y-%m-%d %H:%M}–{ended:%H:%M} {started.isoformat()[-6:]}",
                    "at": clock.now().isoformat(),
                },
            ]
        uow.commit()


def shows_shift(evidence: list[dict], shift_id: str) -> bool:
    return any(
        item.get("kind") == EvidenceKind.VOLUNTEER_SHIFT.value and item.get("reference") == shift_id
        for item in evidence
    )
