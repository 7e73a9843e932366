"""Rules of the opening, the evaluation, the award and the complaints, in plain Python."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from services.matching.domain import CRITERIA, PROJECT_TRANSITIONS, may_move
from shared.errors import Conflict, InvalidInput, PermissionDenied
from shared.vocabulary.matching import AwardStatus, ErrorCode, ProjectStatus

# An award: pending through the standstill period, then final; annulled when a complaint is upheld.
AWARD_TRANSITIONS: dict[AwardStatus, frozenset[AwardStatus]] = {
    AwardStatus.PENDING: frozenset({AwardStatus.FINAL, AwardStatus.ANNULLED}),
    AwardStatus.FINAL: frozenset(),
    AwardStatus.ANNULLED: frozenset({AwardStatus.PENDING}),  # decided again
}

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


def opening_outcome(valid_bids: int, min_valid_bids: int) -> ProjectStatus:
    """At the deadline: evaluation, or the tender ends unsuccessful for want of valid bids."""
    return ProjectStatus.EVALUATING if valid_bids >= min_valid_bids else ProjectStatus.UNSUCCESSFUL


def price_score(price: Decimal, lowest: Decimal) -> Decimal:
    return (lowest / price * 100).quantize(SCORE_PLACES)


def reputation_score(assessments: list[Decimal]) -> Decimal:
    if not assessments:
        return NEUTRAL_REPUTATION
    return (sum(assessments, Decimal(0)) / len(assessments)).quantize(SCORE_PLACES)


def check_evaluating(status: str) -> None:
    if status != ProjectStatus.EVALUATING:
        raise Conflict(
            f"the project is {status.replace('_', ' ')}, not under evaluation",
            field="project_id",
            code=ErrorCode.NOT_EVALUATING,
        )


def check_scoring(has_conflict: bool) -> None:
    if has_conflict:
        raise Conflict(
            "you declared a conflict of interest with this bid and cannot score it",
            field="bid_id",
            code=ErrorCode.CONFLICT_OF_INTEREST,
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
            code=ErrorCode.UNSCORED_BIDS,
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
        raise Conflict("this bid is not ranked", field="bid_id", code=ErrorCode.INVALID_BID)
    if bid_rank != 1 and not (reason or "").strip():
        raise InvalidInput(
            [
                {
                    "field": "reason",
                    "code": ErrorCode.REQUIRED,
                    "message": f"this bid ranks {bid_rank}; record why it is chosen over the first",
                }
            ]
        )


def check_complaint(
    award_status: str, standstill_ends_at: datetime, at: datetime, has_valid_bid: bool, is_winner: bool
) -> None:
    if not has_valid_bid or is_winner:
        raise PermissionDenied("only another bidder with a valid bid may complain", field="project_id")
    if award_status != AwardStatus.PENDING or at >= standstill_ends_at:
        raise Conflict(
            "complaints are heard during the standstill period only",
            field="project_id",
            code=ErrorCode.NOT_IN_STANDSTILL,
        )


def may_finalise(award_status: str, standstill_ends_at: datetime, at: datetime, open_complaints: int) -> bool:
    """The award becomes final when its standstill has passed with no complaint left open."""
    return (
        may_move(AWARD_TRANSITIONS, award_status, AwardStatus.FINAL)
        and at >= standstill_ends_at
        and open_complaints == 0
    )


CANCELLABLE = frozenset(s for s, moves in PROJECT_TRANSITIONS.items() if ProjectStatus.CANCELLED in moves)


def check_cancellation(status: str, reason: str) -> None:
    if not may_move(PROJECT_TRANSITIONS, status, ProjectStatus.CANCELLED):
        raise Conflict(
            f"a project that is {status.replace('_', ' ')} can no longer be cancelled",
            field="project_id",
            code=ErrorCode.NOT_CANCELLABLE,
        )
    if not reason.strip():
        raise InvalidInput(
            [{"field": "reason", "code": ErrorCode.REQUIRED, "message": "say why it is cancelled"}]
        )
