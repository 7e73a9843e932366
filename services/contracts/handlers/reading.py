"""Reading contracts: the party's list, one page at a time in SQL; records by id; the records of
given contracts (what the gateway's loaders batch); the budget and the open data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, true
from sqlalchemy.sql.elements import ColumnElement

from services.contracts import domain
from services.contracts.handlers.access import visible
from services.contracts.models import Contract, Milestone, OcdsRelease, Payment, TermsVersion, Transition
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.errors import PermissionDenied
from shared.identity import Principal
from shared.paging import Listing, Page, PageRequest, asc, desc, equals, page_of
from shared.releases import stored_releases
from shared.vocabulary.contracts import DEFAULT_CONTRACT_ORDER, ContractOrder

# The orders and filters are the gateway's ContractOrder and ContractFilter, by their wire names.
CONTRACTS = Listing(
    id=Contract.id,
    orders={
        ContractOrder.AWARDED_AT_DESC.value: [desc(Contract.awarded_at)],
        ContractOrder.VALUE_DESC.value: [desc(Contract.value)],
        ContractOrder.TITLE_ASC.value: [asc(Contract.title)],
    },
    default_order=DEFAULT_CONTRACT_ORDER.value,
    filters={"status": equals(Contract.status)},
)


def list_contracts(uow: UnitOfWork, clock: Clock, principal: Principal, page: PageRequest) -> Page:
    """One page of the contracts the party sees."""
    with uow:
        return page_of(uow.session, select(Contract).where(visible(principal)), page, CONTRACTS)


def get_contracts(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[Contract]:
    with uow:
        return list(uow.session.scalars(select(Contract).where(Contract.id.in_(ids), visible(principal))))


def visible_ids(uow: UnitOfWork, principal: Principal, contract_ids: list[str]) -> list[str]:
    """Those of the given contracts the party sees."""
    query = select(Contract.id).where(Contract.id.in_(contract_ids), visible(principal))
    return list(uow.session.scalars(query))


def of_contracts(
    uow: UnitOfWork,
    principal: Principal,
    contract_ids: list[str],
    model: Any,
    order: tuple,
    where: ColumnElement[bool] | None = None,
) -> list:
    """The records of one kind that belong to the given contracts the party sees, in one query."""
    with uow:
        query = (
            select(model)
            .join(Contract, Contract.id == model.contract_id)
            .where(
                model.contract_id.in_(contract_ids), visible(principal), true() if where is None else where
            )
            .order_by(model.contract_id, *order)
        )
        return list(uow.session.scalars(query))


def records_by_ids(
    uow: UnitOfWork,
    principal: Principal,
    model: Any,
    ids: list[str],
    where: ColumnElement[bool] | None = None,
) -> list:
    """The records of one kind among ``ids`` whose contract the party sees (node(id:))."""
    with uow:
        query = (
            select(model)
            .join(Contract, Contract.id == model.contract_id)
            .where(model.id.in_(ids), visible(principal), true() if where is None else where)
        )
        return list(uow.session.scalars(query))


def list_milestones(uow: UnitOfWork, clock: Clock, principal: Principal, contract_ids: list[str]) -> list:
    return of_contracts(uow, principal, contract_ids, Milestone, (Milestone.due_on, Milestone.key))


def list_payments(uow: UnitOfWork, clock: Clock, principal: Principal, contract_ids: list[str]) -> list:
    return of_contracts(uow, principal, contract_ids, Payment, (Payment.paid_at, Payment.id))


def list_versions(uow: UnitOfWork, clock: Clock, principal: Principal, contract_ids: list[str]) -> list:
    return of_contracts(uow, principal, contract_ids, TermsVersion, (TermsVersion.number,))


def list_transitions(uow: UnitOfWork, clock: Clock, principal: Principal, contract_ids: list[str]) -> list:
    return of_contracts(uow, principal, contract_ids, Transition, (Transition.at, Transition.id))


def get_milestones(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list:
    return records_by_ids(uow, principal, Milestone, ids)


def get_payments(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list:
    return records_by_ids(uow, principal, Payment, ids)


def get_versions(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list:
    return records_by_ids(uow, principal, TermsVersion, ids)


def budget(uow: UnitOfWork, clock: Clock, principal: Principal) -> list[dict]:
    """Committed, paid and remaining per purchaser, community and year (of the contract's start).

    One query of the columns the rule needs, the payments summed in SQL; the rule itself (what a
    contract commits in each status) is the domain's ``budget_lines``.
    """
    if not domain.keeps_a_budget(principal):
        raise PermissionDenied("the budget is the purchaser's and the office's")
    paid = (
        select(Payment.contract_id, func.sum(Payment.amount).label("paid"))
        .group_by(Payment.contract_id)
        .subquery()
    )
    query = (
        select(
            Contract.purchaser_type,
            func.coalesce(Contract.purchaser_id, Contract.district_id),
            Contract.community_id,
            Contract.period_start,
            Contract.awarded_at,
            Contract.status,
            Contract.value,
            paid.c.paid,
        )
        .outerjoin(paid, paid.c.contract_id == Contract.id)
        .where(visible(principal))
    )
    with uow:
        rows = uow.session.execute(query).tuples().all()
    return domain.budget_lines(
        [
            {
                "purchaser_id": f"{kind}:{purchaser}",
                "community_id": community_id,
                "year": (starts or awarded_at.date()).year,
                "status": status,
                "value": value,
                "paid": Decimal(amount or 0),
            }
            for kind, purchaser, community_id, starts, awarded_at, status, value, amount in rows
        ]
    )


def ocds_releases(uow: UnitOfWork, ocid: str | None = None) -> list[dict]:
    return stored_releases(uow, OcdsRelease, ocid)
