"""Rules of project matching, in plain Python: credit codes, sealed bids, award."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta
from decimal import Decimal

from shared.errors import Conflict, InvalidInput, PermissionDenied

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
    on: date | None = None,
    *,
    org_district_id: str | None,
    district_id: str | None,
) -> bool:
    """An approved organisation filed with the project's sub-district office (the office that can
    review and suspend it), that serves the category and the community, and holds every
    qualification the project requires, valid on the given day."""
    if org_district_id is None or org_district_id != district_id:
        return False
    if org_status != "approved" or category not in org_categories or community_id not in org_communities:
        return False
    return set(required or ()) <= valid_qualifications(qualifications or [], on or date.today())


NO_SUCH_COMMUNITY = "no such community in the district of the filing"


def check_communities_served(
    community_ids: list[str], district_id: str | None, district_of: dict[str, str]
) -> list[str]:
    """A filing names communities of its own office's district only, for that office alone reviews
    and suspends it. ``district_of`` maps the communities the directory knows to their district.
    A community of another district is refused exactly like an id that does not exist, so that a
    filing cannot probe the directory; each is named by its place in the list."""
    refused = [
        {"field": f"community_ids.{n}", "code": "not_found", "message": NO_SUCH_COMMUNITY}
        for n, community_id in enumerate(community_ids)
        if district_id is None or district_of.get(community_id) != district_id
    ]
    if refused:
        raise InvalidInput(refused)
    return sorted(set(community_ids))


FILING_DECISIONS = {"approve": "approved", "request_changes": "changes_requested", "reject": "rejected"}


def review_filing(status: str, decision: str, reason: str | None) -> str:
    """The sub-district office's decision on a filing; asking for changes or rejecting needs a reason."""
    if status not in ("pending", "changes_requested"):
        raise Conflict(
            f"the filing is {status}, not awaiting review", field="organisation_id", code="not_pending"
        )
    if decision != "approve" and not (reason or "").strip():
        raise InvalidInput(
            [
                {
                    "field": "reason",
                    "code": "required",
                    "message": "say why changes are needed or the filing is rejected",
                }
            ]
        )
    return FILING_DECISIONS[decision]


def check_suspension(status: str, suspend: bool) -> str:
    if suspend and status != "approved":
        raise Conflict(
            f"only an approved organisation can be suspended; this one is {status}",
            field="organisation_id",
            code="not_approved",
        )
    if not suspend and status != "suspended":
        raise Conflict("the organisation is not suspended", field="organisation_id", code="not_suspended")
    return "suspended" if suspend else "approved"


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
    # The deadline first: a bid at or after it is refused alike whether or not the timer has opened
    # the bids yet.
    if bid_deadline is not None and at >= bid_deadline:
        raise Conflict("the bid deadline has passed", field="project_id", code="deadline_passed")
    if status != "published":
        raise Conflict(f"the project is {status}, not open for bids", field="project_id")
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


def check_still_sealed(bid_deadline: datetime | None, at: datetime) -> None:
    if bid_deadline is not None and at >= bid_deadline:
        raise Conflict("the bid deadline has passed", field="project_id", code="deadline_passed")


# The one status of a bid that counts: submitted (or reconfirmed) and not withdrawn. Only such bids
# are opened at the deadline (``models.opened_bids``: a project cancelled before then is never
# opened); a withdrawn bid, or one left unconfirmed after the terms changed, stays sealed for ever:
# nobody but its bidder reads it, counts it or learns who made it.
VALID_BID = "submitted"


# Demand and resource lists (双向认领) ---------------------------------------------------------

# Who lists which kind of entry, and who may claim it: the two sides claim each other's entries.
LIST_OWNERS = {"demand": "residents_committee", "resource": "joint_building_unit"}


def check_listing(kind: str, party_type: str) -> None:
    if LIST_OWNERS[kind] != party_type:
        raise PermissionDenied(f"a {party_type} does not list {kind}s", field="kind")


