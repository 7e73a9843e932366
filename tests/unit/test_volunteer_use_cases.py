"""Use cases of the volunteers service that need no SQL, run on the in-memory unit of work: no
database, no broker, no nameko."""

from datetime import datetime, timezone

import pytest

from services.volunteers.commands import RestockReward
from services.volunteers.handlers import rewards
from services.volunteers.models import Reward
from shared.clock import FixedClock
from shared.errors import NotFound, PermissionDenied
from shared.identity import PartyType, Principal
from tests.fakes import FakeUnitOfWork

CLOCK = FixedClock(datetime(2026, 12, 7, 1, 0, tzinfo=timezone.utc))
COMMITTEE = Principal("acct-rc", PartyType.RESIDENTS_COMMITTEE, "rc1", "d1", "c1")
OTHER_COMMITTEE = Principal("acct-rc2", PartyType.RESIDENTS_COMMITTEE, "rc2", "d1", "c2")
VOLUNTEER = Principal("acct-v", PartyType.VOLUNTEER, "v1", "d1", "c1")


def eggs(stock: int = 2) -> Reward:
    return Reward(
        id="r1", community_id="c1", name="Eggs", kind="eggs", points=10, stock=stock, created_at=CLOCK.now()
    )


def test_the_committee_restocks_its_communitys_reward():
    uow = FakeUnitOfWork(eggs(stock=2))
    restocked = rewards.restock_reward(uow, CLOCK, COMMITTEE, RestockReward("r1", quantity=30))
    assert restocked.stock == 32 and uow.get(Reward, "r1").stock == 32
    assert uow.committed == 1 and uow.events == []


def test_another_communitys_reward_answers_like_an_unknown_one_and_keeps_its_stock():
    uow = FakeUnitOfWork(eggs(stock=2))
    for reward_id in ("r1", "nowhere"):
        with pytest.raises(NotFound) as refused:
            rewards.restock_reward(uow, CLOCK, OTHER_COMMITTEE, RestockReward(reward_id, quantity=5))
        assert refused.value.field == "reward_id"
    assert uow.get(Reward, "r1").stock == 2 and uow.committed == 0


def test_only_the_committee_restocks():
    uow = FakeUnitOfWork(eggs())
    with pytest.raises(PermissionDenied):
        rewards.restock_reward(uow, CLOCK, VOLUNTEER, RestockReward("r1", quantity=5))
    assert uow.get(Reward, "r1").stock == 2
