"""The points ledger: double-entry postings, credits for approved hours and for activities, a
volunteer's account and the committee's trial balance."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from services.volunteers import commands, domain
from services.volunteers.domain import AccountKind, PostingKind
from services.volunteers.handlers import access
from services.volunteers.handlers.access import RC, VOL
from services.volunteers.models import LedgerAccount, LedgerEntry, LedgerTransaction, TeamMember, Volunteer
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.errors import NotFound
from shared.identity import Principal
from shared.paging import Listing, Page, PageRequest, desc, page_of
from shared.vocabulary.volunteers import ErrorCode


def account_id(kind: str, owner: str) -> str:
    return f"{kind}:{owner}"


def ensure_account(uow: UnitOfWork, kind: str, community_id: str, volunteer_id: str | None = None) -> str:
    """The account, created the first time it is needed; a concurrent creator's row is taken as is."""
    account = account_id(kind, volunteer_id or community_id)
    if uow.get(LedgerAccount, account) is None:
        try:
            with uow.session.begin_nested():
                uow.add(
                    LedgerAccount(
                        id=account, community_id=community_id, kind=kind, volunteer_id=volunteer_id, balance=0
                    )
                )
        except IntegrityError:
            pass
    return account


def post(
    uow: UnitOfWork,
    community_id: str,
    kind: str,
    memo: str,
    entries: list[tuple[str, int]],
    by: str,
    at: datetime,
    **refs: Any,
) -> LedgerTransaction:
    """One double-entry posting, and each account's balance moved by its entry in the same transaction."""
    domain.check_posting(entries)
    transaction = LedgerTransaction(
        community_id=community_id, kind=kind, memo=memo, posted_by=by, posted_at=at, **refs
    )
    uow.add(transaction)
    uow.flush()
    for account, amount in entries:
        uow.add(LedgerEntry(transaction_id=transaction.id, account_id=account, amount=amount))
        uow.session.execute(
            update(LedgerAccount)
            .where(LedgerAccount.id == account)
            .values(balance=LedgerAccount.balance + amount)
            .execution_options(synchronize_session=False)
        )
    uow.flush()
    return transaction


def credit(
    uow: UnitOfWork,
    community_id: str,
    volunteer_id: str,
    points: int,
    reason: str,
    memo: str,
    by: str,
    at: datetime,
    **refs: Any,
) -> LedgerTransaction:
    account = ensure_account(uow, AccountKind.VOLUNTEER, community_id, volunteer_id)
    issued = ensure_account(uow, AccountKind.ISSUED, community_id)
    transaction = post(
        uow, community_id, reason, memo, domain.credit_posting(account, issued, points), by, at, **refs
    )
    balance = uow.session.scalar(select(LedgerAccount.balance).where(LedgerAccount.id == account))
    uow.emit(
        "points.credited",
        {
            "transaction_id": transaction.id,
            "volunteer_id": volunteer_id,
            "points": points,
            "reason": reason,
            "balance": balance,
            "shift_id": refs.get("shift_id"),
            "activity": refs.get("activity"),
        },
        community_id=community_id,
    )
    return transaction


def credited_by_leaders(uow: UnitOfWork, account: str, at: datetime) -> int:
    """Activity points team leaders (volunteers) credited to this account on the community day of ``at``."""
    start, end = domain.community_day(at)
    return int(
        uow.session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.amount), 0))
            .join(LedgerTransaction)
            .where(
                LedgerEntry.account_id == account,
                LedgerTransaction.kind == PostingKind.ACTIVITY,
                LedgerTransaction.posted_at >= start,
                LedgerTransaction.posted_at < end,
                LedgerTransaction.posted_by.in_(select(Volunteer.id)),
            )
        )
        or 0
    )


