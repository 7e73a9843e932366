"""Reading contracts: the party's list, one page at a time in SQL; records by id; the records of
given contracts (what the gateway's loaders batch); the budget and the open data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, true
from sqlalchemy.orm import aliased
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


def _by_key(ids: list[str]) -> type[Contract]:
    """Contract as the contracts among ``ids``, found by their key: the party's condition is
    ``visible`` on this alias.

    The party's condition goes outside a LIMIT: in one query, SQLite (which keeps no statistics
    here) reckons an equality on the community cheaper than twenty probes of the key and reads the
    community's every contract through a scope index. Neither SQLite nor PostgreSQL merges a
    subquery with a LIMIT into the query around it, nor pushes that query's conditions into it.
    """
    by_key = select(Contract).where(Contract.id.in_(ids)).limit(len(set(ids))).subquery("by_key")
    return aliased(Contract, by_key)


def get_contracts(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[Contract]:
    if not ids:
        return []
    found = _by_key(ids)
    with uow:
        return list(uow.session.scalars(select(found).where(visible(principal, found))))


def visible_ids(uow: UnitOfWork, principal: Principal, contract_ids: list[str]) -> list[str]:
    """Those of the given contracts the party sees."""
    if not contract_ids:
        return []
    found = _by_key(contract_ids)
    return list(uow.session.scalars(select(found.id).where(visible(principal, found))))


def of_contracts(
    uow: UnitOfWork,
    principal: Principal,
    contract_ids: list[str],
    model: Any,
    order: tuple,
    where: ColumnElement[bool] | None = None,
) -> list:
    """The records of one kind that belong to the given contracts the party sees: the contracts
    it sees first, then their records by the contract's index (joined in one query, the planner
    may start from the party's scope instead and read all of it)."""
    with uow:
        seen = visible_ids(uow, principal, contract_ids)
        if not seen:
            return []
        query = (
            select(model)
            .where(model.contract_id.in_(seen), true() if where is None else where)
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
    """The records of one kind among ``ids`` whose contract the party sees (node(id:)): the
    records by their key, then which of their contracts the party sees."""
    if not ids:
        return []
    with uow:
        query = select(model).where(model.id.in_(ids), true() if where is None else where)
        found = list(uow.session.scalars(query))
        seen = set(visible_ids(uow, principal, sorted({record.contract_id for record in found})))
        return [record for record in found if record.contract_id in seen]


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
