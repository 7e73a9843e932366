"""Rules of project matching, in plain Python: credit codes, sealed bids, award."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from decimal import Decimal

from shared.errors import Conflict, InvalidInput

# GB 32100-2015: the 31 characters a unified social credit code may use, and the
# weights of its first 17 positions; the 18th is the check character.
CREDIT_CODE_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first17: str) -> str:
    total = sum(
        CREDIT_CODE_CHARACTERS.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARACTERS[(31 - total % 31) % 31]


def check_credit_code(code: str) -> str:
    """Return the code normalised to upper case, or raise naming what is wrong."""
    code = code.strip().upper()

    def invalid(message: str, error_code: str = "invalid") -> InvalidInput:
        return InvalidInput([{"field": "credit_code", "code": error_code, "message": message}])

    if len(code) != 18:
        raise invalid("a unified social credit code has 18 characters")
    bad = sorted({c for c in code if c not in CREDIT_CODE_CHARACTERS})
    if bad:
        raise invalid(f"characters not allowed in a unified social credit code: {''.join(bad)}")
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        raise invalid(
            f"the check character is {code[17]} but the first 17 characters give {expected}",
            "bad_check_character",
        )
    return code


def bid_digest(project_id: str, organisation_id: str, price: Decimal, plan: str) -> str:
    """SHA-256 of a bid's content in canonical form, given to the bidder as its receipt."""
    content = {
        "project_id": project_id,
        "organisation_id": organisation_id,
        "price": f"{price:.2f}",
        "plan": plan,
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def is_eligible(
    org_status: str, org_categories: list, org_communities: list, category: str, community_id: str
) -> bool:
    return org_status == "active" and category in org_categories and community_id in org_communities


def check_purchase_terms(budget: Decimal | None, category: str | None) -> None:
    """A project needs a positive budget and a service category, wherever it comes from."""
    errors = []
    if budget is None or budget <= 0:
        errors.append({"field": "budget", "code": "required", "message": "a project needs a positive budget"})
    if not category:
        errors.append(
            {"field": "category", "code": "required", "message": "a project needs a service category"}
        )
    if errors:
        raise InvalidInput(errors)


def check_publish(status: str, bid_deadline: datetime, at: datetime) -> None:
    if status != "draft":
        raise Conflict(f"only a draft project can be published; this one is {status}", field="project_id")
    if bid_deadline <= at:
        raise InvalidInput(
            [
                {
                    "field": "bid_deadline",
                    "code": "in_past",
                    "message": "the bid deadline must be in the future",
                }
            ]
        )


def check_bid(
    status: str, bid_deadline: datetime | None, at: datetime, price: Decimal, budget: Decimal
) -> None:
    if status != "published":
        raise Conflict(f"the project is {status}, not open for bids", field="project_id")
    if bid_deadline is not None and at >= bid_deadline:
        raise Conflict("the bid deadline has passed", field="project_id", code="deadline_passed")
    if price <= 0:
        raise InvalidInput([{"field": "price", "code": "invalid", "message": "the price must be positive"}])
    if price > budget:
        raise InvalidInput(
            [
                {
                    "field": "price",
                    "code": "over_budget",
                    "message": f"the price exceeds the project's budget of {budget:.2f} CNY",
                }
            ]
        )


def bids_are_open(bid_deadline: datetime | None, at: datetime) -> bool:
    """Bids may be read by anyone but their bidder only once the deadline has passed."""
    return bid_deadline is not None and at >= bid_deadline


def check_award(status: str, bid_deadline: datetime | None, at: datetime) -> None:
    if status != "published":
        raise Conflict(f"only a published project can be awarded; this one is {status}", field="project_id")
    if not bids_are_open(bid_deadline, at):
        raise Conflict("bids stay sealed until the deadline", field="project_id", code="bids_sealed")
