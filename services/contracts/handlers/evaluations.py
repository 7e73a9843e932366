"""Residents' evaluations (居民评议): one per evaluator per month through their committee, the
summaries everyone who sees the contract reads, and who evaluated for those who may know."""

from __future__ import annotations

from sqlalchemy import select, true
from sqlalchemy.sql.elements import ColumnElement

from services.contracts import commands, domain
from services.contracts.handlers.access import contract_for
from services.contracts.handlers.reading import of_contracts, records_by_ids, visible_ids
from services.contracts.models import Evaluation
from shared import config
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.errors import PermissionDenied
from shared.identity import PartyType, Principal


def evaluate_contract(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.EvaluateContract
) -> Evaluation:
    with uow:
        contract = contract_for(uow, principal, command.contract_id)
        if not domain.may_evaluate(principal, contract.community_id, contract.compound_ids):
            raise PermissionDenied(
                "residents evaluate through their owners' committee or residents' committee",
                field="contract_id",
            )
        at = clock.now()
        period = domain.evaluation_period(at, config.community_zone())
        done = set(
            uow.session.scalars(
                select(Evaluation.period).where(
                    Evaluation.contract_id == contract.id, Evaluation.evaluator_id == principal.party_id
                )
            )
        )
        domain.check_evaluation(contract.status, command.scores, command.comment, period, done)
        evaluation = Evaluation(
            contract_id=contract.id,
            evaluator_id=principal.party_id,
            evaluator_type=principal.party_type.value,
            period=period,
            scores=command.scores,
            comment=command.comment,
            created_at=at,
        )
        uow.add(evaluation)
        uow.flush()
        in_period = uow.session.scalars(
            select(Evaluation.scores).where(
                Evaluation.contract_id == contract.id, Evaluation.period == period
            )
        )
        summary = domain.aggregate(list(in_period))
        uow.emit(
            "evaluation.published",
            {
                "contract_id": contract.id,
                "organisation_id": contract.organisation_id,
                "period": period,
                "count": summary["count"],
                "overall": summary["overall"],
            },
            community_id=contract.community_id,
        )
        uow.commit()
        return evaluation


def evaluation_summaries(
    uow: UnitOfWork, clock: Clock, principal: Principal, contract_ids: list[str]
) -> list[dict]:
    """Per contract: how many evaluated and the mean per dimension, never who (for everyone who
    sees the contract, the provider included)."""
    with uow:
        visible = visible_ids(uow, principal, contract_ids)
        scores: dict[str, list] = {c: [] for c in visible}
        for contract_id, evaluation in uow.session.execute(
            select(Evaluation.contract_id, Evaluation.scores).where(Evaluation.contract_id.in_(visible))
        ):
            scores[contract_id].append(evaluation)
        return [{"contract_id": c, **domain.aggregate(s)} for c, s in scores.items()]


def _whose(principal: Principal) -> ColumnElement[bool] | None:
    """Whose evaluations the party reads: every one, its own (an owners' committee), or none."""
    if domain.sees_every_evaluation(principal):
        return true()
    if principal.is_a(PartyType.OWNERS_COMMITTEE):
        return Evaluation.evaluator_id == principal.party_id
    return None


def list_evaluations(
    uow: UnitOfWork, clock: Clock, principal: Principal, contract_ids: list[str]
) -> list[Evaluation]:
    """Each evaluation with its evaluator: for the committee and the office; an owners' committee
    sees its own; the provider none (it sees the summaries only)."""
    whose = _whose(principal)
    if whose is None:
        return []
    return of_contracts(uow, principal, contract_ids, Evaluation, (Evaluation.created_at,), where=whose)


def get_evaluations(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[Evaluation]:
    """As ``list_evaluations``: the committee and the office every one, an owners' committee its own."""
    whose = _whose(principal)
    if whose is None:
        return []
    return records_by_ids(uow, principal, Evaluation, ids, where=whose)
