"""Rules of project matching, in plain Python: credit codes, filings, terms, sealed bids, lists.

The opening, scoring, award and complaint rules are in ``scoring.py``; the words (statuses, kinds,
error codes) in ``shared.vocabulary.matching``, declared once for the service and the gateway."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from shared.errors import Conflict, InvalidInput, PermissionDenied
from shared.identity import PartyType
from shared.vocabulary.matching import (
    BidStatus,
    ClaimStatus,
    Criterion,
    EntryKind,
    EntryStatus,
    ErrorCode,
    FilingDecision,
    FilingStatus,
    ProjectStatus,
)

# Statuses and how they follow each other -------------------------------------------------------

# A filing: reviewed from pending (or after changes were asked for), suspended and restored once
# approved; any change by the organisation sends a reviewed filing back to pending.
FILING_TRANSITIONS: dict[FilingStatus, frozenset[FilingStatus]] = {
    FilingStatus.PENDING: frozenset(
        {FilingStatus.APPROVED, FilingStatus.CHANGES_REQUESTED, FilingStatus.REJECTED}
    ),
    FilingStatus.CHANGES_REQUESTED: frozenset(
        {FilingStatus.PENDING, FilingStatus.APPROVED, FilingStatus.CHANGES_REQUESTED, FilingStatus.REJECTED}
    ),
    FilingStatus.APPROVED: frozenset({FilingStatus.SUSPENDED, FilingStatus.PENDING}),
    FilingStatus.REJECTED: frozenset({FilingStatus.PENDING}),
    FilingStatus.SUSPENDED: frozenset({FilingStatus.APPROVED}),
}

# A project: draft → published → (opened at the deadline) evaluating | unsuccessful; evaluating →
# standstill (an award proposed) → awarded, or back to evaluating when a complaint is upheld;
# cancelled from any state before the award.
PROJECT_TRANSITIONS: dict[ProjectStatus, frozenset[ProjectStatus]] = {
    ProjectStatus.DRAFT: frozenset({ProjectStatus.PUBLISHED, ProjectStatus.CANCELLED}),
    ProjectStatus.PUBLISHED: frozenset(
        {ProjectStatus.EVALUATING, ProjectStatus.UNSUCCESSFUL, ProjectStatus.CANCELLED}
    ),
    ProjectStatus.EVALUATING: frozenset({ProjectStatus.STANDSTILL, ProjectStatus.CANCELLED}),
    ProjectStatus.STANDSTILL: frozenset({ProjectStatus.AWARDED, ProjectStatus.EVALUATING}),
    ProjectStatus.AWARDED: frozenset(),
    ProjectStatus.UNSUCCESSFUL: frozenset(),
    ProjectStatus.CANCELLED: frozenset(),
}

# The states a project is seen in by others than its committee: all but the draft.
PUBLIC_PROJECT = frozenset(ProjectStatus) - {ProjectStatus.DRAFT}


def may_move(table: dict[Any, frozenset[Any]], status: str, to: str) -> bool:
    """Whether the table lets a record in ``status`` move to ``to`` (an unknown status moves nowhere)."""
    return any(to in allowed for known, allowed in table.items() if known == status)


def is_public(project_status: str) -> bool:
    return project_status in PUBLIC_PROJECT


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

    def invalid(message: str, error_code: str = ErrorCode.INVALID) -> InvalidInput:
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
            ErrorCode.BAD_CHECK_CHARACTER,
        )
    return code


def bid_digest(
    project_id: str, organisation_id: str, price: Decimal, plan: str, team: str, timeline: str
) -> str:
    """SHA-256 of a bid's content in canonical form, given to the bidder as its receipt."""
    content = {
        "project_id": project_id,
        "organisation_id": organisation_id,
        "price": f"{price:.2f}",
        "plan": plan,
        "team": team,
        "timeline": timeline,
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def valid_qualifications(qualifications: list[dict], on: date) -> set[str]:
    """The names of the qualifications that have not expired on a given day."""
    return {q["name"] for q in qualifications if date.fromisoformat(str(q["expires_on"])) >= on}


def is_eligible(
    org_status: str,
    org_categories: list,
    org_communities: list,
    category: str,
    community_id: str,
    qualifications: list[dict] | None = None,
    required: list[str] | None = None,
    *,
    on: date,
    org_district_id: str | None,
    district_id: str | None,
) -> bool:
    """An approved organisation filed with the project's sub-district office (the office that can
    review and suspend it), that serves the category and the community, and holds every
    qualification the project requires, valid on the given day (the community's, from the clock)."""
    if org_district_id is None or org_district_id != district_id:
        return False
    if (
        org_status != FilingStatus.APPROVED
        or category not in org_categories
        or community_id not in org_communities
    ):
        return False
    return set(required or ()) <= valid_qualifications(qualifications or [], on)


NO_SUCH_COMMUNITY = "no such community in the district of the filing"


def check_communities_served(
    community_ids: list[str], district_id: str | None, district_of: dict[str, str]
) -> list[str]:
    """A filing names communities of its own office's district only, for that office alone reviews
    and suspends it. ``district_of`` maps the communities the directory knows to their district.
    A community of another district is refused exactly like an id that does not exist, so that a
    filing cannot probe the directory; each is named by its place in the list."""
    refused = [
        {"field": f"community_ids.{n}", "code": ErrorCode.NOT_FOUND, "message": NO_SUCH_COMMUNITY}
        for n, community_id in enumerate(community_ids)
        if district_id is None or district_of.get(community_id) != district_id
    ]
    if refused:
        raise InvalidInput(refused)
    return sorted(set(community_ids))


FILING_DECISIONS = {
    FilingDecision.APPROVE: FilingStatus.APPROVED,
    FilingDecision.REQUEST_CHANGES: FilingStatus.CHANGES_REQUESTED,
    FilingDecision.REJECT: FilingStatus.REJECTED,
}


def review_filing(status: str, decision: str, reason: str | None) -> FilingStatus:
    """The sub-district office's decision on a filing; asking for changes or rejecting needs a reason."""
    outcome = FILING_DECISIONS[FilingDecision(decision)]
    if status not in (FilingStatus.PENDING, FilingStatus.CHANGES_REQUESTED) or not may_move(
        FILING_TRANSITIONS, status, outcome
    ):
        raise Conflict(
            f"the filing is {status}, not awaiting review",
            field="organisation_id",
            code=ErrorCode.NOT_PENDING,
        )
    if decision != FilingDecision.APPROVE and not (reason or "").strip():
        raise InvalidInput(
            [
                {
                    "field": "reason",
                    "code": ErrorCode.REQUIRED,
                    "message": "say why changes are needed or the filing is rejected",
                }
            ]
        )
    return outcome


def filing_after_change(status: str) -> FilingStatus:
    """A filing the organisation changes goes back to review, unless it is suspended (the office
    lifts a suspension, not a change of the filing)."""
    if may_move(FILING_TRANSITIONS, status, FilingStatus.PENDING):
        return FilingStatus.PENDING
    return FilingStatus(status)


def check_suspension(status: str, suspend: bool) -> FilingStatus:
    if suspend and status != FilingStatus.APPROVED:
        raise Conflict(
            f"only an approved organisation can be suspended; this one is {status}",
            field="organisation_id",
            code=ErrorCode.NOT_APPROVED,
        )
    if not suspend and status != FilingStatus.SUSPENDED:
        raise Conflict(
            "the organisation is not suspended", field="organisation_id", code=ErrorCode.NOT_SUSPENDED
        )
    return FilingStatus.SUSPENDED if suspend else FilingStatus.APPROVED


def check_purchase_terms(budget: Decimal | None, category: str | None) -> None:
    """A project needs a positive budget and a service category, wherever it comes from."""
    errors = []
    if budget is None or budget <= 0:
        errors.append(
            {"field": "budget", "code": ErrorCode.REQUIRED, "message": "a project needs a positive budget"}
        )
    if not category:
        errors.append(
            {"field": "category", "code": ErrorCode.REQUIRED, "message": "a project needs a service category"}
        )
    if errors:
        raise InvalidInput(errors)


def check_publish(status: str, bid_deadline: datetime, at: datetime) -> None:
    if not may_move(PROJECT_TRANSITIONS, status, ProjectStatus.PUBLISHED):
        raise Conflict(f"only a draft project can be published; this one is {status}", field="project_id")
    if bid_deadline <= at:
        raise InvalidInput(
            [
                {
                    "field": "bid_deadline",
                    "code": ErrorCode.IN_PAST,
                    "message": "the bid deadline must be in the future",
                }
            ]
        )


def check_bid(
    status: str, bid_deadline: datetime | None, at: datetime, price: Decimal, budget: Decimal
) -> None:
    # The deadline first: a bid at or after it is refused alike whether or not the timer has opened
    # the bids yet.
    if bid_deadline is not None and at >= bid_deadline:
        raise Conflict("the bid deadline has passed", field="project_id", code=ErrorCode.DEADLINE_PASSED)
    if status != ProjectStatus.PUBLISHED:
        raise Conflict(f"the project is {status}, not open for bids", field="project_id")
    if price <= 0:
        raise InvalidInput(
            [{"field": "price", "code": ErrorCode.INVALID, "message": "the price must be positive"}]
        )
    if price > budget:
        raise InvalidInput(
            [
                {
                    "field": "price",
                    "code": ErrorCode.OVER_BUDGET,
                    "message": f"the price exceeds the project's budget of {budget:.2f} CNY",
                }
            ]
        )


def check_still_sealed(bid_deadline: datetime | None, at: datetime) -> None:
    if bid_deadline is not None and at >= bid_deadline:
        raise Conflict("the bid deadline has passed", field="project_id", code=ErrorCode.DEADLINE_PASSED)


# The one status of a bid that counts: submitted (or reconfirmed) and not withdrawn. Only such bids
# are opened at the deadline (``models.opened_bids``: a project cancelled before then is never
# opened); a withdrawn bid, or one left unconfirmed after the terms changed, stays sealed for ever:
# nobody but its bidder reads it, counts it or learns who made it.
VALID_BID = BidStatus.SUBMITTED


def unsealed(opened_at: Any, bid_status: Any) -> Any:
    """The one rule of who reads a bid besides its bidder: a valid bid of a project whose bids were
    opened. Written with comparison operators only, so that it reads the same on a loaded row's
    values (it answers a bool) and on columns (it answers the SQL condition ``models.opened_bids``
    selects by): one predicate for Python and SQL alike."""
    return (opened_at != None) & (bid_status == VALID_BID)  # noqa: E711 (``IS NOT NULL`` on a column)


# Demand and resource lists (双向认领) ---------------------------------------------------------

# Who lists which kind of entry, and who may claim it: the two sides claim each other's entries.
LIST_OWNERS = {
    EntryKind.DEMAND: PartyType.RESIDENTS_COMMITTEE,
    EntryKind.RESOURCE: PartyType.JOINT_BUILDING_UNIT,
}


def check_listing(kind: str, party_type: str) -> None:
    if LIST_OWNERS[EntryKind(kind)] != party_type:
        raise PermissionDenied(f"a {party_type} does not list {kind}s", field="kind")


def check_claim(kind: str, entry_status: str, claimant_type: str, owner_id: str, claimant_id: str) -> None:
    if claimant_type == LIST_OWNERS[EntryKind(kind)] or claimant_id == owner_id:
        raise PermissionDenied("entries are claimed by the other side of the list", field="entry_id")
    if entry_status != EntryStatus.OPEN:
        raise Conflict(f"the entry is {entry_status}", field="entry_id", code=ErrorCode.NOT_OPEN)


def check_claim_decision(claim_status: str, entry_status: str) -> None:
    if claim_status != ClaimStatus.PENDING or entry_status != EntryStatus.OPEN:
        raise Conflict(
            "only a pending claim on an open entry can be confirmed or declined",
            field="claim_id",
            code=ErrorCode.DECIDED,
        )


# Project terms ------------------------------------------------------------------------------

CRITERIA = tuple(c.value for c in Criterion)
DEFAULT_WEIGHTS = {"price": 40, "plan_quality": 30, "experience": 20, "reputation": 10}


# Bidders must submit their bids again after a change of the terms: a change leaves them at least
# this long before the deadline (a day to see the notice and answer it), or moves the deadline too.
RECONFIRMATION_PERIOD = timedelta(hours=24)


def changed_terms(current: dict, requested: dict) -> dict:
    """The terms asked for that differ from the project's: asking for what is already there changes
    nothing, and calls no bid to be submitted again."""
    return {
        name: value for name, value in requested.items() if value is not None and value != current.get(name)
    }


def check_terms_change(
    status: str,
    bid_deadline: datetime | None,
    standstill_days: int,
    changes: dict,
    at: datetime,
    reconfirmation_period: timedelta = RECONFIRMATION_PERIOD,
) -> bool:
    """Whether the change calls every bid made before to be submitted again.

    A draft's terms change freely (its deadline is set at publication). A published project's change
    until the deadline and never against the bidders: the deadline only moves later (an earlier one
    would open the bids before the time every bidder was promised), the standstill period (their
    time to complain) never shortens, and a change of what the bids answer leaves them at least
    ``reconfirmation_period`` to submit again. A later deadline alone keeps the bids made.
    """
    if status == ProjectStatus.DRAFT:
        if "bid_deadline" in changes:
            raise Conflict(
                "the deadline is set when the project is published",
                field="bid_deadline",
                code=ErrorCode.DRAFT,
            )
        return False
    if status != ProjectStatus.PUBLISHED:
        raise Conflict(f"the project is {status}", field="project_id", code=ErrorCode.NOT_PUBLISHED)
    check_still_sealed(bid_deadline, at)
    if bid_deadline is None:  # a published project has its deadline: nothing to hold a change to
        raise Conflict("the project has no bid deadline", field="project_id", code=ErrorCode.NOT_PUBLISHED)
    reconfirm = bool(set(changes) - {"bid_deadline"})
    deadline: datetime = changes.get("bid_deadline", bid_deadline)
    errors = []
    if deadline < bid_deadline:
        errors.append(
            {
                "field": "bid_deadline",
                "code": ErrorCode.EARLIER,
                "message": "a published project's bid deadline may only move later, "
                f"not before {bid_deadline:%Y-%m-%d %H:%M} UTC",
            }
        )
    elif reconfirm and deadline - at < reconfirmation_period:
        hours = reconfirmation_period.total_seconds() / 3600
        errors.append(
            {
                "field": "bid_deadline",
                "code": ErrorCode.TOO_SOON,
                "message": f"the bids made must be submitted again under the new terms, which needs "
                f"{hours:g} hours: move the deadline to {at + reconfirmation_period:%Y-%m-%d %H:%M} UTC "
                "or later with this change",
            }
        )
    if changes.get("standstill_days", standstill_days) < standstill_days:
        errors.append(
            {
                "field": "standstill_days",
                "code": ErrorCode.SHORTER,
                "message": f"the bidders were promised {standstill_days} days to complain against an "
                "award: a published project's standstill period may not be shortened",
            }
        )
    if errors:
        raise InvalidInput(errors)
    return reconfirm


def check_terms(weights: dict[str, int], period_start: date | None, period_end: date | None) -> None:
    errors = []
    unknown = sorted(set(weights) - set(CRITERIA))
    if unknown:
        errors.append(
            {
                "field": "weights",
                "code": ErrorCode.UNKNOWN_CRITERION,
                "message": f"unknown criteria: {', '.join(unknown)}; use {', '.join(CRITERIA)}",
            }
        )
    elif sum(weights.values()) != 100 or any(w < 0 for w in weights.values()):
        errors.append(
            {
                "field": "weights",
                "code": ErrorCode.NOT_100,
                "message": f"the weights must be non-negative and sum to 100, not {sum(weights.values())}",
            }
        )
    if period_start and period_end and period_end <= period_start:
        errors.append(
            {
                "field": "period_end",
                "code": ErrorCode.INVALID,
                "message": "the period must end after it starts",
            }
        )
    if errors:
        raise InvalidInput(errors)


def fit(categories: list[str], staff_count: int, past_awards: int, project_category: str) -> float:
    """How well an eligible organisation fits a project, for the committee's shortlist: experience
    in the category first, then capacity, then breadth (a specialist before a generalist)."""
    return past_awards * 10 + min(staff_count, 50) / 5 + (2 if categories == [project_category] else 0)
