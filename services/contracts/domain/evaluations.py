"""Residents' evaluations (居民评议) and the final assessment at completion, which becomes the
organisation's reputation in matching."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from services.contracts.domain.common import error
from shared import config
from shared.errors import Conflict, InvalidInput
from shared.vocabulary.contracts import ContractStatus, Dimension, ErrorCode, Grade, MilestoneStatus

DIMENSIONS = tuple(Dimension)
SCORE_RANGE = range(1, 6)
COMMENT_MAX = 500
EVALUABLE = (ContractStatus.ACTIVE, ContractStatus.COMPLETED)
MEAN_PLACES = Decimal("0.01")
ASSESSMENT_PLACES = Decimal("0.1")
GRADES = (
    (Decimal(90), Grade.EXCELLENT),
    (Decimal(75), Grade.GOOD),
    (Decimal(60), Grade.SATISFACTORY),
)
FAILING_GRADE = Grade.UNSATISFACTORY


def evaluation_period(at: datetime, zone: ZoneInfo | None = None) -> str:
    """The calendar month "YYYY-MM" of an instant where the residents live (the community's zone
    unless told another)."""
    if at.tzinfo is None:
        raise ValueError("naive datetime: times must be timezone-aware")
    return at.astimezone(zone or config.community_zone()).strftime("%Y-%m")


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
            code=ErrorCode.NOT_EVALUABLE,
        )
    if period in evaluated_periods:
        raise Conflict(
            f"you have evaluated this contract for {period} already",
            field="contract_id",
            code=ErrorCode.ALREADY_EVALUATED,
        )
    errors = []
    for dim in sorted(set(scores) - set(DIMENSIONS)):
        errors.append(
            error(f"scores.{dim}", ErrorCode.UNKNOWN_DIMENSION, f"rate {', '.join(DIMENSIONS)} only")
        )
    for dim in DIMENSIONS:
        score = scores.get(dim)
        if score is None:
            errors.append(error(f"scores.{dim}", ErrorCode.REQUIRED, f"rate the {dim}"))
        elif isinstance(score, bool) or not isinstance(score, int) or score not in SCORE_RANGE:
            errors.append(error(f"scores.{dim}", ErrorCode.OUT_OF_RANGE, f"rate the {dim} from 1 to 5"))
    if comment is not None and len(comment) > COMMENT_MAX:
        errors.append(error("comment", ErrorCode.TOO_LONG, f"a comment has at most {COMMENT_MAX} characters"))
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


def grade(score: Decimal) -> Grade:
    return next((name for floor, name in GRADES if score >= floor), FAILING_GRADE)


def _published(score: Decimal) -> Decimal:
    return score.quantize(ASSESSMENT_PLACES, rounding=ROUND_HALF_UP)


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
        if m["status"] == MilestoneStatus.ACCEPTED
        and m["delivered_on"] is not None
        and m["delivered_on"] <= m["due_on"]
    )
    milestone_score = Decimal(on_time) * 100 / len(milestones)
    evaluation_score: Decimal | None
    if evaluation_overall is None:
        evaluation_score, score = None, milestone_score
    else:
        if not 1 <= evaluation_overall <= 5:
            raise ValueError(f"an evaluation mean is between 1 and 5, not {evaluation_overall}")
        evaluation_score = (evaluation_overall - 1) * 25
        score = (milestone_score + evaluation_score) / 2
    score = _published(score)
    return {
        "milestone_score": _published(milestone_score),
        "evaluation_score": None if evaluation_score is None else _published(evaluation_score),
        "score": score,
        "grade": grade(score),
    }
