"""Use cases of the volunteers service that need no SQL, run on the in-memory unit of work: no
database, no broker, no nameko."""

from datetime import datetime, timedelta, timezone

import pytest

from services.volunteers.commands import DraftFromResolution, OpenForMilestone, RestockReward
from services.volunteers.handlers import requests, rewards
from services.volunteers.models import Reward, ServiceRequest
from shared.clock import FixedClock
from shared.errors import InvalidInput, NotFound, PermissionDenied
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


def test_a_resolution_to_dispatch_volunteers_leaves_a_draft_and_other_decisions_nothing():
    uow = FakeUnitOfWork()
    adopted = dict(meeting_id="m1", resolution_id="r1", title="Clean-up day", text="Litter for eggs.")
    assert (
        requests.open_request_from_resolution(
            uow, CLOCK, DraftFromResolution("c1", decision_type="purchase_service", **adopted)
        )
        is None
    )
    assert uow.all(ServiceRequest) == [] and uow.committed == 1  # handled, so never again
    draft = requests.open_request_from_resolution(
        uow, CLOCK, DraftFromResolution("c1", decision_type="dispatch_volunteers", **adopted)
    )
    assert uow.all(ServiceRequest) == [draft]
    assert (draft.status, draft.source, draft.owner_type, draft.opened_at) == (
        "draft",
        "resolution",
        "residents_committee",
        CLOCK.now(),
    )
    assert uow.events == []  # a draft is announced when the committee opens it


def test_a_milestone_needing_volunteers_opens_a_request_and_announces_it():
    starts = CLOCK.now() + timedelta(days=2)
    needed = OpenForMilestone(
        "c1", "k1", "m1", "Free clinic day", "first_aid", 2, starts, starts + timedelta(hours=3), "Hall"
    )
    opened = requests.open_request_from_milestone(FakeUnitOfWork(), CLOCK, needed)
    assert (opened.status, opened.skills, opened.contract_id, opened.places) == (
        "open",
        {"first_aid": 1},
        "k1",
        2,
    )
    uow = FakeUnitOfWork()
    requests.open_request_from_milestone(uow, CLOCK, needed)
    (announced,) = uow.events
    assert announced["type"] == "service_request.opened" and announced["data"]["skill"] == "first_aid"
    with pytest.raises(InvalidInput):  # a window that ends before it starts is refused, nothing kept
        requests.open_request_from_milestone(
            uow, CLOCK, OpenForMilestone("c1", "k1", "m2", "x", "y", 1, starts, starts, "Hall")
        )
