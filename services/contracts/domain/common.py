"""What every rule of contracts shares: money exact to the fen, errors naming their field, and
splitting an amount in whole units by weights."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from shared.vocabulary.contracts import ErrorCode

FEN = Decimal("0.01")
# The ledger keeps money as NUMERIC(14, 2).
MAX_VALUE = Decimal("999999999999.99")


def error(field: str, code: ErrorCode, message: str) -> dict:
    """One entry of an InvalidInput: the field at fault, its code and a sentence."""
    return {"field": field, "code": code, "message": message}


def blank(text: str | None) -> bool:
    return not (text or "").strip()


def value_errors(value: Any) -> list[dict]:
    if not isinstance(value, Decimal) or not value.is_finite():
        return [error("value", ErrorCode.INVALID, "the value must be a decimal amount of CNY")]
    if value <= 0:
        return [error("value", ErrorCode.NOT_POSITIVE, "the value must be positive")]
    if value > MAX_VALUE:
        return [error("value", ErrorCode.TOO_LARGE, f"the value may not exceed {MAX_VALUE} CNY")]
    # Trailing zeros are harmless (1.50 == 1.5); a fraction of a fen is not.
    if value != value.quantize(FEN):
        return [
            error("value", ErrorCode.TOO_PRECISE, "the value is in CNY exact to the fen: at most 2 decimals")
        ]
    return []


def share_faults(shares: list) -> list[dict]:
    """Each share that is not a positive decimal percentage, by its milestone."""
    errors = []
    for n, share in enumerate(shares):
        if not isinstance(share, Decimal) or not share.is_finite():
            errors.append(
                error(f"milestones.{n}.share", ErrorCode.INVALID, "the share is a decimal percentage")
            )
        elif share <= 0:
            errors.append(
                error(f"milestones.{n}.share", ErrorCode.NOT_POSITIVE, "every share must be positive")
            )
    return errors


def share_errors(shares: list) -> list[dict]:
    errors = share_faults(shares)
    if not errors:
        total = sum(shares, Decimal(0))
        if total != 100:
            errors.append(
                error(
                    "milestones",
                    ErrorCode.SHARES_NOT_100,
                    f"the shares must sum to exactly 100%, not {total}%",
                )
            )
    return errors


def apportion(units: int, weights: list[Decimal]) -> list[int]:
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
