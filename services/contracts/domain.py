"""Rules of purchased-service contracts (政府购买服务合同), in plain Python.

Shapes used throughout:

* terms: ``{"value": Decimal, "period_start": date, "period_end": date, "deliverables": [str],
  "milestones": [milestone]}``
* milestone: ``{"key": str, "title": str, "due_on": date, "criteria": str, "share": Decimal}``;
  ``key`` names the milestone across amendments, ``share`` is its percentage of the value.
* version: ``{"number": int, "status": "pending" | "approved" | "rejected", "changes": dict}``;
  version 0 holds the original terms in full, an amendment only the fields it changes.

Money is ``Decimal`` CNY exact to the fen; floats are refused where they could enter.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from shared.errors import Conflict, InvalidInput
from shared.identity import PartyType, Principal

FEN = Decimal("0.01")
# The ledger keeps money as NUMERIC(14, 2).
MAX_VALUE = Decimal("999999999999.99")
COMMENT_MAX = 500
# Evaluation periods are calendar months where the residents live.
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _error(field: str, code: str, message: str) -> dict:
    return {"field": field, "code": code, "message": message}


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


# Visibility --------------------------------------------------------------------------------


def _serves_compound(principal: Principal, community_id: str, compound_ids) -> bool:
    """An owners' committee whose compound the contract serves; no compounds means the whole
    community is served, so every compound of it is."""
    return (
        principal.is_a(PartyType.OWNERS_COMMITTEE)
        and principal.community_id == community_id
        and (not compound_ids or principal.compound_id in compound_ids)
    )


def may_see_contract(
    principal: Principal,
    community_id: str,
    organisation_id: str,
    *,
    district_id: str | None = None,
    compound_ids: list[str] | tuple[str, ...] | set[str] | None = None,
) -> bool:
    """Who sees a contract.

    The provider sees its own contracts only; the residents' committee those of its community;
    the sub-district office every contract of its district (it oversees them, and is their
    purchaser when it buys); an owners' committee those serving its compound. ``compound_ids``
    empty means the whole community is served; ``None`` means the caller does not know, and
    then owners' committees see nothing, as before the parameter existed.
    """
    if principal.is_a(PartyType.SOCIAL_ORGANISATION):
        return principal.party_id == organisation_id
    if principal.is_a(PartyType.RESIDENTS_COMMITTEE):
        return principal.community_id == community_id
    if principal.is_a(PartyType.STREET_OFFICE):
        return district_id is not None and principal.district_id == district_id
    if principal.is_a(PartyType.OWNERS_COMMITTEE):
        return compound_ids is not None and _serves_compound(principal, community_id, compound_ids)
    return False


# Terms -------------------------------------------------------------------------------------


def _value_errors(value) -> list[dict]:
    if not isinstance(value, Decimal) or not value.is_finite():
        return [_error("value", "invalid", "the value must be a decimal amount of CNY")]
    if value <= 0:
        return [_error("value", "not_positive", "the value must be positive")]
    if value > MAX_VALUE:
        return [_error("value", "too_large", f"the value may not exceed {MAX_VALUE} CNY")]
    # Trailing zeros are harmless (1.50 == 1.5); a fraction of a fen is not.
    if value != value.quantize(FEN):
        return [_error("value", "too_precise", "the value is in CNY exact to the fen: at most 2 decimals")]
    return []


def _share_errors(shares: list) -> list[dict]:
    errors = []
    for n, share in enumerate(shares):
        if not isinstance(share, Decimal) or not share.is_finite():
            errors.append(_error(f"milestones.{n}.share", "invalid", "the share is a decimal percentage"))
        elif share <= 0:
            errors.append(_error(f"milestones.{n}.share", "not_positive", "every share must be positive"))
    if not errors:
        total = sum(shares, Decimal(0))
        if total != 100:
            errors.append(
                _error("milestones", "shares_not_100", f"the shares must sum to exactly 100%, not {total}%")
            )
    return errors


def check_terms(
    value: Decimal,
    period_start: date | None,
    period_end: date | None,
    milestones: list[dict],
    deliverables: list[str] | None = None,
) -> None:
    """Raise InvalidInput listing every fault of the terms, each naming its field."""
    errors = _value_errors(value)
    period_ok = False
    if period_start is None:
        errors.append(_error("period_start", "required", "the period needs a start"))
    if period_end is None:
        errors.append(_error("period_end", "required", "the period needs an end"))
    if period_start is not None and period_end is not None:
        period_ok = period_end > period_start
        if not period_ok:
            errors.append(_error("period_end", "invalid", "the period must end after it starts"))
    for n, deliverable in enumerate(deliverables or []):
        if not isinstance(deliverable, str) or _blank(deliverable):
            errors.append(_error(f"deliverables.{n}", "required", "a deliverable must say what is delivered"))
    if not milestones:
        errors.append(_error("milestones", "required", "a contract needs at least one milestone"))
        raise InvalidInput(errors)
    titles: set[str] = set()
    keys: set[str] = set()
    for n, milestone in enumerate(milestones):
        title = (milestone.get("title") or "").strip()
        if not title:
            errors.append(_error(f"milestones.{n}.title", "required", "a milestone needs a title"))
        elif title in titles:
            errors.append(_error("milestones", "duplicate_title", f"two milestones are titled {title!r}"))
        titles.add(title)
        key = milestone.get("key")
        if key is not None and key in keys:
            errors.append(_error("milestones", "duplicate_key", f"two milestones have the key {key!r}"))
        keys.add(key)
        if _blank(milestone.get("criteria")):
            errors.append(
                _error(f"milestones.{n}.criteria", "required", "say how the milestone will be accepted")
            )
        due_on = milestone.get("due_on")
        if due_on is None:
            errors.append(_error(f"milestones.{n}.due_on", "required", "a milestone needs a due date"))
        elif period_ok and not period_start <= due_on <= period_end:
            errors.append(
                _error(
                    f"milestones.{n}.due_on",
                    "outside_period",
                    f"due {due_on} but the contract runs {period_start} to {period_end}",
                )
            )
    errors += _share_errors([m.get("share") for m in milestones])
    if errors:
        raise InvalidInput(errors)


def _apportion(units: int, weights: list[Decimal]) -> list[int]:
    """``units`` split in proportion to the positive ``weights``, in whole units summing exactly to
    ``units``: each part rounded down, the units left over one each to the largest remainders, the
    earlier part first on a tie, so the split never varies."""
    total = sum((Fraction(w) for w in weights), Fraction(0))
    exact = [Fraction(units) * Fraction(w) / total for w in weights]
    parts = [int(amount) for amount in exact]  # int() floors: every amount is non-negative
    left_over = units - sum(parts)
    by_remainder = sorted(range(len(weights)), key=lambda n: (-(exact[n] - parts[n]), n))
    for n in by_remainder[:left_over]:
        parts[n] += 1
    return parts


def milestone_payments(value: Decimal, shares: list[Decimal]) -> list[Decimal]:
    """The amount due for each milestone, exact to the fen and summing exactly to the value.

    Each milestone gets its share rounded down to the fen; the fen left over go one each to the
    largest remainders, the earlier milestone first on a tie, so the split never varies.
    """
    errors = _value_errors(value) or _share_errors(list(shares))
    if errors:
        raise InvalidInput(errors)
    return [Decimal(fen) * FEN for fen in _apportion(int(value / FEN), list(shares))]


# Lifecycle ---------------------------------------------------------------------------------

# draft → signed → active → completed; terminated from any state before completion.
TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"signed", "terminated"}),
    "signed": frozenset({"active", "terminated"}),
    "active": frozenset({"completed", "terminated"}),
    "completed": frozenset(),
    "terminated": frozenset(),
}
SIDES = ("purchaser", "provider")
PURCHASER_TYPES = (PartyType.RESIDENTS_COMMITTEE, PartyType.STREET_OFFICE)


def _check_transition(status: str, to: str, code: str, message: str) -> None:
    if to not in TRANSITIONS.get(status, ()):
        raise Conflict(f"{message}; this one is {status}", field="contract_id", code=code)


def needs_approval(value: Decimal, threshold: Decimal) -> bool:
    """A contract (or amendment) worth more than the threshold needs the sub-district office."""
    return value > threshold


def may_approve(principal: Principal, district_id: str | None) -> bool:
    return principal.is_a(PartyType.STREET_OFFICE) and (
        district_id is not None and principal.district_id == district_id
    )


def signing_side(
    principal: Principal,
    *,
    purchaser_id: str,
    organisation_id: str,
    purchaser_type: str = PartyType.RESIDENTS_COMMITTEE.value,
    district_id: str | None = None,
) -> str | None:
    """The side the principal signs for: the purchaser's agent or the provider; None for others.

    A sub-district office that buys for its district (街道购买) is the purchaser through whichever
    of its accounts acts: it is known by its district, not by a party id the tender never saw.
    """
    if purchaser_type == PartyType.STREET_OFFICE.value:
        if principal.is_a(PartyType.STREET_OFFICE) and district_id is not None:
            if principal.district_id == district_id:
                return "purchaser"
    elif principal.party_type in PURCHASER_TYPES and principal.party_id == purchaser_id:
        return "purchaser"
    if principal.is_a(PartyType.SOCIAL_ORGANISATION) and principal.party_id == organisation_id:
        return "provider"
    return None


def _check_approval(status: str, awaiting: str, needs: bool, approved: bool, what: str, field: str) -> None:
    if status != awaiting:
        raise Conflict(f"the {what} is {status}, not awaiting approval", field=field, code=f"not_{awaiting}")
    if not needs:
        raise Conflict(f"the {what} is within the threshold", field=field, code="approval_not_needed")
    if approved:
        raise Conflict(f"the {what} is already approved", field=field, code="already_approved")


def check_approval(status: str, needs: bool, approved: bool) -> None:
    """The sub-district office approves a draft that needs it, once."""
    _check_approval(status, "draft", needs, approved, "contract", "contract_id")


def _countersign(
    status: str,
    awaiting: str,
    done: str,
    signatures: set[str],
    side: str,
    needs: bool,
    approved: bool,
    what: str,
    field: str,
) -> tuple[str, set[str]]:
    if side not in SIDES:
        raise InvalidInput([_error("side", "invalid", f"sign as {' or '.join(SIDES)}, not {side!r}")])
    if status != awaiting:
        raise Conflict(
            f"only a {awaiting} {what} can be signed; this one is {status}", field, f"not_{awaiting}"
        )
    # The office approves what the parties are about to bind themselves to, so it comes first.
    if needs and not approved:
        raise Conflict(
            f"the sub-district office must approve this {what} before it is signed",
            field,
            "approval_required",
        )
    if side in signatures:
        raise Conflict(f"the {side} has already signed this {what}", field, "already_signed")
    signed = set(signatures) | {side}
    return (done if signed >= set(SIDES) else awaiting), signed


def sign(
    status: str, signatures: set[str], side: str, needs_approval: bool, approved: bool
) -> tuple[str, set[str]]:
    """One side signs a draft; once both have, the contract is signed. Returns a new set."""
    return _countersign(
        status, "draft", "signed", signatures, side, needs_approval, approved, "contract", "contract_id"
    )


def check_activate(status: str) -> str:
    _check_transition(status, "active", "not_signed", "only a signed contract can start")
    return "active"


def check_complete(status: str, milestone_statuses: list[str]) -> str:
    """A contract completes when it is active and every milestone has been accepted."""
    _check_transition(status, "completed", "not_active", "only an active contract can be completed")
    open_count = sum(1 for s in milestone_statuses if s != "accepted")
    if open_count or not milestone_statuses:
        raise Conflict(
            f"{open_count} milestone(s) are not accepted yet", field="contract_id", code="milestones_open"
        )
    return "completed"


def check_terminate(status: str, reason: str | None) -> str:
    _check_transition(status, "terminated", "closed", "a completed or terminated contract cannot end again")
    if _blank(reason):
        raise InvalidInput([_error("reason", "required", "say why the contract is terminated")])
    return "terminated"


# Delivery and acceptance -------------------------------------------------------------------

MILESTONE_STATUSES = ("pending", "delivered", "accepted", "rejected", "overdue")
DELIVERABLE = ("pending", "rejected", "overdue")


def check_delivery(contract_status: str, milestone_status: str) -> str:
    if contract_status != "active":
        raise Conflict(
            f"deliveries are made under an active contract; this one is {contract_status}",
            field="contract_id",
            code="not_active",
        )
    if milestone_status not in DELIVERABLE:
        raise Conflict(
            f"the milestone is {milestone_status}", field="milestone_id", code=f"already_{milestone_status}"
        )
    return "delivered"


def check_acceptance(milestone_status: str, accept: bool, reason: str | None) -> str:
    """The purchaser accepts a delivered milestone, or rejects it saying why so it can be redone."""
    if milestone_status != "delivered":
        raise Conflict(
            f"only a delivered milestone can be accepted or rejected; this one is {milestone_status}",
            field="milestone_id",
            code="not_delivered",
        )
    if not accept and _blank(reason):
        raise InvalidInput([_error("reason", "required", "say what must be redone")])
    return "accepted" if accept else "rejected"


def is_overdue(status: str, due_date: date, today: date) -> bool:
    """Whether a milestone should now be marked overdue: still owed after its due date."""
    return status in ("pending", "rejected") and today > due_date


# Amendments --------------------------------------------------------------------------------

TERMS_FIELDS = ("value", "period_start", "period_end", "deliverables", "milestones")
AMENDABLE_STATUSES = ("signed", "active")


def current_terms(versions: list[dict]) -> dict:
    """The terms in force: version 0, then each approved amendment's changes in number order.

    Pending and rejected amendments change nothing. A changed field replaces the old one
    whole (the milestones are one field). The versions are not modified.
    """
    ordered = sorted(versions, key=lambda v: v["number"])
    if not ordered or ordered[0]["number"] != 0 or set(ordered[0]["changes"]) != set(TERMS_FIELDS):
        raise ValueError(f"version 0 must hold the original terms: {', '.join(TERMS_FIELDS)}")
    terms = dict(ordered[0]["changes"])
    for version in ordered[1:]:
        if version["status"] == "approved":
            terms.update(version["changes"])
    terms["deliverables"] = list(terms["deliverables"])
    terms["milestones"] = [dict(m) for m in terms["milestones"]]
    return terms


def amounts_by_key(terms: dict, paid: dict[str, Decimal] | None = None) -> dict[str, Decimal]:
    """What each milestone is worth under the terms, to the fen, summing exactly to the value.

    A milestone already paid (``paid``: key → amount) is worth what was paid, whatever its share
    reads; the rest of the value is split among the others in proportion to their shares. With
    nothing paid, that is each milestone's share of the value (``milestone_payments``).
    """
    milestones = terms["milestones"]
    paid = {m["key"]: paid[m["key"]] for m in milestones if paid and m["key"] in paid}
    if not paid:
        amounts = milestone_payments(terms["value"], [m["share"] for m in milestones])
        return {m["key"]: amount for m, amount in zip(milestones, amounts, strict=True)}
    unpaid = [m for m in milestones if m["key"] not in paid]
    rest = terms["value"] - sum(paid.values(), Decimal(0))
    amounts = dict(paid)
    if unpaid:
        split = _apportion(int(rest / FEN), [m["share"] for m in unpaid])
        amounts.update((m["key"], Decimal(fen) * FEN) for m, fen in zip(unpaid, split, strict=True))
    return {m["key"]: amounts[m["key"]] for m in milestones}


HUNDREDTH = Decimal("0.01")


def paid_share(amount: Decimal, value: Decimal) -> Decimal:
    """The percentage of ``value`` that ``amount`` is, to the hundredth (half up): the share a paid
    milestone reads once the value changes."""
    return (amount * 100 / value).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def _with_paid_shares(proposed: dict, current: dict, paid: dict[str, Decimal]) -> list[dict]:
    """The proposed milestones once milestones have been paid: each paid one keeps its title and
    amount and its share is recomputed from that amount and the (new) value; the unpaid ones share
    the rest of 100% in proportion to the shares proposed for them.

    Shares are percentages to the hundredth, so a proposal that recomputed the paid shares itself
    may sum to 99.99% or 100.01%: that is rounding, not a fault. A paid share proposed other than
    its present one or its recomputed one is a change of what was paid, and refused.
    """
    milestones = proposed["milestones"]
    errors = [
        _error(f"milestones.{n}.share", *fault)
        for n, m in enumerate(milestones)
        for fault in (
            [("invalid", "the share is a decimal percentage")]
            if not isinstance(m.get("share"), Decimal) or not m["share"].is_finite()
            else [("not_positive", "every share must be positive")]
            if m["share"] <= 0
            else []
        )
    ]
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
            raise InvalidInput(
                [
                    _error(
                        "milestones",
                        "paid_milestone_changed",
                        f"{old['title']!r} has been accepted and paid {paid[key]} CNY: it keeps its "
                        f"title and amount, and so its share of {value} CNY is {share}%",
                    )
                ]
            )
        recomputed[key] = share
    slack = HUNDREDTH * len(milestones)
    total = sum((m["share"] for m in milestones), Decimal(0))
    if abs(total - 100) > slack:
        raise InvalidInput(
            [_error("milestones", "shares_not_100", f"the shares must sum to 100%, not {total}%")]
        )
    unpaid = [m for m in milestones if m["key"] not in paid]
    left = 100 - sum(recomputed.values(), Decimal(0))
    if unpaid and (value <= sum(paid.values(), Decimal(0)) or left <= 0):
        raise InvalidInput(
            [
                _error(
                    "value",
                    "below_paid",
                    f"{sum(paid.values(), Decimal(0))} CNY has been paid already; the value must "
                    "exceed it while milestones are still to be paid",
                )
            ]
        )
    shares = dict(recomputed)
    if unpaid:
        split = _apportion(int(left / HUNDREDTH), [m["share"] for m in unpaid])
        shares.update((m["key"], Decimal(n) * HUNDREDTH) for m, n in zip(unpaid, split, strict=True))
    return [{**m, "share": shares[m["key"]]} for m in milestones]


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
    if contract_status not in AMENDABLE_STATUSES:
        raise Conflict(
            f"only a signed or active contract is amended; this one is {contract_status}",
            field="contract_id",
            code="not_amendable",
        )
    if amendment_pending:
        raise Conflict("another amendment awaits approval", field="contract_id", code="amendment_pending")
    errors = []
    if _blank(rationale):
        errors.append(_error("rationale", "required", "say why the terms change"))
    unknown = sorted(set(changes) - set(TERMS_FIELDS))
    if unknown:
        errors.append(_error("changes", "unknown_field", f"these are not terms: {', '.join(unknown)}"))
    elif not any(changes[f] != current[f] for f in changes):
        errors.append(_error("changes", "no_change", "the amendment changes nothing"))
    if errors:
        raise InvalidInput(errors)
    proposed = {**current, **changes}
    if any(m.get("key") is None for m in proposed["milestones"] or []):
        raise InvalidInput([_error("milestones", "required", "every milestone needs its key")])
    known = {m["key"] for m in current["milestones"]}
    if isinstance(accepted, dict):
        paid = {k: v for k, v in accepted.items() if k in known}
    else:  # the amounts paid under the terms in force
        in_force = amounts_by_key(current)
        paid = {k: in_force[k] for k in accepted if k in known}
    if paid:
        total = sum(paid.values(), Decimal(0))
        if not _value_errors(proposed["value"]) and proposed["value"] < total:
            raise InvalidInput(
                [
                    _error(
                        "value", "below_paid", f"{total} CNY has been paid already; the value cannot be less"
                    )
                ]
            )
        if not _value_errors(proposed["value"]) and proposed["milestones"]:
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
    _check_approval(status, "pending", needs, approved, "amendment", "amendment_id")


def sign_amendment(
    status: str, signatures: set[str], side: str, needs_approval: bool, approved: bool
) -> tuple[str, set[str]]:
    """Both sides sign an amendment as they signed the contract; then it is approved and in force.

    ``needs_approval`` is judged on the amendment's new value.
    """
    return _countersign(
        status, "pending", "approved", signatures, side, needs_approval, approved, "amendment", "amendment_id"
    )


def check_amendment_rejection(status: str, reason: str | None) -> str:
    if status != "pending":
        raise Conflict(f"the amendment is {status}", field="amendment_id", code="not_pending")
    if _blank(reason):
        raise InvalidInput([_error("reason", "required", "say why the amendment is rejected")])
    return "rejected"


# Residents' evaluations (居民评议) ----------------------------------------------------------

DIMENSIONS = ("quality", "timeliness", "attitude", "effect")
SCORE_RANGE = range(1, 6)
EVALUABLE = ("active", "completed")
MEAN_PLACES = Decimal("0.01")


def evaluation_period(at: datetime, zone: ZoneInfo = SHANGHAI) -> str:
    """The calendar month "YYYY-MM" of an instant, where the residents live."""
    if at.tzinfo is None:
        raise ValueError("naive datetime: times must be timezone-aware")
    return at.astimezone(zone).strftime("%Y-%m")


def may_evaluate(principal: Principal, community_id: str, compound_ids) -> bool:
    """Residents evaluate through their owners' committee, or the community's residents' committee."""
    if principal.is_a(PartyType.RESIDENTS_COMMITTEE):
        return principal.community_id == community_id
    return _serves_compound(principal, community_id, compound_ids)


