"""Use cases of the contracts service: each one unit of work, rules from the domain."""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from services.contracts import domain, open_data
from services.contracts.models import (
    Contract,
    Evaluation,
    Milestone,
    OcdsRelease,
    Payment,
    TermsVersion,
    Transition,
)
from shared import config
from shared.db import UnitOfWork, new_id, now
from shared.errors import Conflict, NotFound, PermissionDenied
from shared.events import Event
from shared.identity import PartyType, Principal
from shared.releases import stored_releases


def approval_threshold() -> Decimal:
    """Contracts (and amendments) worth more than this need the sub-district office's approval."""
    return Decimal(os.environ.get("GONGZHI_APPROVAL_THRESHOLD", "200000.00"))


def today() -> date:
    return now().astimezone(config.community_zone()).date()


# Terms in their stored (JSON) form and back -------------------------------------------------


def _terms_to_wire(terms: dict) -> dict:
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


def _terms_from_wire(wire: dict) -> dict:
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


def _versions(uow: UnitOfWork, contract: Contract) -> list[TermsVersion]:
    return list(
        uow.session.scalars(
            select(TermsVersion).where(TermsVersion.contract_id == contract.id).order_by(TermsVersion.number)
        )
    )


def _current_terms(uow: UnitOfWork, contract: Contract) -> dict:
    versions = _versions(uow, contract)
    if not versions:
        raise Conflict("the purchaser has not set the terms yet", field="contract_id", code="no_terms")
    return domain.current_terms(
        [{"number": v.number, "status": v.status, "changes": _terms_from_wire(v.changes)} for v in versions]
    )


# Who may act ------------------------------------------------------------------------------


def _may_see(principal: Principal, contract: Contract) -> bool:
    return domain.may_see_contract(
        principal,
        contract.community_id,
        contract.organisation_id,
        district_id=contract.district_id,
        compound_ids=contract.compound_ids,
    )


def _contract(uow: UnitOfWork, principal: Principal, contract_id: str, lock: bool = True) -> Contract:
    query = select(Contract).where(Contract.id == contract_id)
    contract = uow.session.scalar(query.with_for_update() if lock else query)
    if contract is None or not _may_see(principal, contract):
        raise NotFound("no such contract", field="contract_id")
    return contract


def _side(principal: Principal, contract: Contract) -> str:
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


def _require_purchaser(principal: Principal, contract: Contract) -> None:
    if _side(principal, contract) != "purchaser":
        raise PermissionDenied("this is for the purchaser's agent", field="contract_id")


def _log(
    uow: UnitOfWork,
    contract: Contract,
    principal: Principal,
    action: str,
    to_status: str,
    note: str | None = None,
) -> None:
    uow.session.add(
        Transition(
            contract_id=contract.id,
            action=action,
            from_status=contract.status,
            to_status=to_status,
            party_type=principal.party_type.value,
            party_id=principal.party_id,
            account_id=principal.account_id,
            note=note,
        )
    )
    contract.status = to_status


def _emit_contract(uow: UnitOfWork, contract: Contract, event_type: str) -> None:
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


# From the award to a signed contract ------------------------------------------------------


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
            organisation_credit_code=award["organisation_credit_code"],
            title=award["title"],
            value=award["value"],
            status="draft",
            awarded_at=award["awarded_at"],
            award_id=award["award_id"],
            district_id=award["district_id"],
            purchaser_type=award["purchaser_type"],
            purchaser_id=award["purchaser_id"] if award["purchaser_type"] == "residents_committee" else None,
            period_start=award["period_start"],
            period_end=award["period_end"],
            compound_ids=[],
            deliverables=[],
            signatures={},
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


def _keyed(milestones: list[dict], taken: set[str]) -> list[dict]:
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


def _sync_milestones(uow: UnitOfWork, contract: Contract, milestones: list[dict]) -> None:
    existing = {
        m.key: m for m in uow.session.scalars(select(Milestone).where(Milestone.contract_id == contract.id))
    }
    for data in milestones:
        milestone = existing.pop(data["key"], None)
        if milestone is None:
            milestone = Milestone(contract_id=contract.id, key=data["key"], status="pending", evidence=[])
            uow.session.add(milestone)
        milestone.title, milestone.due_on = data["title"], data["due_on"]
        milestone.criteria, milestone.share = data["criteria"], data["share"]
        milestone.volunteer_skill = data.get("volunteer_skill")
        milestone.volunteer_places = data.get("volunteer_places")
    for gone in existing.values():  # only unpaid milestones can be dropped (the domain checks)
        uow.session.delete(gone)


