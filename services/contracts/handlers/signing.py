"""From the award to a contract in force: the draft, its terms, the office's approval above the
threshold, both signatures, and the start of the service."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from services.contracts import commands, domain, open_data
from services.contracts.handlers.access import (
    approval_threshold,
    contract_for,
    emit_contract,
    log_step,
    require_approver,
    require_purchaser,
    side_of,
)
from services.contracts.handlers.terms import (
    keyed,
    serve_compounds,
    sync_milestones,
    terms_in_force,
    terms_to_wire,
)
from services.contracts.models import Contract, Milestone, TermsVersion
from shared import config
from shared.clock import Clock
from shared.db import UnitOfWork, new_id
from shared.errors import Conflict
from shared.events import Event
from shared.identity import PartyType, Principal
from shared.vocabulary.contracts import AmendmentStatus, ContractStatus, ErrorCode


def draft_contract_from_award(uow: UnitOfWork, clock: Clock, event: Event) -> Contract:
    """The award is final: draft the contract between the purchaser and the winner. One contract
    per project: the award announced again under a new event id finds it and changes nothing."""
    award = event.data
    with uow:
        drafted = uow.find(Contract, project_id=award["project_id"])
        if drafted is not None:
            uow.commit()  # recorded as handled; the unique project_id stops a concurrent copy
            return drafted
        contract = Contract(
            id=new_id(),
            project_id=award["project_id"],
            ocid=award["ocid"],
            community_id=event.community_id,
            organisation_id=award["organisation_id"],
            organisation_name=award["organisation_name"],
            organisation_credit_code=award["organisation_credit_code"],
            title=award["title"],
            value=award["value"],
            status=ContractStatus.DRAFT,
            awarded_at=award["awarded_at"],
            created_at=clock.now(),
            award_id=award["award_id"],
            district_id=award["district_id"],
            purchaser_type=award["purchaser_type"],
            # A sub-district office that buys is known by its district, not by a party id.
            purchaser_id=award["purchaser_id"]
            if award["purchaser_type"] == PartyType.RESIDENTS_COMMITTEE
            else None,
            period_start=award["period_start"],
            period_end=award["period_end"],
            compound_ids=[],
            deliverables=[],
            signatures={},
        )
        uow.add(contract)
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


def set_terms(uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.SetTerms) -> Contract:
    """The purchaser sets the draft's terms: period, deliverables, milestones and the compounds
    served. The value is the award's. Setting them again undoes any signature or approval."""
    with uow:
        contract = contract_for(uow, principal, command.contract_id)
        require_purchaser(principal, contract)
        if contract.status != ContractStatus.DRAFT:
            raise Conflict(
                "a signed contract changes only by amendment", field="contract_id", code=ErrorCode.NOT_DRAFT
            )
        milestones = keyed(command.milestones, set())
        domain.check_terms(
            contract.value, command.period_start, command.period_end, milestones, command.deliverables
        )
        terms = {
            "value": contract.value,
            "period_start": command.period_start,
            "period_end": command.period_end,
            "deliverables": command.deliverables,
            "milestones": milestones,
        }
        version = uow.session.scalar(
            select(TermsVersion).where(TermsVersion.contract_id == contract.id, TermsVersion.number == 0)
        )
        if version is None:
            version = TermsVersion(
                contract_id=contract.id,
                number=0,
                status=AmendmentStatus.APPROVED,
                rationale="",
                proposed_at=clock.now(),
            )
            uow.add(version)
        version.changes, version.decided_at = terms_to_wire(terms), clock.now()
        contract.period_start, contract.period_end = command.period_start, command.period_end
        contract.deliverables = list(command.deliverables)
        serve_compounds(uow, contract, command.compound_ids)
        contract.signatures, contract.approved_at = {}, None
        sync_milestones(uow, contract, milestones)
        uow.commit()
        return contract


def approve_contract(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.ContractCommand
) -> Contract:
    """The sub-district office approves a contract above the threshold before it is signed."""
    with uow:
        contract = contract_for(uow, principal, command.contract_id)
        require_approver(principal, contract)
        terms_in_force(uow, contract)
        domain.check_approval(
            contract.status,
            domain.needs_approval(contract.value, approval_threshold()),
            contract.approved_at is not None,
        )
        contract.approved_at = clock.now()
        log_step(uow, clock, contract, principal, "approved", contract.status)
        uow.commit()
        return contract


def sign_contract(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.ContractCommand
) -> Contract:
    with uow:
        contract = contract_for(uow, principal, command.contract_id)
        side = side_of(principal, contract)
        terms_in_force(uow, contract)
        status, _ = domain.sign(
            contract.status,
            set(contract.signatures),
            side,
            domain.needs_approval(contract.value, approval_threshold()),
            contract.approved_at is not None,
        )
        at = clock.now()
        contract.signatures = {
            **contract.signatures,
            side: {"by": principal.account_id, "at": at.isoformat()},
        }
        log_step(uow, clock, contract, principal, f"signed by the {side}", status)
        if status == ContractStatus.SIGNED:
            emit_contract(uow, contract, "contract.signed")
            open_data.record(uow, contract, ["contract"], at)
        uow.commit()
        return contract


def activate_contract(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.ContractCommand
) -> Contract:
    """The service starts; milestones that need volunteers ask the volunteers service for them."""
    with uow:
        contract = contract_for(uow, principal, command.contract_id)
        require_purchaser(principal, contract)
        log_step(uow, clock, contract, principal, "activated", domain.check_activate(contract.status))
        emit_contract(uow, contract, "contract.activated")
        zone = config.community_zone()
        for milestone in uow.session.scalars(
            select(Milestone).where(
                Milestone.contract_id == contract.id, Milestone.volunteer_places.is_not(None)
            )
        ):
            # The volunteers' shift: the morning of the milestone's due date, where the service runs.
            starts = datetime.combine(milestone.due_on, time(9), tzinfo=zone)
            uow.emit(
                "milestone.volunteers_requested",
                {
                    "contract_id": contract.id,
                    "milestone_id": milestone.id,
                    "title": f"{contract.title}: {milestone.title}",
                    "skill": milestone.volunteer_skill,
                    "places": milestone.volunteer_places,
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=3),
                    "location": contract.title,
                },
                community_id=contract.community_id,
            )
        open_data.record(uow, contract, ["contractUpdate"], clock.now())
        uow.commit()
        return contract