def check_evaluation(
    contract_status: str,
    scores: dict[str, int],
    comment: str | None,
    period: str,
    evaluated_periods: set[str],
) -> None:
    """One evaluation per evaluator per month, of a service that is running or done."""
    if contract_status not in EVALUABLE:
        raise Conflict(
            f"only an active or completed contract is evaluated; this one is {contract_status}",
            field="contract_id",
            code="not_evaluable",
        )
    if period in evaluated_periods:
        raise Conflict(
            f"you have evaluated this contract for {period} already",
            field="contract_id",
            code="already_evaluated",
        )
    errors = []
    for dim in sorted(set(scores) - set(DIMENSIONS)):
        errors.append(_error(f"scores.{dim}", "unknown_dimension", f"rate {', '.join(DIMENSIONS)} only"))
    for dim in DIMENSIONS:
        score = scores.get(dim)
        if score is None:
            errors.append(_error(f"scores.{dim}", "required", f"rate the {dim}"))
        elif isinstance(score, bool) or not isinstance(score, int) or score not in SCORE_RANGE:
            errors.append(_error(f"scores.{dim}", "out_of_range", f"rate the {dim} from 1 to 5"))
    if comment is not None and len(comment) > COMMENT_MAX:
        errors.append(_error("comment", "too_long", f"a comment has at most {COMMENT_MAX} characters"))
    if errors:
        raise InvalidInput(errors)


