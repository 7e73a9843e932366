"""The terms of a contract: value, period, deliverables and milestones, and what each milestone
is worth.

Shapes used throughout:

* terms: ``{"value": Decimal, "period_start": date, "period_end": date, "deliverables": [str],
  "milestones": [milestone]}``
* milestone: ``{"key": str, "title": str, "due_on": date, "criteria": str, "share": Decimal}``;
  ``key`` names the milestone across amendments, ``share`` is its percentage of the value.
* version: ``{"number": int, "status": AmendmentStatus, "changes": dict}``; version 0 holds the
  original terms in full, an amendment only the fields it changes.

Money is ``Decimal`` CNY exact to the fen; floats are refused where they could enter.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.contracts.domain.common import FEN, apportion, blank, error, share_errors, value_errors
from shared.errors import InvalidInput
from shared.vocabulary.contracts import AmendmentStatus, ErrorCode

TERMS_FIELDS = ("value", "period_start", "period_end", "deliverables", "milestones")


def _milestone_errors(milestones: list[dict], period: tuple[date, date] | None) -> list[dict]:
    errors = []
    titles: set[str] = set()
    keys: set[str] = set()
    for n, milestone in enumerate(milestones):
        title = (milestone.get("title") or "").strip()
        if not title:
            errors.append(error(f"milestones.{n}.title", ErrorCode.REQUIRED, "a milestone needs a title"))
        elif title in titles:
            errors.append(
                error("milestones", ErrorCode.DUPLICATE_TITLE, f"two milestones are titled {title!r}")
            )
        titles.add(title)
        key = milestone.get("key")
        if key is not None and key in keys:
            errors.append(
                error("milestones", ErrorCode.DUPLICATE_KEY, f"two milestones have the key {key!r}")
            )
        if key is not None:
            keys.add(key)
        if blank(milestone.get("criteria")):
            errors.append(
                error(
                    f"milestones.{n}.criteria", ErrorCode.REQUIRED, "say how the milestone will be accepted"
                )
            )
        due_on = milestone.get("due_on")
        if due_on is None:
            errors.append(error(f"milestones.{n}.due_on", ErrorCode.REQUIRED, "a milestone needs a due date"))
        elif period is not None and not period[0] <= due_on <= period[1]:
            errors.append(
                error(
                    f"milestones.{n}.due_on",
                    ErrorCode.OUTSIDE_PERIOD,
                    f"due {due_on} but the contract runs {period[0]} to {period[1]}",
                )
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
    errors = value_errors(value)
    period = None
    if period_start is None:
        errors.append(error("period_start", ErrorCode.REQUIRED, "the period needs a start"))
    if period_end is None:
        errors.append(error("period_end", ErrorCode.REQUIRED, "the period needs an end"))
    if period_start is not None and period_end is not None:
        if period_end > period_start:
            period = (period_start, period_end)
        else:
            errors.append(error("period_end", ErrorCode.INVALID, "the period must end after it starts"))
    for n, deliverable in enumerate(deliverables or []):
        if not isinstance(deliverable, str) or blank(deliverable):
            errors.append(
                error(f"deliverables.{n}", ErrorCode.REQUIRED, "a deliverable must say what is delivered")
            )
    if not milestones:
        errors.append(error("milestones", ErrorCode.REQUIRED, "a contract needs at least one milestone"))
        raise InvalidInput(errors)
    errors += _milestone_errors(milestones, period)
    errors += share_errors([m.get("share") for m in milestones])
    if errors:
        raise InvalidInput(errors)


def milestone_payments(value: Decimal, shares: list[Decimal]) -> list[Decimal]:
    """The amount due for each milestone, exact to the fen and summing exactly to the value.

    Each milestone gets its share rounded down to the fen; the fen left over go one each to the
    largest remainders, the earlier milestone first on a tie, so the split never varies.
    """
    errors = value_errors(value) or share_errors(list(shares))
    if errors:
        raise InvalidInput(errors)
    return [Decimal(fen) * FEN for fen in apportion(int(value / FEN), list(shares))]


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
        if version["status"] == AmendmentStatus.APPROVED:
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
        split = milestone_payments(terms["value"], [m["share"] for m in milestones])
        return {m["key"]: amount for m, amount in zip(milestones, split, strict=True)}
    unpaid = [m for m in milestones if m["key"] not in paid]
    rest = terms["value"] - sum(paid.values(), Decimal(0))
    amounts = dict(paid)
    if unpaid:
        fens = apportion(int(rest / FEN), [m["share"] for m in unpaid])
        amounts.update((m["key"], Decimal(fen) * FEN) for m, fen in zip(unpaid, fens, strict=True))
    return {m["key"]: amounts[m["key"]] for m in milestones}
