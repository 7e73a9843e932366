"""The committee's evaluation of the opened bids: conflicts of interest declared, each evaluator's
scores, the ranking by the published rules; the panel's records and the ranked results."""

from __future__ import annotations

from sqlalchemy import Select, and_, exists, select

from services.matching import commands, scoring
from services.matching.handlers.access import project_scope, readable_bids, visible_project
from services.matching.models import Assessment, Award, Bid, Evaluation, Project, opened_bids
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.errors import NotFound
from shared.identity import PartyType, Principal
from shared.vocabulary.matching import AwardStatus


def _bid_under_evaluation(
    uow: UnitOfWork, clock: Clock, principal: Principal, project_id: str, bid_id: str
) -> tuple[Project, Bid]:
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    project = visible_project(uow, clock, principal, project_id)
    scoring.check_evaluating(project.status)  # first: before opening, no answer may tell a bid exists
    bid = uow.session.scalar(opened_bids([project.id]).where(Bid.id == bid_id))
    if bid is None:
        raise NotFound("no such valid bid for this project", field="bid_id")
    return project, bid


def _evaluation(
    uow: UnitOfWork, clock: Clock, principal: Principal, project: Project, bid: Bid
) -> Evaluation:
    evaluation = uow.session.scalar(
        select(Evaluation).where(Evaluation.bid_id == bid.id, Evaluation.evaluator_id == principal.account_id)
    )
    if evaluation is None:
        evaluation = Evaluation(project_id=project.id, bid_id=bid.id, evaluator_id=principal.account_id)
        uow.add(evaluation)
    project.ranked_at = None  # any change to the panel's scores calls for ranking again
    evaluation.recorded_at = clock.now()
    return evaluation


def declare_conflict(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.DeclareConflict
) -> Evaluation:
    """An evaluator declares a conflict of interest with a bid: any score they gave it is struck."""
    with uow:
        project, bid = _bid_under_evaluation(uow, clock, principal, command.project_id, command.bid_id)
        evaluation = _evaluation(uow, clock, principal, project, bid)
        evaluation.conflict = command.note
        evaluation.plan_quality = evaluation.experience = None
        uow.commit()
        return evaluation


def score_bid(uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.ScoreBid) -> Evaluation:
    with uow:
        project, bid = _bid_under_evaluation(uow, clock, principal, command.project_id, command.bid_id)
        evaluation = _evaluation(uow, clock, principal, project, bid)
        scoring.check_scoring(evaluation.conflict is not None)
        evaluation.plan_quality, evaluation.experience = command.plan_quality, command.experience
        uow.commit()
        return evaluation


def rank_bids(uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.ProjectRef) -> Project:
    """Score every valid bid by the published rules and keep each criterion's score and the rank."""
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    with uow:
        project = visible_project(uow, clock, principal, command.project_id, lock=True)
        scoring.check_evaluating(project.status)
        bids = uow.session.scalars(opened_bids([project.id])).all()
        panel: dict[str, list[tuple[int, int]]] = {}
        for e in uow.session.scalars(
            select(Evaluation).where(Evaluation.project_id == project.id, Evaluation.conflict.is_(None))
        ):
            if e.plan_quality is not None and e.experience is not None:
                panel.setdefault(e.bid_id, []).append((e.plan_quality, e.experience))
        reputations: dict[str, list] = {}
        for a in uow.session.scalars(
            select(Assessment).where(Assessment.organisation_id.in_([b.organisation_id for b in bids]))
        ):
            reputations.setdefault(a.organisation_id, []).append(a.score)
        ranked = scoring.rank_bids(
            project.weights,
            [
                {
                    "id": b.id,
                    "organisation_id": b.organisation_id,
                    "price": b.price,
                    "submitted_at": b.submitted_at,
                }
                for b in bids
            ],
            panel,
            reputations,
        )
        by_id = {b.id: b for b in bids}
        for row in ranked:
            bid = by_id[row["id"]]
            bid.scores = {c: str(v) for c, v in row["scores"].items()}
            bid.total, bid.rank = row["total"], row["rank"]
        project.ranked_at = clock.now()
        uow.commit()
        return project


def ranked_bids(
    uow: UnitOfWork, clock: Clock, principal: Principal, project_ids: list[str] | None = None
) -> Select:
    """The ranking with every criterion's scores, as a query: the committee's once ranked; the
    bidders' and the sub-district office's once an award is proposed (and not annulled)."""
    scope = project_scope(uow, clock, principal)
    if principal.is_a(PartyType.RESIDENTS_COMMITTEE):
        scope = and_(scope, Project.ranked_at.is_not(None))
    else:
        standing = select(Award.id).where(
            Award.project_id == Project.id, Award.status != AwardStatus.ANNULLED
        )
        scope = and_(scope, exists(standing))
    return opened_bids(project_ids, scope).where(Bid.rank.is_not(None)).order_by(Bid.project_id, Bid.rank)


def results(uow: UnitOfWork, clock: Clock, principal: Principal, project_ids: list[str]) -> list[Bid]:
    with uow:
        return list(uow.session.scalars(ranked_bids(uow, clock, principal, project_ids)))


def list_evaluations(
    uow: UnitOfWork, clock: Clock, principal: Principal, bid_ids: list[str]
) -> list[Evaluation]:
    """The panel's scores and declared conflicts, for the committee that evaluates."""
    if not principal.is_a(PartyType.RESIDENTS_COMMITTEE):
        return []
    with uow:
        own = select(Project.id).where(
            Project.id == Evaluation.project_id, Project.community_id == principal.community_id
        )
        query = select(Evaluation).where(Evaluation.bid_id.in_(bid_ids), own.exists())
        return list(uow.session.scalars(query.order_by(Evaluation.recorded_at, Evaluation.id)))


def get_evaluations(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[Evaluation]:
    """Evaluations by id: the committee's, of the bids it reads."""
    readable = readable_bids(principal)
    if readable is None or not principal.is_a(PartyType.RESIDENTS_COMMITTEE):
        return []
    with uow:
        query = select(Evaluation).where(
            Evaluation.id.in_(ids), readable.where(Bid.id == Evaluation.bid_id).exists()
        )
        return list(uow.session.scalars(query.order_by(Evaluation.recorded_at, Evaluation.id)))