def _mean(total: int, count: int) -> Decimal:
    # Published figures round half up (四舍五入), as residents would by hand.
    return (Decimal(total) / count).quantize(MEAN_PLACES, rounding=ROUND_HALF_UP)


def aggregate(evaluations: list[dict[str, int]]) -> dict:
    """``{"count": n, "means": {dimension: Decimal | None}, "overall": Decimal | None}``.

    The overall mean is taken over every score, not over the rounded dimension means.
    """
    count = len(evaluations)
    if not count:
        return {"count": 0, "means": dict.fromkeys(DIMENSIONS), "overall": None}
    totals = {dim: sum(e[dim] for e in evaluations) for dim in DIMENSIONS}
    return {
        "count": count,
        "means": {dim: _mean(totals[dim], count) for dim in DIMENSIONS},
        "overall": _mean(sum(totals.values()), count * len(DIMENSIONS)),
    }


# Final assessment --------------------------------------------------------------------------

ASSESSMENT_PLACES = Decimal("0.1")
GRADES = (
    (Decimal(90), "excellent"),  # 优秀
    (Decimal(75), "good"),  # 良好
    (Decimal(60), "satisfactory"),  # 合格
)
FAILING_GRADE = "unsatisfactory"  # 不合格


def grade(score: Decimal) -> str:
    return next((name for floor, name in GRADES if score >= floor), FAILING_GRADE)