def set_terms(uow: UnitOfWork, principal: Principal, data: dict) -> Contract:
    """The purchaser sets the draft's terms: period, deliverables, milestones and the compounds
    served. The value is the award's. Setting them again undoes any signature or approval."""
    with uow:
        contract = _contract(uow, principal, data["contract_id"])
        _require_purchaser(principal, contract)
        if contract.status != "draft":
            raise Conflict(
                "a signed contract changes only by amendment", field="contract_id", code="not_draft"
            )
        milestones = _keyed(data["milestones"], set())
        domain.check_terms(
            contract.value, data["period_start"], data["period_end"], milestones, data["deliverables"]
        )
        terms = {
            "value": contract.value,
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "deliverables": data["deliverables"],
            "milestones": milestones,
        }
        version = uow.session.scalar(
            select(TermsVersion).where(TermsVersion.contract_id == contract.id, TermsVersion.number == 0)
        )
        if version is None:
            version = TermsVersion(contract_id=contract.id, number=0, status="approved", rationale="")
            uow.session.add(version)
        version.changes, version.decided_at = _terms_to_wire(terms), now()
        contract.period_start, contract.period_end = data["period_start"], data["period_end"]
        contract.deliverables = data["deliverables"]
        contract.compound_ids = sorted(set(data["compound_ids"]))
        contract.signatures, contract.approved_at = {}, None
        _sync_milestones(uow, contract, milestones)
        uow.commit()
        return contract


def approve_contract(uow: UnitOfWork, principal: Principal, data: dict) -> Contract:
    """The sub-district office approves a contract above the threshold before it is signed."""
    with uow:
        contract = _contract(uow, principal, data["contract_id"])
        if not domain.may_approve(principal, contract.district_id):
            raise PermissionDenied("the sub-district office approves", field="contract_id")
        _current_terms(uow, contract)
        domain.check_approval(
            contract.status,
            domain.needs_approval(contract.value, approval_threshold()),
            contract.approved_at is not None,
        )
        contract.approved_at = now()
        _log(uow, contract, principal, "approved", contract.status)
        uow.commit()
        return contract


def sign_contract(uow: UnitOfWork, principal: Principal, data: dict) -> Contract:
    with uow:
        contract = _contract(uow, principal, data["contract_id"])
        side = _side(principal, contract)
        _current_terms(uow, contract)
        status, sides = domain.sign(
            contract.status,
            set(contract.signatures),
            side,
            domain.needs_approval(contract.value, approval_threshold()),
            contract.approved_at is not None,
        )
        at = now()
        contract.signatures = {
            **contract.signatures,
            side: {"by": principal.account_id, "at": at.isoformat()},
        }
        _log(uow, contract, principal, f"signed by the {side}", status)
        if status == "signed":
            _emit_contract(uow, contract, "contract.signed")
            open_data.record(uow, contract, ["contract"], at)
        uow.commit()
        return contract


def activate_contract(uow: UnitOfWork, principal: Principal, data: dict) -> Contract:
    """The service starts; milestones that need volunteers ask the volunteers service for them."""
    with uow:
        contract = _contract(uow, principal, data["contract_id"])
        _require_purchaser(principal, contract)
        _log(uow, contract, principal, "activated", domain.check_activate(contract.status))
        _emit_contract(uow, contract, "contract.activated")
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
        open_data.record(uow, contract, ["contractUpdate"], now())
        uow.commit()
        return contract


# Delivery, acceptance and payment ---------------------------------------------------------


def _milestone(uow: UnitOfWork, contract: Contract, milestone_id: str) -> Milestone:
    milestone = uow.session.scalar(select(Milestone).where(Milestone.id == milestone_id).with_for_update())
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


def deliver_milestone(uow: UnitOfWork, principal: Principal, data: dict) -> Milestone:
    """The provider delivers a milestone with its evidence (documents by reference, attendance)."""
    with uow:
        contract = _contract(uow, principal, data["contract_id"])
        if _side(principal, contract) != "provider":
            raise PermissionDenied("the provider delivers", field="contract_id")
        milestone = _milestone(uow, contract, data["milestone_id"])
        milestone.status = domain.check_delivery(contract.status, milestone.status)
        milestone.delivered_on, milestone.decision_note = today(), None
        delivered = [{**e, "at": now().isoformat()} for e in data["evidence"]]
        milestone.evidence = [*milestone.evidence, *delivered]
        _emit_milestone(uow, contract, milestone, "milestone.delivered")
        uow.commit()
        return milestone