def check_claim(kind: str, entry_status: str, claimant_type: str, owner_id: str, claimant_id: str) -> None:
    if claimant_type == LIST_OWNERS[kind] or claimant_id == owner_id:
        raise PermissionDenied("entries are claimed by the other side of the list", field="entry_id")
    if entry_status != "open":
        raise Conflict(f"the entry is {entry_status}", field="entry_id", code="not_open")


def check_claim_decision(claim_status: str, entry_status: str) -> None:
    if claim_status != "pending" or entry_status != "open":
        raise Conflict(
            "only a pending claim on an open entry can be confirmed or declined",
            field="claim_id",
            code="decided",
        )


# Project terms ------------------------------------------------------------------------------

CRITERIA = ("price", "plan_quality", "experience", "reputation")
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
    if status == "draft":
        if "bid_deadline" in changes:
            raise Conflict(
                "the deadline is set when the project is published", field="bid_deadline", code="draft"
            )
        return False
    if status != "published":
        raise Conflict(f"the project is {status}", field="project_id", code="not_published")
    check_still_sealed(bid_deadline, at)
    reconfirm = bool(set(changes) - {"bid_deadline"})
    deadline = changes.get("bid_deadline", bid_deadline)
    errors = []
    if deadline < bid_deadline:
        errors.append(
            {
                "field": "bid_deadline",
                "code": "earlier",
                "message": "a published project's bid deadline may only move later, "
                f"not before {bid_deadline:%Y-%m-%d %H:%M} UTC",
            }
        )
    elif reconfirm and deadline - at < reconfirmation_period:
        hours = reconfirmation_period.total_seconds() / 3600
        errors.append(
            {
                "field": "bid_deadline",
                "code": "too_soon",
                "message": f"the bids made must be submitted again under the new terms, which needs "
                f"{hours:g} hours: move the deadline to {at + reconfirmation_period:%Y-%m-%d %H:%M} UTC "
                "or later with this change",
            }
        )
    if changes.get("standstill_days", standstill_days) < standstill_days:
        errors.append(
            {
                "field": "standstill_days",
                "code": "shorter",
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
                "code": "unknown_criterion",
                "message": f"unknown criteria: {', '.join(unknown)}; use {', '.join(CRITERIA)}",
            }
        )
    elif sum(weights.values()) != 100 or any(w < 0 for w in weights.values()):
        errors.append(
            {
                "field": "weights",
                "code": "not_100",
                "message": f"the weights must be non-negative and sum to 100, not {sum(weights.values())}",
            }
        )
    if period_start and period_end and period_end <= period_start:
        errors.append(
            {"field": "period_end", "code": "invalid", "message": "the period must end after it starts"}
        )
    if errors:
        raise InvalidInput(errors)


def fit(categories: list[str], staff_count: int, past_awards: int, project_category: str) -> float:
    """How well an eligible organisation fits a project, for the committee's shortlist: experience
    in the category first, then capacity, then breadth (a specialist before a generalist)."""
    return past_awards * 10 + min(staff_count, 50) / 5 + (2 if categories == [project_category] else 0)


# Opening, evaluation and award --------------------------------------------------------------

SCORE_PLACES = Decimal("0.01")
# An organisation without assessed contracts starts at the pass mark, neither rewarded nor
# penalised for being new.
NEUTRAL_REPUTATION = Decimal(60)
SCORING_RULES = (
    "Each criterion is scored 0–100 and weighted by the project's weights. "
    "Price: lowest valid price ÷ this bid's price × 100. "
    "Plan quality and experience: the mean of the scores of the committee's evaluators "
    "who declared no conflict of interest with the bid. "
    "Reputation: the mean of the final assessments (0–100) of the organisation's completed "
    "contracts, 60 for an organisation without any. "
    "Ties rank the lower price first, then the earlier submission."
)


def opening_outcome(valid_bids: int, min_valid_bids: int) -> str:
    """At the deadline: evaluation, or the tender ends unsuccessful for want of valid bids."""
    return "evaluating" if valid_bids >= min_valid_bids else "unsuccessful"


def price_score(price: Decimal, lowest: Decimal) -> Decimal:
    return (lowest / price * 100).quantize(SCORE_PLACES)


