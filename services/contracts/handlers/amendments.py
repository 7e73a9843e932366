"""Amendments: proposed by either side, approved by the office above the threshold, signed by
both (then in force), or rejected with the reason."""

from __future__ import annotations

from decimal import Decimal

from services.contracts import commands, domain, open_data
from services.contracts.handlers.access import (
    approval_threshold,
    contract_for,
    log_step,
    require_approver,
    side_of,
)
from services.contracts.handlers.terms import (
    keyed,
    paid_by_key,
    sync_milestones,
    terms_in_force,
    terms_to_wire,
    versions_of,
)
from services.contracts.models import Contract, TermsVersion
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.errors import NotFound
from shared.identity import Principal
from shared.vocabulary.contracts import AmendmentStatus


def _amendment(uow: UnitOfWork, contract: Contract, amendment_id: str) -> TermsVersion:
    version = uow.get(TermsVersion, amendment_id, lock=True)
    if version is None or version.contract_id != contract.id or version.number == 0:
        raise NotFound("no such amendment of this contract", field="amendment_id")
    return version


def _needs_approval(version: TermsVersion, contract: Contract) -> bool:
    """Judged on the amendment's new value (the value in force when it leaves it as it is)."""
    value = Decimal(version.changes.get("value", str(contract.value)))
    return domain.needs_approval(value, approval_threshold())


def propose_amendment(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.ProposeAmendment
) -> TermsVersion:
    """Either side proposes new value, period, deliverables or milestones, with a rationale."""
    with uow:
        contract = contract_for(uow, principal, command.contract_id)
        side_of(principal, contract)
        versions = versions_of(uow, contract)
        current = terms_in_force(uow, contract)
        changes = command.changes()
        if "milestones" in changes:
            changes["milestones"] = keyed(changes["milestones"], {m["key"] for m in current["milestones"]})
        proposed = domain.check_amendment(
            contract.status,
            current,
            changes,
            command.rationale,
            paid_by_key(uow, contract),
            amendment_pending=any(v.status == AmendmentStatus.PENDING for v in versions),
        )
        if proposed["milestones"] != current["milestones"]:
            # A new value after a payment recomputes the shares: the version keeps them as in force.
            changes["milestones"] = proposed["milestones"]
        version = TermsVersion(
            contract_id=contract.id,
            number=max(v.number for v in versions) + 1,
            status=AmendmentStatus.PENDING,
            changes=terms_to_wire(changes),
            rationale=command.rationale,
            signatures={},
            proposed_at=clock.now(),
        )
        uow.add(version)
        action = f"amendment {version.number} proposed"
        log_step(uow, clock, contract, principal, action, contract.status, command.rationale)
        uow.commit()
        return version


def approve_amendment(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.AmendmentCommand
) -> TermsVersion:
    with uow:
        contract = contract_for(uow, principal, command.contract_id)
        require_approver(principal, contract)
        version = _amendment(uow, contract, command.amendment_id)
        domain.check_amendment_approval(
            version.status, _needs_approval(version, contract), version.approved_at is not None
        )
        version.approved_at = clock.now()
        log_step(uow, clock, contract, principal, f"amendment {version.number} approved", contract.status)
        uow.commit()
        return version


def sign_amendment(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.AmendmentCommand
) -> TermsVersion:
    """Both sides sign; the amendment is then in force and the current terms follow from it."""
    with uow:
        contract = contract_for(uow, principal, command.contract_id)
        side = side_of(principal, contract)
        version = _amendment(uow, contract, command.amendment_id)
        status, _ = domain.sign_amendment(
            version.status,
            set(version.signatures),
            side,
            _needs_approval(version, contract),
            version.approved_at is not None,
        )
        at = clock.now()
        version.signatures = {**version.signatures, side: {"by": principal.account_id, "at": at.isoformat()}}
        version.status = status
        if status == AmendmentStatus.APPROVED:
            version.decided_at = at
            terms = terms_in_force(uow, contract)
            contract.value, contract.deliverables = terms["value"], terms["deliverables"]
            contract.period_start, contract.period_end = terms["period_start"], terms["period_end"]
            sync_milestones(uow, contract, terms["milestones"])
            log_step(uow, clock, contract, principal, f"amendment {version.number} in force", contract.status)
            open_data.record(uow, contract, ["contractAmendment"], at)
        uow.commit()
        return version


def reject_amendment(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.RejectAmendment
) -> TermsVersion:
    """The office, or either side, rejects a pending amendment saying why."""
    with uow:
        contract = contract_for(uow, principal, command.contract_id)
        if not domain.may_approve(principal, contract.district_id):
            side_of(principal, contract)
        version = _amendment(uow, contract, command.amendment_id)
        version.status = domain.check_amendment_rejection(version.status, command.reason)
        version.reason, version.decided_at = command.reason, clock.now()
        action = f"amendment {version.number} rejected"
        log_step(uow, clock, contract, principal, action, contract.status, command.reason)
        uow.commit()
        return version