def decide_milestone(uow: UnitOfWork, principal: Principal, data: dict) -> Milestone:
    """The purchaser accepts a delivery (its share is paid) or rejects it with the reason."""
    with uow:
        contract = _contract(uow, principal, data["contract_id"])
        _require_purchaser(principal, contract)
        if contract.status != "active":
            raise Conflict(f"the contract is {contract.status}", field="contract_id", code="not_active")
        milestone = _milestone(uow, contract, data["milestone_id"])
        milestone.status = domain.check_acceptance(milestone.status, data["accept"], data.get("reason"))
        at = now()
        milestone.decided_at, milestone.decision_note = at, data.get("reason")
        if data["accept"]:
            # A milestone paid before the value was amended keeps what it was paid; this one gets its
            # share of the rest, so that the payments add up to the value to the fen.
            amount = domain.amounts_by_key(_current_terms(uow, contract), _paid(uow, contract))[milestone.key]
            payment = Payment(
                id=new_id(), contract_id=contract.id, milestone_id=milestone.id, amount=amount, paid_at=at
            )
            uow.session.add(payment)
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


def mark_overdue_milestones(uow: UnitOfWork, on: date | None = None) -> int:
    """The timer: a milestone owed after its due date becomes overdue, announced once."""
    on = on or today()
    with uow:
        rows = uow.session.execute(
            select(Milestone, Contract)
            .join(Contract, Contract.id == Milestone.contract_id)
            .where(
                Contract.status == "active",
                Milestone.due_on < on,
                Milestone.status.in_(("pending", "rejected")),
            )
            .with_for_update(of=Milestone, skip_locked=True)
        ).all()
        zone = config.community_zone()
        for milestone, contract in rows:
            if not domain.is_overdue(milestone.status, milestone.due_on, on):
                continue
            milestone.status = "overdue"
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
        if rows:
            for contract in {c.id: c for _, c in rows}.values():
                open_data.record(uow, contract, ["implementationUpdate"], now())
        uow.commit()
        return len(rows)


def attach_shift(uow: UnitOfWork, event: Event) -> None:
    """A volunteer shift done for a milestone becomes part of its evidence."""
    with uow:
        milestone = (
            uow.session.scalar(
                select(Milestone).where(Milestone.id == event.data["milestone_id"]).with_for_update()
            )
            if event.data["milestone_id"]
            else None
        )
        if milestone is not None and milestone.contract_id == event.data["contract_id"]:
            # Shown in the community's zone with its offset: "2026-12-01 14:00–16:00 +08:00".
            started, ended = (
                event.data[k].astimezone(config.community_zone()) for k in ("started_at", "ended_at")
            )
            milestone.evidence = [
                *milestone.evidence,
                {
                    "kind": "volunteer_shift",
                    "reference": event.data["shift_id"],
                    "hours": str(event.data["hours"]),
                    "note": f"{started:%Y-%m-%d %H:%M}–{ended:%H:%M} {started.isoformat()[-6:]}",
                    "at": now().isoformat(),
                },
            ]
        uow.commit()


# Amendments -------------------------------------------------------------------------------


def _paid(uow: UnitOfWork, contract: Contract) -> dict[str, Decimal]:
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


def _amendment(uow: UnitOfWork, contract: Contract, amendment_id: str) -> TermsVersion:
    version = uow.session.scalar(
        select(TermsVersion).where(TermsVersion.id == amendment_id).with_for_update()
    )
    if version is None or version.contract_id != contract.id or version.number == 0:
        raise NotFound("no such amendment of this contract", field="amendment_id")
    return version


def propose_amendment(uow: UnitOfWork, principal: Principal, data: dict) -> TermsVersion:
    """Either side proposes new value, period, deliverables or milestones, with a rationale."""
    with uow:
        contract = _contract(uow, principal, data["contract_id"])
        _side(principal, contract)
        versions = _versions(uow, contract)
        current = _current_terms(uow, contract)
        changes = {k: v for k, v in data.items() if k in domain.TERMS_FIELDS and v is not None}
        if "milestones" in changes:
            changes["milestones"] = _keyed(changes["milestones"], {m["key"] for m in current["milestones"]})
        proposed = domain.check_amendment(
            contract.status,
            current,
            changes,
            data["rationale"],
            _paid(uow, contract),
            amendment_pending=any(v.status == "pending" for v in versions),
        )
        if proposed["milestones"] != current["milestones"]:
            # A new value after a payment recomputes the shares: the version keeps them as in force.
            changes["milestones"] = proposed["milestones"]
        version = TermsVersion(
            contract_id=contract.id,
            number=max(v.number for v in versions) + 1,
            status="pending",
            changes=_terms_to_wire(changes),
            rationale=data["rationale"],
            signatures={},
        )
        uow.session.add(version)
        _log(
            uow,
            contract,
            principal,
            f"amendment {version.number} proposed",
            contract.status,
            data["rationale"],
        )
        uow.commit()
        return version


