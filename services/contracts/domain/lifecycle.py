"""A contract's lifecycle: draft → signed → active → completed, terminated from any state before
completion; the office's approval above the threshold and the two sides' signatures (of a
contract, and of an amendment in the same way); and the budget it commits."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from services.contracts.domain.common import blank, error
from shared.errors import Conflict, InvalidInput
from shared.vocabulary.contracts import ContractStatus, ErrorCode, MilestoneStatus, Side

TRANSITIONS: dict[ContractStatus, frozenset[ContractStatus]] = {
    ContractStatus.DRAFT: frozenset({ContractStatus.SIGNED, ContractStatus.TERMINATED}),
    ContractStatus.SIGNED: frozenset({ContractStatus.ACTIVE, ContractStatus.TERMINATED}),
    ContractStatus.ACTIVE: frozenset({ContractStatus.COMPLETED, ContractStatus.TERMINATED}),
    ContractStatus.COMPLETED: frozenset(),
    ContractStatus.TERMINATED: frozenset(),
}
SIDES = tuple(Side)
# A contract in these states binds its value; a terminated one only what was paid on it.
COMMITTING = (ContractStatus.SIGNED, ContractStatus.ACTIVE, ContractStatus.COMPLETED)


def _check_transition(status: str, to: ContractStatus, code: ErrorCode, message: str) -> None:
    allowed = TRANSITIONS[ContractStatus(status)] if status in set(ContractStatus) else frozenset()
    if to not in allowed:
        raise Conflict(f"{message}; this one is {status}", field="contract_id", code=code)


def needs_approval(value: Decimal, threshold: Decimal) -> bool:
    """A contract (or amendment) worth more than the threshold needs the sub-district office."""
    return value > threshold


def check_approval_of(
    status: str, awaiting: str, not_awaiting: ErrorCode, needs: bool, approved: bool, what: str, field: str
) -> None:
    """The office approves something awaiting signatures that needs it, once."""
    if status != awaiting:
        raise Conflict(f"the {what} is {status}, not awaiting approval", field=field, code=not_awaiting)
    if not needs:
        raise Conflict(f"the {what} is within the threshold", field=field, code=ErrorCode.APPROVAL_NOT_NEEDED)
    if approved:
        raise Conflict(f"the {what} is already approved", field=field, code=ErrorCode.ALREADY_APPROVED)


def check_approval(status: str, needs: bool, approved: bool) -> None:
    """The sub-district office approves a draft that needs it, once."""
    check_approval_of(
        status, ContractStatus.DRAFT, ErrorCode.NOT_DRAFT, needs, approved, "contract", "contract_id"
    )


def countersign(
    status: str,
    awaiting: str,
    not_awaiting: ErrorCode,
    done: str,
    signatures: set[str],
    side: str,
    needs: bool,
    approved: bool,
    what: str,
    field: str,
) -> tuple[str, set[str]]:
    """One side signs what awaits signatures; once both have, it becomes ``done``."""
    if side not in SIDES:
        raise InvalidInput([error("side", ErrorCode.INVALID, f"sign as {' or '.join(SIDES)}, not {side!r}")])
    if status != awaiting:
        raise Conflict(f"only a {awaiting} {what} can be signed; this one is {status}", field, not_awaiting)
    # The office approves what the parties are about to bind themselves to, so it comes first.
    if needs and not approved:
        raise Conflict(
            f"the sub-district office must approve this {what} before it is signed",
            field,
            ErrorCode.APPROVAL_REQUIRED,
        )
    if side in signatures:
        raise Conflict(f"the {side} has already signed this {what}", field, ErrorCode.ALREADY_SIGNED)
    signed = set(signatures) | {side}
    return (done if signed >= set(SIDES) else awaiting), signed


def sign(
    status: str, signatures: set[str], side: str, needs_approval: bool, approved: bool
) -> tuple[str, set[str]]:
    """One side signs a draft; once both have, the contract is signed. Returns a new set."""
    return countersign(
        status,
        ContractStatus.DRAFT,
        ErrorCode.NOT_DRAFT,
        ContractStatus.SIGNED,
        signatures,
        side,
        needs_approval,
        approved,
        "contract",
        "contract_id",
    )


def check_activate(status: str) -> ContractStatus:
    _check_transition(status, ContractStatus.ACTIVE, ErrorCode.NOT_SIGNED, "only a signed contract can start")
    return ContractStatus.ACTIVE


def check_complete(status: str, milestone_statuses: list[str]) -> ContractStatus:
    """A contract completes when it is active and every milestone has been accepted."""
    _check_transition(
        status, ContractStatus.COMPLETED, ErrorCode.NOT_ACTIVE, "only an active contract can be completed"
    )
    open_count = sum(1 for s in milestone_statuses if s != MilestoneStatus.ACCEPTED)
    if open_count or not milestone_statuses:
        raise Conflict(
            f"{open_count} milestone(s) are not accepted yet",
            field="contract_id",
            code=ErrorCode.MILESTONES_OPEN,
        )
    return ContractStatus.COMPLETED


def check_terminate(status: str, reason: str | None) -> ContractStatus:
    _check_transition(
        status,
        ContractStatus.TERMINATED,
        ErrorCode.CLOSED,
        "a completed or terminated contract cannot end again",
    )
    if blank(reason):
        raise InvalidInput([error("reason", ErrorCode.REQUIRED, "say why the contract is terminated")])
    return ContractStatus.TERMINATED


def budget_lines(contracts: list[dict]) -> list[dict]:
    """Per purchaser, community and year: committed, paid and remaining, exact to the fen.

    ``contracts`` carry purchaser_id, community_id, year, status, value (current terms) and
    paid. A signed, active or completed contract commits its value; a terminated one only
    what was paid on it, the rest being released; a draft commits nothing.
    """
    lines: dict[tuple, dict] = defaultdict(lambda: {"committed": Decimal(0), "paid": Decimal(0)})
    for contract in contracts:
        line = lines[(contract["purchaser_id"], contract["community_id"], contract["year"])]
        if contract["status"] in COMMITTING:
            line["committed"] += contract["value"]
        elif contract["status"] == ContractStatus.TERMINATED:
            line["committed"] += contract["paid"]
        line["paid"] += contract["paid"]
    return [
        {
            "purchaser_id": purchaser_id,
            "community_id": community_id,
            "year": year,
            "committed": line["committed"],
            "paid": line["paid"],
            "remaining": line["committed"] - line["paid"],
        }
        for (purchaser_id, community_id, year), line in sorted(lines.items())
    ]