def credit_activity(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.CreditActivity
) -> dict:
    """Points by quantity (bags of litter collected): the committee for anyone in its community, a team
    leader for its team's members but never itself, and up to a daily limit per volunteer."""
    principal.require(RC, VOL)
    at = clock.now()
    with uow:
        scope = access.visible_volunteers(uow, principal)
        if principal.is_a(VOL):
            led = select(TeamMember.volunteer_id).where(
                TeamMember.team_id.in_(access.led_teams(uow, principal))
            )
            scope = Volunteer.id.in_(led)
        volunteer = uow.session.scalar(select(Volunteer).where(Volunteer.id == command.volunteer_id, scope))
        if volunteer is None or volunteer.community_id != principal.community_id:
            raise NotFound("no such volunteer", field="volunteer_id", code=ErrorCode.NOT_FOUND)
        if command.request_id is not None:
            request = access.request_of(uow, principal, command.request_id)
            if not access.may_manage(uow, principal, request):
                raise NotFound("no such service request", field="request_id", code=ErrorCode.NOT_FOUND)
        points = command.quantity * command.points_per_unit
        account = ensure_account(uow, AccountKind.VOLUNTEER, volunteer.community_id, volunteer.id)
        # The volunteer's account row is locked: concurrent credits count each other's points.
        uow.get(LedgerAccount, account, lock=True)
        domain.check_activity_credit(
            principal.is_a(RC),
            volunteer.id == principal.party_id,
            points,
            credited_by_leaders(uow, account, at) if principal.is_a(VOL) else 0,
            domain.leader_credit_limit(),
        )
        transaction = credit(
            uow,
            volunteer.community_id,
            volunteer.id,
            points,
            PostingKind.ACTIVITY,
            f"{command.quantity} × {command.activity}"[:300],
            principal.party_id,
            at,
            activity=command.activity,
            quantity=command.quantity,
            request_id=command.request_id,
        )
        uow.commit()
        return {
            "id": transaction.id,
            "volunteer_id": volunteer.id,
            "points": points,
            "memo": transaction.memo,
            "posted_at": at,
        }


def points_account(uow: UnitOfWork, clock: Clock, principal: Principal) -> dict:
    """The volunteer's balance (its entries are a list of their own: ``list_points_entries``)."""
    principal.require(VOL)
    with uow:
        account = uow.get(LedgerAccount, account_id(AccountKind.VOLUNTEER, principal.party_id))
        return {"volunteer_id": principal.party_id, "balance": account.balance if account else 0}


# A volunteer's entries, newest first: an entry's id grows with each posting.
ENTRIES = Listing(
    id=LedgerEntry.id, orders={"-posted_at": [desc(LedgerEntry.id)]}, default_order="-posted_at"
)


def list_points_entries(uow: UnitOfWork, clock: Clock, principal: Principal, page: PageRequest) -> Page:
    """One page of the volunteer's own ledger entries."""
    principal.require(VOL)
    with uow:
        mine = account_id(AccountKind.VOLUNTEER, principal.party_id)
        return page_of(uow.session, select(LedgerEntry).where(LedgerEntry.account_id == mine), page, ENTRIES)


def ledger_summary(uow: UnitOfWork, clock: Clock, principal: Principal) -> dict:
    """The committee's trial balance of its community's points."""
    principal.require(RC)
    with uow:
        assert principal.community_id is not None  # a committee has its community
        return trial_balance(uow, principal.community_id)


def trial_balance(uow: UnitOfWork, community_id: str) -> dict:
    accounts = list(
        uow.session.scalars(select(LedgerAccount).where(LedgerAccount.community_id == community_id))
    )
    entry_sums = dict(
        uow.session.execute(
            select(LedgerEntry.account_id, func.sum(LedgerEntry.amount))
            .where(LedgerEntry.account_id.in_([a.id for a in accounts]))
            .group_by(LedgerEntry.account_id)
        )
        .tuples()
        .all()
    )
    posting_sums: Iterable[int] = uow.session.scalars(
        select(func.sum(LedgerEntry.amount))
        .join(LedgerTransaction)
        .where(LedgerTransaction.community_id == community_id)
        .group_by(LedgerEntry.transaction_id)
    )
    balances = {a.id: a.balance for a in accounts}
    by_kind: dict[str, int] = defaultdict(int)
    for account in accounts:
        by_kind[account.kind] += account.balance
    return {
        "issued": -by_kind[AccountKind.ISSUED],
        "redeemed": by_kind[AccountKind.REDEEMED],
        "outstanding": by_kind[AccountKind.VOLUNTEER],
        "balanced": domain.trial_balance(balances, {k: int(v) for k, v in entry_sums.items()}, posting_sums),
    }
