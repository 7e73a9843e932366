"""A bid at the deadline against the opening timer, in two operating-system processes on PostgreSQL.

The bidder's transaction passes the deadline check just before the deadline and commits just after
it, while the timer opens the bids. Locking the project's row in both makes the bid either commit
before the opening (counted, its digest published) or find the project opened; never a bid that
can be scored but is missing from the published digests (or a withdrawn one that is in them)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select

from deploy.seed import credit_code
from services.matching import handlers
from services.matching.models import Base, Bid, OutboxRecord
from shared import config
from shared.events import parse_event
from shared.identity import PartyType, Principal
from tests.conftest import unit_of_work

COMMITTEE = Principal("acc-rc", PartyType.RESIDENTS_COMMITTEE, "rc1", "d1", "c1")
OFFICE = Principal("acc-so", PartyType.STREET_OFFICE, "so1", district_id="d1")
DETAILS = {"team": "two social workers", "timeline": "weekly from January"}
# The bidder checks the deadline this long before it, and holds its commit until as long after it.
MARGIN = 0.7


def worker(url: str, role: str, principal: Principal | None, hold: float, price: str = "900.00"):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.integration.tender_worker",
            url,
            role,
            json.dumps(principal.to_dict() if principal else {}),
            str(hold),
            price,
        ],
        cwd=config.ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "ready"
    return process


def start(process, project_id: str, at: datetime) -> None:
    time.sleep(max(0.0, (at - datetime.now(timezone.utc)).total_seconds()))
    process.stdin.write(f"{project_id}\n")
    process.stdin.flush()


def bidder(uow, n: int) -> Principal:
    organisation = handlers.register_organisation(
        uow,
        {
            "credit_code": credit_code(f"5231000000000000{n}"),
            "name": f"Org {n}",
            "legal_form": "social_group",
            "categories": ["elderly_care"],
            "community_ids": ["c1"],
            "district_id": "d1",
            "staff_count": 5,
            "qualifications": [],
        },
        {"c1": "d1"},
    )
    handlers.review_filing(
        uow, OFFICE, {"organisation_id": organisation.id, "decision": "approve", "reason": None}
    )
    return Principal(f"acc-{n}", PartyType.SOCIAL_ORGANISATION, organisation.id)


def bid(uow, who: Principal, project_id: str, price: str) -> Bid:
    data = {"project_id": project_id, "price": Decimal(price), "plan": f"plan at {price}", **DETAILS}
    return handlers.submit_bid(uow, who, data)


@pytest.mark.parametrize("action", ["submit", "amend", "withdraw"])
def test_a_bid_committing_at_the_deadline_is_in_the_published_digests_or_not_counted_at_all(
    databases, database_template, action
):
    uow = unit_of_work(databases["matching"], Base.metadata)
    url = database_template.format(service="matching")
    first, second = bidder(uow, 1), bidder(uow, 2)
    processes = [
        worker(
            url, "submit" if action != "withdraw" else "withdraw", second, hold=2 * MARGIN, price="850.00"
        ),
        worker(url, "open", None, hold=0),
    ]
    try:
        project = handlers.create_project(
            uow, COMMITTEE, {"title": "Home care", "category": "elderly_care", "budget": Decimal("1000.00")}
        )
        deadline = datetime.now(timezone.utc) + timedelta(seconds=2)
        handlers.publish_project(uow, COMMITTEE, {"project_id": project.id, "bid_deadline": deadline})
        bid(uow, first, project.id, "900.00")
        if action != "submit":
            bid(uow, second, project.id, "950.00")  # amended or withdrawn at the deadline

        start(processes[0], project.id, deadline - timedelta(seconds=MARGIN))
        start(processes[1], project.id, deadline + timedelta(seconds=0.05))
        answers = [p.communicate(timeout=60)[0].strip() for p in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()

    assert answers == ["ok", "opened"], "the bidder was in time; the timer opened the project"
    with uow:
        bids = {
            b.organisation_id: b for b in uow.session.scalars(select(Bid).where(Bid.project_id == project.id))
        }
        (opened,) = [
            parse_event(json.loads(r.payload))
            for r in uow.session.scalars(
                select(OutboxRecord).where(OutboxRecord.event_type == "project.opened")
            )
        ]
    valid = sorted(b.digest for b in bids.values() if b.status == "submitted")
    assert opened.data["bid_digests"] == valid and opened.data["valid_bids"] == len(valid)
    assert [d["digest"] for d in handlers.bid_digests(uow, COMMITTEE, [project.id])] == valid
    assert sorted(b.digest for b in handlers.list_bids(uow, COMMITTEE, [project.id])) == valid
    expected = {
        "submit": ("submitted", "850.00"),
        "amend": ("submitted", "850.00"),
        "withdraw": ("withdrawn", "950.00"),
    }[action]
    assert (bids[second.party_id].status, f"{bids[second.party_id].price:.2f}") == expected
    assert len(valid) == (1 if action == "withdraw" else 2)


def test_a_bid_arriving_while_the_opening_holds_the_project_is_refused_as_past_the_deadline(
    databases, database_template
):
    uow = unit_of_work(databases["matching"], Base.metadata)
    url = database_template.format(service="matching")
    first, second = bidder(uow, 1), bidder(uow, 2)
    processes = [worker(url, "open", None, hold=1.0), worker(url, "submit", second, hold=0)]
    try:
        project = handlers.create_project(
            uow, COMMITTEE, {"title": "Home care", "category": "elderly_care", "budget": Decimal("1000.00")}
        )
        deadline = datetime.now(timezone.utc) + timedelta(seconds=1.5)
        handlers.publish_project(uow, COMMITTEE, {"project_id": project.id, "bid_deadline": deadline})
        bid(uow, first, project.id, "900.00")
        start(processes[0], project.id, deadline + timedelta(seconds=0.05))
        start(processes[1], project.id, deadline + timedelta(seconds=0.4))
        answers = [p.communicate(timeout=60)[0].strip() for p in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    assert answers == ["opened", "deadline_passed"]
    with uow:
        assert [
            b.organisation_id for b in uow.session.scalars(select(Bid).where(Bid.project_id == project.id))
        ] == [first.party_id]