def final_assessment(milestones: list[dict], evaluation_overall: Decimal | None) -> dict:
    """The assessment at completion; its score is the reputation matching gives the provider.

    Milestones: the share accepted and delivered by their due date, 0–100. Evaluations: the
    overall mean, 1–5 mapped onto 0–100. Half each; milestones alone without evaluations.
    Returns ``{"milestone_score", "evaluation_score" (None without), "score", "grade"}``; the
    grade follows the published (rounded) score so that a shown 90.0 is excellent.
    """
    if not milestones:
        raise ValueError("a contract has at least one milestone")
    on_time = sum(
        1
        for m in milestones
        if m["status"] == "accepted" and m["delivered_on"] is not None and m["delivered_on"] <= m["due_on"]
    )
    milestone_score = Decimal(on_time) * 100 / len(milestones)
    if evaluation_overall is None:
        evaluation_score, score = None, milestone_score
    else:
        if not 1 <= evaluation_overall <= 5:
            raise ValueError(f"an evaluation mean is between 1 and 5, not {evaluation_overall}")
        evaluation_score = (evaluation_overall - 1) * 25
        score = (milestone_score + evaluation_score) / 2
    score = score.quantize(ASSESSMENT_PLACES, rounding=ROUND_HALF_UP)
    return {
        "milestone_score": milestone_score.quantize(ASSESSMENT_PLACES, rounding=ROUND_HALF_UP),
        "evaluation_score": None
        if evaluation_score is None
        else evaluation_score.quantize(ASSESSMENT_PLACES, rounding=ROUND_HALF_UP),
        "score": score,
        "grade": grade(score),
    }


# Budget ------------------------------------------------------------------------------------

COMMITTING = ("signed", "active", "completed")


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
        elif contract["status"] == "terminated":
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
