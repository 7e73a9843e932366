"""Milestones: delivery with evidence, the purchaser's acceptance (which pays the share) or
rejection, and the deadline."""

from __future__ import annotations

from datetime import date

from services.contracts.domain.common import blank, error
from shared.errors import Conflict, InvalidInput
from shared.vocabulary.contracts import ContractStatus, ErrorCode, MilestoneStatus

MILESTONE_STATUSES = tuple(MilestoneStatus)
# A milestone still owed: delivered for the first time, again after a rejection, or late.
DELIVERABLE = (MilestoneStatus.PENDING, MilestoneStatus.REJECTED, MilestoneStatus.OVERDUE)
# Owed and not yet late: what the deadline turns overdue.
OWED = (MilestoneStatus.PENDING, MilestoneStatus.REJECTED)
# A milestone that cannot be delivered again says why in its code.
_DELIVERED_ALREADY = {
    MilestoneStatus.DELIVERED: ErrorCode.ALREADY_DELIVERED,
    MilestoneStatus.ACCEPTED: ErrorCode.ALREADY_ACCEPTED,
}


def check_active(contract_status: str, what: str = "deliveries are made") -> None:
    """Deliveries and decisions happen under an active contract only."""
    if contract_status != ContractStatus.ACTIVE:
        raise Conflict(
            f"{what} under an active contract; this one is {contract_status}",
            field="contract_id",
            code=ErrorCode.NOT_ACTIVE,
        )


def check_delivery(contract_status: str, milestone_status: str) -> MilestoneStatus:
    check_active(contract_status)
    if milestone_status not in DELIVERABLE:
        raise Conflict(
            f"the milestone is {milestone_status}",
            field="milestone_id",
            code=_DELIVERED_ALREADY[MilestoneStatus(milestone_status)],
        )
    return MilestoneStatus.DELIVERED


def check_acceptance(milestone_status: str, accept: bool, reason: str | None) -> MilestoneStatus:
    """The purchaser accepts a delivered milestone, or rejects it saying why so it can be redone."""
    if milestone_status != MilestoneStatus.DELIVERED:
        raise Conflict(
            f"only a delivered milestone can be accepted or rejected; this one is {milestone_status}",
            field="milestone_id",
            code=ErrorCode.NOT_DELIVERED,
        )
    if not accept and blank(reason):
        raise InvalidInput([error("reason", ErrorCode.REQUIRED, "say what must be redone")])
    return MilestoneStatus.ACCEPTED if accept else MilestoneStatus.REJECTED


def is_overdue(status: str, due_date: date, today: date) -> bool:
    """Whether a milestone should now be marked overdue: still owed after its due date."""
    return status in OWED and today > due_date
