"""Rewards the committee stocks (eggs, daily goods, services) and volunteers redeem for points."""

from __future__ import annotations

from sqlalchemy import Select, select

from services.volunteers import commands, domain
from services.volunteers.handlers import access
from services.volunteers.handlers.access import RC, VOL
from services.volunteers.handlers.points import ensure_account, post
from services.volunteers.models import LedgerAccount, Redemption, Reward
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.errors import Conflict, NotFound
from shared.identity import Principal
from shared.paging import Listing, Page, PageRequest, asc, desc, page_of
from shared.vocabulary.volunteers import ErrorCode

REWARDS = Listing(
    id=Reward.id, orders={"points": [asc(Reward.points), asc(Reward.name)]}, default_order="points"
)
REDEMPTIONS = Listing(
    id=Redemption.id, orders={"-redeemed_at": [desc(Redemption.redeemed_at)]}, default_order="-redeemed_at"
)


def add_reward(uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.AddReward) -> Reward:
    principal.require(RC)
    with uow:
        if uow.session.scalar(
            select(Reward.id).where(
                Reward.community_id == principal.community_id, Reward.name == command.name
            )
        ):
            raise Conflict("a reward of that name exists", field="name", code=ErrorCode.DUPLICATE)
        reward = Reward(
            community_id=principal.community_id,
            name=command.name,
            kind=command.kind,
            points=command.points,
            stock=command.stock,
            created_at=clock.now(),
        )
        uow.add(reward)
        uow.commit()
        return reward


def restock_reward(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.RestockReward
) -> Reward:
    principal.require(RC)
    with uow:
        reward = uow.get(Reward, command.reward_id, lock=True)
        if reward is None or reward.community_id != principal.community_id:
            raise NotFound("no such reward", field="reward_id", code=ErrorCode.NOT_FOUND)
        reward.stock += command.quantity
        uow.commit()
        return reward


def _rewards(principal: Principal) -> Select:
    return select(Reward).where(access.visible_rewards(principal))


def list_rewards(uow: UnitOfWork, clock: Clock, principal: Principal, page: PageRequest) -> Page:
    with uow:
        return page_of(uow.session, _rewards(principal), page, REWARDS)


def get_rewards(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[Reward]:
    with uow:
        return list(uow.session.scalars(_rewards(principal).where(Reward.id.in_(ids))))


def redeem_reward(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.RedeemReward
) -> Redemption:
    """Points for a reward from stock. The reward's row and then the volunteer's account are locked in
    that order, so concurrent redemptions queue instead of overdrawing either."""
    principal.require(VOL)
    at = clock.now()
    community_id = principal.community_id
    assert community_id is not None  # a volunteer belongs to its community
    with uow:
        reward = uow.session.scalar(
            select(Reward)
            .where(Reward.id == command.reward_id, Reward.community_id == community_id)
            .with_for_update(of=Reward)
            .execution_options(populate_existing=True)
        )
        if reward is None:
            raise NotFound("no such reward", field="reward_id", code=ErrorCode.NOT_FOUND)
        account_id = ensure_account(uow, domain.AccountKind.VOLUNTEER, community_id, principal.party_id)
        account = uow.session.scalar(
            select(LedgerAccount)
            .where(LedgerAccount.id == account_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        assert account is not None  # ensured just above
        cost = domain.check_redemption(account.balance, reward.stock, reward.points, command.quantity)
        reward.stock -= command.quantity
        redeemed = ensure_account(uow, domain.AccountKind.REDEEMED, community_id)
        transaction = post(
            uow,
            community_id,
            domain.PostingKind.REDEMPTION,
            f"{command.quantity} × {reward.name}"[:300],
            domain.redemption_posting(account_id, redeemed, cost),
            principal.party_id,
            at,
        )
        redemption = Redemption(
            reward=reward,
            volunteer_id=principal.party_id,
            transaction_id=transaction.id,
            quantity=command.quantity,
            points=cost,
            redeemed_at=at,
        )
        uow.add(redemption)
        uow.flush()
        uow.emit(
            "reward.redeemed",
            {
                "redemption_id": redemption.id,
                "volunteer_id": principal.party_id,
                "reward_id": reward.id,
                "reward_name": reward.name,
                "quantity": command.quantity,
                "points": cost,
            },
            community_id=community_id,
        )
        uow.commit()
        return redemption


def _redemptions(principal: Principal) -> Select:
    return select(Redemption).where(access.visible_redemptions(principal))


def list_redemptions(uow: UnitOfWork, clock: Clock, principal: Principal, page: PageRequest) -> Page:
    with uow:
        return page_of(uow.session, _redemptions(principal), page, REDEMPTIONS)


def get_redemptions(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[Redemption]:
    """The redemptions among ``ids`` the party may see (node(id:))."""
    with uow:
        return list(uow.session.scalars(_redemptions(principal).where(Redemption.id.in_(ids))))
