"""Amendments: either side proposes new terms with a rationale; both sign them (and the office
approves them above the threshold) before they are in force. Milestones already paid keep what
they were paid."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from services.contracts.domain.common import apportion, blank, error, share_faults, value_errors
from services.contracts.domain.lifecycle import check_approval_of, countersign
from services.contracts.domain.terms import TERMS_FIELDS, amounts_by_key, check_terms
from shared.errors import Conflict, InvalidInput
from shared.vocabulary.contracts import AmendmentStatus, ContractStatus, ErrorCode

AMENDABLE_STATUSES = (ContractStatus.SIGNED, ContractStatus.ACTIVE)
HUNDREDTH = Decimal("0.01")


def paid_share(amount: Decimal, value: Decimal) -> Decimal:
    """The percentage of ``value`` that ``amount`` is, to the hundredth (half up): the share a paid
    milestone reads once the value changes."""
    return (amount * 100 / value).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def _paid_milestone_changed(old: dict, amount: Decimal, value: Decimal) -> InvalidInput:
    return InvalidInput(
        [
            error(
                "milestones",
                ErrorCode.PAID_MILESTONE_CHANGED,
                f"{old['title']!r} has been accepted and paid {amount} CNY: it keeps its "
                f"title and amount, and so its share of {value} CNY is {paid_share(amount, value)}%",
            )
        ]
    )


def _with_paid_shares(proposed: dict, current: dict, paid: dict[str, Decimal]) -> list[dict]:
    """The proposed milestones once milestones have been paid: each paid one keeps its title and
    amount and its share is recomputed from that amount and the (new) value; the unpaid ones share
    the rest of 100% in proportion to the shares proposed for them.

    Shares are percentages to the hundredth, so a proposal that recomputed the paid shares itself
    may sum to 99.99% or 100.01%: that is rounding, not a fault. A paid share proposed other than
    its present one or its recomputed one is a change of what was paid, and refused.
    """
    milestones = proposed["milestones"]
    errors = share_faults([m.get("share") for m in milestones])
    if errors:
        raise InvalidInput(errors)
    value = proposed["value"]
    before = {m["key"]: m for m in current["milestones"]}
    after = {m.get("key"): m for m in milestones}
    recomputed = {}
    for key in sorted(paid):
        old, new = before[key], after.get(key)
        exact, share = paid[key] * 100 / value, paid_share(paid[key], value)
        if (
            new is None
            or new["title"] != old["title"]
            or not (new["share"] == old["share"] or abs(new["share"] - exact) < HUNDREDTH)
        ):
            raise _paid_milestone_changed(old, paid[key], value)
        recomputed[key] = share
    slack = HUNDREDTH * len(milestones)
    total = sum((m["share"] for m in milestones), Decimal(0))
    if abs(total - 100) > slack:
        raise InvalidInput(
            [error("milestones", ErrorCode.SHARES_NOT_100, f"the shares must sum to 100%, not {total}%")]
        )
    unpaid = [m for m in milestones if m["key"] not in paid]
    left = 100 - sum(recomputed.values(), Decimal(0))
    total_paid = sum(paid.values(), Decimal(0))
    if unpaid and (value <= total_paid or left <= 0):
        raise InvalidInput(
            [
                error(
                    "value",
                    ErrorCode.BELOW_PAID,
                    f"{total_paid} CNY has been paid already; the value must "
                    "exceed it while milestones are still to be paid",
                )
            ]
        )
    shares = dict(recomputed)
    if unpaid:
        split = apportion(int(left / HUNDREDTH), [m["share"] for m in unpaid])
        shares.update((m["key"], Decimal(n) * HUNDREDTH) for m, n in zip(unpaid, split, strict=True))
    return [{**m, "share": shares[m["key"]]} for m in milestones]


def _check_proposal(
    contract_status: str, current: dict, changes: dict, rationale: str | None, amendment_pending: bool
) -> None:
    if contract_status not in AMENDABLE_STATUSES:
        raise Conflict(
            f"only a signed or active contract is amended; this one is {contract_status}",
            field="contract_id",
            code=ErrorCode.NOT_AMENDABLE,
        )
    if amendment_pending:
        raise Conflict(
            "another amendment awaits approval", field="contract_id", code=ErrorCode.AMENDMENT_PENDING
        )
    errors = []
    if blank(rationale):
        errors.append(error("rationale", ErrorCode.REQUIRED, "say why the terms change"))
    unknown = sorted(set(changes) - set(TERMS_FIELDS))
    if unknown:
        errors.append(error("changes", ErrorCode.UNKNOWN_FIELD, f"these are not terms: {', '.join(unknown)}"))
    elif not any(changes[f] != current[f] for f in changes):
        errors.append(error("changes", ErrorCode.NO_CHANGE, "the amendment changes nothing"))
    if errors:
        raise InvalidInput(errors)


def check_amendment(
    contract_status: str,
    current: dict,
    changes: dict,
    rationale: str | None,
    accepted: set[str] | dict[str, Decimal],
    *,
    amendment_pending: bool = False,
) -> dict:
    """Check a proposed amendment and return the terms it would put in force.

    Accepted milestones have been paid (``accepted``: their keys, or key → amount paid): they keep
    their title and amount, and the new value cannot fall below what has been paid. A new value
    recomputes their shares from their amounts, and the unpaid milestones share the rest (see
    ``_with_paid_shares``). Then the total paid at completion is the contract's final value, to the
    fen. One amendment at a time, so that amendments apply in the order they are numbered.
    """
    _check_proposal(contract_status, current, changes, rationale, amendment_pending)
    proposed = {**current, **changes}
    if any(m.get("key") is None for m in proposed["milestones"] or []):
        raise InvalidInput([error("milestones", ErrorCode.REQUIRED, "every milestone needs its key")])
    known = {m["key"] for m in current["milestones"]}
    if isinstance(accepted, dict):
        paid = {k: v for k, v in accepted.items() if k in known}
    else:  # the amounts paid under the terms in force
        in_force = amounts_by_key(current)
        paid = {k: in_force[k] for k in accepted if k in known}
    if paid:
        total = sum(paid.values(), Decimal(0))
        if not value_errors(proposed["value"]) and proposed["value"] < total:
            raise InvalidInput(
                [
                    error(
                        "value",
                        ErrorCode.BELOW_PAID,
                        f"{total} CNY has been paid already; the value cannot be less",
                    )
                ]
            )
        if not value_errors(proposed["value"]) and proposed["milestones"]:
            proposed["milestones"] = _with_paid_shares(proposed, current, paid)
    check_terms(
        proposed["value"],
        proposed["period_start"],
        proposed["period_end"],
        proposed["milestones"],
        proposed["deliverables"],
    )
    return proposed


def check_amendment_approval(status: str, needs: bool, approved: bool) -> None:
    """The sub-district office approves an amendment whose new value exceeds the threshold."""
    check_approval_of(
        status, AmendmentStatus.PENDING, ErrorCode.NOT_PENDING, needs, approved, "amendment", "amendment_id"
    )


def sign_amendment(
    status: str, signatures: set[str], side: str, needs_approval: bool, approved: bool
) -> tuple[str, set[str]]:
    """Both sides sign an amendment as they signed the contract; then it is approved and in force.

    ``needs_approval`` is judged on the amendment's new value.
    """
    return countersign(
        status,
        AmendmentStatus.PENDING,
        ErrorCode.NOT_PENDING,
        AmendmentStatus.APPROVED,
        signatures,
        side,
        needs_approval,
        approved,
        "amendment",
        "amendment_id",
    )


def check_amendment_rejection(status: str, reason: str | None) -> AmendmentStatus:
    if status != AmendmentStatus.PENDING:
        raise Conflict(f"the amendment is {status}", field="amendment_id", code=ErrorCode.NOT_PENDING)
    if blank(reason):
        raise InvalidInput([error("reason", ErrorCode.REQUIRED, "say why the amendment is rejected")])
    return AmendmentStatus.REJECTED