def reputation_score(assessments: list[Decimal]) -> Decimal:
    if not assessments:
        return NEUTRAL_REPUTATION
    return (sum(assessments, Decimal(0)) / len(assessments)).quantize(SCORE_PLACES)


def check_evaluating(status: str) -> None:
    if status != "evaluating":
        raise Conflict(
            f"the project is {status.replace('_', ' ')}, not under evaluation",
            field="project_id",
            code="not_evaluating",
        )


def check_scoring(has_conflict: bool) -> None:
    if has_conflict:
        raise Conflict(
            "you declared a conflict of interest with this bid and cannot score it",
            field="bid_id",
            code="conflict_of_interest",
        )


def rank_bids(
    weights: dict[str, int],
    bids: list[dict],
    panel_scores: dict[str, list[tuple[int, int]]],
    reputations: dict[str, list[Decimal]],
) -> list[dict]:
    """Score and rank the valid bids by the published rules.

    ``bids`` carry id, organisation_id, price and submitted_at; ``panel_scores`` maps a bid to the
    (plan quality, experience) pairs of the evaluators free of conflict. Every bid needs at least
    one such pair: a bid nobody may score cannot be ranked fairly.
    """
    unscored = [b["id"] for b in bids if not panel_scores.get(b["id"])]
    if unscored:
        raise Conflict(
            f"{len(unscored)} valid bid(s) have no score yet from an evaluator without a conflict",
            field="project_id",
            code="unscored_bids",
        )
    lowest = min(b["price"] for b in bids)
    ranked = []
    for bid in bids:
        pairs = panel_scores[bid["id"]]
        scores = {
            "price": price_score(bid["price"], lowest),
            "plan_quality": (Decimal(sum(p for p, _ in pairs)) / len(pairs)).quantize(SCORE_PLACES),
            "experience": (Decimal(sum(e for _, e in pairs)) / len(pairs)).quantize(SCORE_PLACES),
            "reputation": reputation_score(reputations.get(bid["organisation_id"], [])),
        }
        total = sum((scores[c] * weights[c] / 100 for c in CRITERIA), Decimal(0)).quantize(SCORE_PLACES)
        ranked.append({**bid, "scores": scores, "total": total})
    ranked.sort(key=lambda b: (-b["total"], b["price"], b["submitted_at"], b["id"]))
    return [{**b, "rank": n} for n, b in enumerate(ranked, start=1)]


def check_award_choice(bid_rank: int | None, reason: str | None) -> None:
    """The award goes to a ranked valid bid (a bid that is not valid is not found at all)."""
    if bid_rank is None:
        raise Conflict("this bid is not ranked", field="bid_id", code="invalid_bid")
    if bid_rank != 1 and not (reason or "").strip():
        raise InvalidInput(
            [
                {
                    "field": "reason",
                    "code": "required",
                    "message": f"this bid ranks {bid_rank}; record why it is chosen over the first",
                }
            ]
        )


def check_complaint(
    award_status: str, standstill_ends_at: datetime, at: datetime, has_valid_bid: bool, is_winner: bool
) -> None:
    if not has_valid_bid or is_winner:
        raise PermissionDenied("only another bidder with a valid bid may complain", field="project_id")
    if award_status != "pending" or at >= standstill_ends_at:
        raise Conflict(
            "complaints are heard during the standstill period only",
            field="project_id",
            code="not_in_standstill",
        )


def may_finalise(award_status: str, standstill_ends_at: datetime, at: datetime, open_complaints: int) -> bool:
    """The award becomes final when its standstill has passed with no complaint left open."""
    return award_status == "pending" and at >= standstill_ends_at and open_complaints == 0


CANCELLABLE = ("draft", "published", "evaluating")


def check_cancellation(status: str, reason: str) -> None:
    if status not in CANCELLABLE:
        raise Conflict(
            f"a project that is {status.replace('_', ' ')} can no longer be cancelled",
            field="project_id",
            code="not_cancellable",
        )
    if not reason.strip():
        raise InvalidInput([{"field": "reason", "code": "required", "message": "say why it is cancelled"}])