def _amendment_needs_approval(version: TermsVersion, contract: Contract) -> bool:
    value = Decimal(version.changes.get("value", str(contract.value)))
    return domain.needs_approval(value, approval_threshold())


def approve_amendment(uow: UnitOfWork, principal: Principal, data: dict) -> TermsVersion:
    with uow:
        contract = _contract(uow, principal, data["contract_id"])
        if not domain.may_approve(principal, contract.district_id):
            raise PermissionDenied("the sub-district office approves", field="contract_id")
        version = _amendment(uow, contract, data["amendment_id"])
        domain.check_amendment_approval(
            version.status, _amendment_needs_approval(version, contract), version.approved_at is not None
        )
        version.approved_at = now()
        _log(uow, contract, principal, f"amendment {version.number} approved", contract.status)
        uow.commit()
        return version


def sign_amendment(uow: UnitOfWork, principal: Principal, data: dict) -> TermsVersion:
    """Both sides sign; the amendment is then in force and the current terms follow from it."""
    with uow:
        contract = _contract(uow, principal, data["contract_id"])
        side = _side(principal, contract)
        version = _amendment(uow, contract, data["amendment_id"])
        status, _ = domain.sign_amendment(
            version.status,
            set(version.signatures),
            side,
            _amendment_needs_approval(version, contract),
            version.approved_at is not None,
        )
        at = now()
        version.signatures = {**version.signatures, side: {"by": principal.account_id, "at": at.isoformat()}}
        version.status = status
        if status == "approved":
            version.decided_at = at
            terms = _current_terms(uow, contract)
            contract.value, contract.deliverables = terms["value"], terms["deliverables"]
            contract.period_start, contract.period_end = terms["period_start"], terms["period_end"]
            _sync_milestones(uow, contract, terms["milestones"])
            _log(uow, contract, principal, f"amendment {version.number} in force", contract.status)
            open_data.record(uow, contract, ["contractAmendment"], at)
        uow.commit()
        return version


def reject_amendment(uow: UnitOfWork, principal: Principal, data: dict) -> TermsVersion:
    with uow:
        contract = _contract(uow, principal, data["contract_id"])
        if not domain.may_approve(principal, contract.district_id):
            _side(principal, contract)
        version = _amendment(uow, contract, data["amendment_id"])
        version.status = domain.check_amendment_rejection(version.status, data.get("reason"))
        version.reason, version.decided_at = data["reason"], now()
        _log(
            uow, contract, principal, f"amendment {version.number} rejected", contract.status, data["reason"]
        )
        uow.commit()
        return version


# The end: completion with its assessment, or termination ----------------------------------


def complete_contract(uow: UnitOfWork, principal: Principal, data: dict) -> Contract:
    """Every milestone accepted: the final assessment (milestones on time and the residents'
    evaluations) is kept and sent to matching as the organisation's reputation."""
    with uow:
        contract = _contract(uow, principal, data["contract_id"])
        _require_purchaser(principal, contract)
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
        at = now()
        contract.assessment = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in assessment.items()}
        _log(uow, contract, principal, "completed", status)
        _emit_contract(uow, contract, "contract.completed")
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


def terminate_contract(uow: UnitOfWork, principal: Principal, data: dict) -> Contract:
    """The purchaser (or the overseeing office) ends a contract early, saying why."""
    with uow:
        contract = _contract(uow, principal, data["contract_id"])
        if not domain.may_approve(principal, contract.district_id):
            _require_purchaser(principal, contract)
        status = domain.check_terminate(contract.status, data.get("reason"))
        at = now()
        for version in uow.session.scalars(
            select(TermsVersion).where(
                TermsVersion.contract_id == contract.id, TermsVersion.status == "pending"
            )
        ):
            version.status, version.reason, version.decided_at = "rejected", "the contract was terminated", at
        contract.ended_reason = data["reason"]
        was_public = contract.status != "draft"
        _log(uow, contract, principal, "terminated", status, data["reason"])
        _emit_contract(uow, contract, "contract.terminated")
        if was_public:
            open_data.record(uow, contract, ["contractTermination"], at)
        uow.commit()
        return contract


