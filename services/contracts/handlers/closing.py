"""The end of a contract: completion with its final assessment, or termination saying why."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from services.contracts import commands, domain, open_data
from services.contracts.handlers.access import contract_for, emit_contract, log_step, require_purchaser
from services.contracts.models import Contract, Evaluation, Milestone, TermsVersion
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.identity import Principal
from shared.vocabulary.contracts import AmendmentStatus, ContractStatus


def complete_contract(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.ContractCommand
) -> Contract:
    """Every milestone accepted: the final assessment (milestones on time and the residents'
    evaluations) is kept and sent to matching as the organisation's reputation."""
    with uow:
        contract = contract_for(uow, principal, command.contract_id)
        require_purchaser(principal, contract)
        milestones = uow.session.scalars(select(Milestone).where(Milestone.contract_id == contract.id)).all()
        status = domain.check_complete(contract.status, [m.status for m in milestones])
        evaluations = uow.session.scalars(
            select(Evaluation.scores).where(Evaluation.contract_id == contract.id)
        )
        summary = domain.aggregate(list(evaluations))
        assessment = domain.final_assessment(
            [{"due_on": m.due_on, "delivered_on": m.delivered_on, "status": m.status} for m in milestones],
            summary["overall"],
        )
        at = clock.now()
        contract.assessment = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in assessment.items()}
        log_step(uow, clock, contract, principal, "completed", status)
        emit_contract(uow, contract, "contract.completed")
        uow.emit(
            "organisation.assessed",
            {
                "organisation_id": contract.organisation_id,
                "contract_id": contract.id,
                "score": assessment["score"],
                "grade": assessment["grade"],
                "assessed_at": at,
            },
            community_id=contract.community_id,
        )
        open_data.record(uow, contract, ["contractTermination"], at)
        uow.commit()
        return contract


def terminate_contract(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.TerminateContract
) -> Contract:
    """The purchaser (or the overseeing office) ends a contract early, saying why."""
    with uow:
        contract = contract_for(uow, principal, command.contract_id)
        if not domain.may_approve(principal, contract.district_id):
            require_purchaser(principal, contract)
        status = domain.check_terminate(contract.status, command.reason)
        at = clock.now()
        for version in uow.session.scalars(
            select(TermsVersion).where(
                TermsVersion.contract_id == contract.id, TermsVersion.status == AmendmentStatus.PENDING
            )
        ):
            version.status, version.reason = AmendmentStatus.REJECTED, "the contract was terminated"
            version.decided_at = at
        contract.ended_reason = command.reason
        was_public = contract.status != ContractStatus.DRAFT
        log_step(uow, clock, contract, principal, "terminated", status, command.reason)
        emit_contract(uow, contract, "contract.terminated")
        if was_public:
            open_data.record(uow, contract, ["contractTermination"], at)
        uow.commit()
        return contract
