"""Concurrent redemptions against PostgreSQL, each in its own operating-system process: stock never goes
below zero, no balance is overdrawn, and the points ledger stays balanced."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest
from sqlalchemy import func, select

from services.volunteers.commands import AddReward, CreditActivity, RegisterVolunteer
from services.volunteers.handlers import points, registry, rewards
from services.volunteers.models import Base, LedgerEntry, Redemption, Reward
from shared import config
from shared.clock import SystemClock
from shared.identity import PartyType, Principal
from tests.conftest import unit_of_work

COMMITTEE = Principal("acct-rc", PartyType.RESIDENTS_COMMITTEE, "rc1", "d1", "c1")


def redeem_at_once(url: str, principal: Principal, reward_id: str, processes: int) -> Counter:
    """Start the processes, wait until each is connected, then let them all redeem at the same moment."""
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.integration.redemption_worker",
                url,
                json.dumps(principal.to_dict()),
                reward_id,
            ],
            cwd=config.ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    try:
        for worker in workers:
            assert worker.stdout.readline().strip() == "ready"
        for worker in workers:
            worker.stdin.write("go\n")
            worker.stdin.flush()
        return Counter(worker.communicate(timeout=60)[0].strip() for worker in workers)
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()


@pytest.fixture
def volunteer_with_points(databases):
    uow = unit_of_work(databases["volunteers"], Base.metadata)
    volunteer = registry.enrol_volunteer(uow, SystemClock(), "c1", RegisterVolunteer(name="Wang"))
    points.credit_activity(
        uow,
        SystemClock(),
        COMMITTEE,
        CreditActivity(volunteer_id=volunteer.id, activity="bags of litter", quantity=10, points_per_unit=10),
    )
    principal = Principal(f"acct-{volunteer.id}", PartyType.VOLUNTEER, volunteer.id, "d1", "c1")
    return uow, principal


def test_concurrent_redemptions_never_oversell_overdraw_or_unbalance_the_ledger(
    databases, database_template, volunteer_with_points
):
    uow, wang = volunteer_with_points
    url = database_template.format(service="volunteers")
    eggs = rewards.add_reward(
        uow, SystemClock(), COMMITTEE, AddReward(name="Eggs", kind="eggs", points=10, stock=7)
    )
    soap = rewards.add_reward(
        uow, SystemClock(), COMMITTEE, AddReward(name="Soap", kind="daily_goods", points=10, stock=50)
    )

    # Stock runs out first: 12 at once for 7 boxes of eggs.
    assert redeem_at_once(url, wang, eggs.id, 12) == Counter({"ok": 7, "out_of_stock": 5})
    # Then points: 30 left, 8 at once for soap at 10 each.
    assert redeem_at_once(url, wang, soap.id, 8) == Counter({"ok": 3, "insufficient_points": 5})

    with uow:
        stock = dict(uow.session.execute(select(Reward.name, Reward.stock)).tuples().all())
        redemptions = uow.session.scalar(select(func.count()).select_from(Redemption))
        postings = uow.session.execute(
            select(LedgerEntry.transaction_id, func.sum(LedgerEntry.amount), func.count()).group_by(
                LedgerEntry.transaction_id
            )
        ).all()
    assert stock == {"Eggs": 0, "Soap": 47} and redemptions == 10
    assert len(postings) == 11 and all(total == 0 and entries == 2 for _, total, entries in postings)
    assert points.points_account(uow, SystemClock(), wang)["balance"] == 0
    assert points.ledger_summary(uow, SystemClock(), COMMITTEE) == {
        "issued": 100,
        "redeemed": 100,
        "outstanding": 0,
        "balanced": True,
    }