# Residents' evaluations -------------------------------------------------------------------


def evaluate_contract(uow: UnitOfWork, principal: Principal, data: dict) -> Evaluation:
    with uow:
        contract = _contract(uow, principal, data["contract_id"])
        if not domain.may_evaluate(principal, contract.community_id, contract.compound_ids):
            raise PermissionDenied(
                "residents evaluate through their owners' committee or residents' committee",
                field="contract_id",
            )
        at = now()
        period = domain.evaluation_period(at, config.community_zone())
        done = set(
            uow.session.scalars(
                select(Evaluation.period).where(
                    Evaluation.contract_id == contract.id, Evaluation.evaluator_id == principal.party_id
                )
            )
        )
        domain.check_evaluation(contract.status, data["scores"], data.get("comment"), period, done)
        evaluation = Evaluation(
            contract_id=contract.id,
            evaluator_id=principal.party_id,
            evaluator_type=principal.party_type.value,
            period=period,
            scores=data["scores"],
            comment=data.get("comment"),
            created_at=at,
        )
        uow.session.add(evaluation)
        uow.session.flush()
        in_period = uow.session.scalars(
            select(Evaluation.scores).where(
                Evaluation.contract_id == contract.id, Evaluation.period == period
            )
        )
        summary = domain.aggregate(list(in_period))
        uow.emit(
            "evaluation.published",
            {
                "contract_id": contract.id,
                "organisation_id": contract.organisation_id,
                "period": period,
                "count": summary["count"],
                "overall": summary["overall"],
            },
            community_id=contract.community_id,
        )
        uow.commit()
        return evaluation


# Reading ------------------------------------------------------------------------------------


def _visible_area(principal: Principal):
    """The SQL condition on Contract of the party's area (``_may_see`` then decides each one)."""
    if principal.is_a(PartyType.SOCIAL_ORGANISATION):
        return Contract.organisation_id == principal.party_id
    if principal.party_type in (PartyType.RESIDENTS_COMMITTEE, PartyType.OWNERS_COMMITTEE):
        return Contract.community_id == principal.community_id
    if principal.is_a(PartyType.STREET_OFFICE):
        return Contract.district_id == principal.district_id
    return None


def _visible_query(principal: Principal):
    area = _visible_area(principal)
    if area is None:
        return None
    return select(Contract).where(area).order_by(Contract.created_at.desc(), Contract.id)


def list_contracts(uow: UnitOfWork, principal: Principal) -> list[Contract]:
    query = _visible_query(principal)
    if query is None:
        return []
    with uow:
        return [c for c in uow.session.scalars(query) if _may_see(principal, c)]


def get_contracts(uow: UnitOfWork, principal: Principal, ids: list[str]) -> list[Contract]:
    with uow:
        found = uow.session.scalars(select(Contract).where(Contract.id.in_(ids)))
        return [c for c in found if _may_see(principal, c)]


def _visible_ids(uow: UnitOfWork, principal: Principal, contract_ids: list[str]) -> list[str]:
    found = uow.session.scalars(select(Contract).where(Contract.id.in_(contract_ids)))
    return [c.id for c in found if _may_see(principal, c)]


def _of_contracts(uow: UnitOfWork, principal: Principal, contract_ids: list[str], model, *order) -> list:
    """The records of one kind that belong to the given contracts the principal may see."""
    with uow:
        visible = _visible_ids(uow, principal, contract_ids)
        return list(uow.session.scalars(select(model).where(model.contract_id.in_(visible)).order_by(*order)))


def list_milestones(uow: UnitOfWork, principal: Principal, contract_ids: list[str]) -> list[Milestone]:
    return _of_contracts(uow, principal, contract_ids, Milestone, Milestone.due_on, Milestone.key)


def list_payments(uow: UnitOfWork, principal: Principal, contract_ids: list[str]) -> list[Payment]:
    return _of_contracts(uow, principal, contract_ids, Payment, Payment.paid_at)


def list_versions(uow: UnitOfWork, principal: Principal, contract_ids: list[str]) -> list[TermsVersion]:
    return _of_contracts(uow, principal, contract_ids, TermsVersion, TermsVersion.number)


def list_transitions(uow: UnitOfWork, principal: Principal, contract_ids: list[str]) -> list[Transition]:
    return _of_contracts(uow, principal, contract_ids, Transition, Transition.at, Transition.id)


def evaluation_summaries(uow: UnitOfWork, principal: Principal, contract_ids: list[str]) -> list[dict]:
    """Per contract: how many evaluated and the mean per dimension, never who (for everyone who
    sees the contract, the provider included)."""
    with uow:
        visible = _visible_ids(uow, principal, contract_ids)
        scores: dict[str, list] = {c: [] for c in visible}
        for contract_id, evaluation in uow.session.execute(
            select(Evaluation.contract_id, Evaluation.scores).where(Evaluation.contract_id.in_(visible))
        ):
            scores[contract_id].append(evaluation)
        return [{"contract_id": c, **domain.aggregate(s)} for c, s in scores.items()]


def list_evaluations(uow: UnitOfWork, principal: Principal, contract_ids: list[str]) -> list[Evaluation]:
    """Each evaluation with its evaluator: for the committee and the office; an owners' committee
    sees its own; the provider none (it sees the summaries only)."""
    with uow:
        visible = _visible_ids(uow, principal, contract_ids)
        query = select(Evaluation).where(Evaluation.contract_id.in_(visible)).order_by(Evaluation.created_at)
        if principal.is_a(PartyType.OWNERS_COMMITTEE):
            query = query.where(Evaluation.evaluator_id == principal.party_id)
        elif principal.party_type not in (PartyType.RESIDENTS_COMMITTEE, PartyType.STREET_OFFICE):
            return []
        return list(uow.session.scalars(query))


def _by_ids(uow: UnitOfWork, principal: Principal, model, ids: list[str]) -> list:
    """The records of one kind among ``ids`` whose contract the principal may see (node(id:)): the
    party's area in SQL, then the same rule as every other read."""
    area = _visible_area(principal)
    if area is None:
        return []
    query = select(model, Contract).join(Contract, Contract.id == model.contract_id)
    rows = uow.session.execute(query.where(model.id.in_(ids), area)).all()
    return [record for record, contract in rows if _may_see(principal, contract)]


def get_milestones(uow: UnitOfWork, principal: Principal, ids: list[str]) -> list[Milestone]:
    with uow:
        return _by_ids(uow, principal, Milestone, ids)


def get_payments(uow: UnitOfWork, principal: Principal, ids: list[str]) -> list[Payment]:
    with uow:
        return _by_ids(uow, principal, Payment, ids)


def get_versions(uow: UnitOfWork, principal: Principal, ids: list[str]) -> list[TermsVersion]:
    with uow:
        return _by_ids(uow, principal, TermsVersion, ids)


def get_evaluations(uow: UnitOfWork, principal: Principal, ids: list[str]) -> list[Evaluation]:
    """As ``list_evaluations``: the committee and the office every one, an owners' committee its own."""
    with uow:
        if principal.party_type not in (
            PartyType.RESIDENTS_COMMITTEE,
            PartyType.STREET_OFFICE,
            PartyType.OWNERS_COMMITTEE,
        ):
            return []
        found = _by_ids(uow, principal, Evaluation, ids)
        if principal.is_a(PartyType.OWNERS_COMMITTEE):
            found = [e for e in found if e.evaluator_id == principal.party_id]
        return found


def budget(uow: UnitOfWork, principal: Principal) -> list[dict]:
    """Committed, paid and remaining per purchaser, community and year (of the contract's start)."""
    if principal.party_type not in (PartyType.RESIDENTS_COMMITTEE, PartyType.STREET_OFFICE):
        raise PermissionDenied("the budget is the purchaser's and the office's", code="permission_denied")
    with uow:
        contracts = [c for c in uow.session.scalars(_visible_query(principal)) if _may_see(principal, c)]
        paid = dict(
            uow.session.execute(
                select(Payment.contract_id, func.sum(Payment.amount))
                .where(Payment.contract_id.in_([c.id for c in contracts]))
                .group_by(Payment.contract_id)
            ).all()
        )
        return domain.budget_lines(
            [
                {
                    "purchaser_id": f"{c.purchaser_type}:{c.purchaser_id or c.district_id}",
                    "community_id": c.community_id,
                    "year": (c.period_start or c.awarded_at.date()).year,
                    "status": c.status,
                    "value": c.value,
                    "paid": Decimal(paid.get(c.id) or 0),
                }
                for c in contracts
            ]
        )


def ocds_releases(uow: UnitOfWork, ocid: str | None = None) -> list[dict]:
    return stored_releases(uow, OcdsRelease, ocid)
