"""A bid at the deadline against the opening timer, in two operating-system processes on PostgreSQL.

The bidder's transaction passes the deadline check just before the deadline and commits just after
it, while the timer opens the bids. Locking the project's row in both makes the bid either commit
before the opening (counted, its digest published) or find the project opened; never a bid that
can be scored but is missing from the published digests (or a withdrawn one that is in them).

Each process runs on a clock that stands where the test puts it, either side of the deadline, and
the second starts once the first holds its transaction open: nothing waits for a real deadline."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from deploy.seed import credit_code
from services.matching import commands
from services.matching.handlers import bids, registry
from services.matching.handlers.projects import create_project, publish_project
from services.matching.models import Base, Bid, OutboxRecord
from shared import config
from shared.clock import SystemClock
from shared.events import parse_event
from shared.identity import PartyType, Principal
from tests.conftest import unit_of_work

COMMITTEE = Principal("acc-rc", PartyType.RESIDENTS_COMMITTEE, "rc1", "d1", "c1")
OFFICE = Principal("acc-so", PartyType.STREET_OFFICE, "so1", district_id="d1")
DETAILS = {"team": "two social workers", "timeline": "weekly from January"}
# The bidder's clock shows this long before the deadline; it holds its commit twice as long.
MARGIN = 0.7
CLOCK = SystemClock()


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
    """Let the process act on the project, its clock showing ``at``."""
    process.stdin.write(f"{project_id} {at.isoformat()}\n")
    process.stdin.flush()


def holding(process) -> None:
    """Wait until the process holds its transaction (its locks taken, its commit delayed)."""
    assert process.stdout.readline().strip() == "holding"


def bidder(uow, n: int) -> Principal:
    filing = commands.RegisterOrganisation(
        credit_code=credit_code(f"5231000000000000{n}"),
        name=f"Org {n}",
        legal_form="social_group",
        categories=["elderly_care"],
        community_ids=["c1"],
        district_id="d1",
        staff_count=5,
    )
    organisation = registry.register_organisation(uow, CLOCK, filing, {"c1": "d1"})
    registry.review_filing(uow, CLOCK, OFFICE, commands.ReviewFiling(organisation.id, "approve"))
    return Principal(f"acc-{n}", PartyType.SOCIAL_ORGANISATION, organisation.id)


def bid(uow, who: Principal, project_id: str, price: str) -> Bid:
    command = commands.SubmitBid(project_id, Decimal(price), f"plan at {price}", **DETAILS)
    return bids.submit_bid(uow, CLOCK, who, command)


def tender(uow) -> tuple[str, datetime]:
    """A project open for bids: its id and its deadline (an hour away; the workers' clocks are set
    either side of it)."""
    draft = commands.CreateProject(title="Home care", category="elderly_care", budget=Decimal("1000.00"))
    project = create_project(uow, CLOCK, COMMITTEE, draft)
    deadline = CLOCK.now() + timedelta(hours=1)
    publish_project(uow, CLOCK, COMMITTEE, commands.PublishProject(project.id, deadline))
    return project.id, deadline


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
        project_id, deadline = tender(uow)
        bid(uow, first, project_id, "900.00")
        if action != "submit":
            bid(uow, second, project_id, "950.00")  # amended or withdrawn at the deadline

        start(processes[0], project_id, deadline - timedelta(seconds=MARGIN))
        holding(processes[0])  # the bidder passed the deadline check and holds its commit
        start(processes[1], project_id, deadline + timedelta(seconds=0.05))
        answers = [p.communicate(timeout=60)[0].strip() for p in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()

    assert answers == ["ok", "opened"], "the bidder was in time; the timer opened the project"
    with uow:
        made = {
            b.organisation_id: b for b in uow.session.scalars(select(Bid).where(Bid.project_id == project_id))
        }
        (opened,) = [
            parse_event(json.loads(r.payload))
            for r in uow.session.scalars(
                select(OutboxRecord).where(OutboxRecord.event_type == "project.opened")
            )
        ]
    valid = sorted(b.digest for b in made.values() if b.status == "submitted")
    assert opened.data["bid_digests"] == valid and opened.data["valid_bids"] == len(valid)
    assert [d["digest"] for d in bids.bid_digests(uow, CLOCK, COMMITTEE, [project_id])] == valid
    assert sorted(b.digest for b in bids.list_bids(uow, CLOCK, COMMITTEE, [project_id])) == valid
    expected = {
        "submit": ("submitted", "850.00"),
        "amend": ("submitted", "850.00"),
        "withdraw": ("withdrawn", "950.00"),
    }[action]
    assert (made[second.party_id].status, f"{made[second.party_id].price:.2f}") == expected
    assert len(valid) == (1 if action == "withdraw" else 2)


def test_a_bid_arriving_while_the_opening_holds_the_project_is_refused_as_past_the_deadline(
    databases, database_template
):
    uow = unit_of_work(databases["matching"], Base.metadata)
    url = database_template.format(service="matching")
    first, second = bidder(uow, 1), bidder(uow, 2)
    processes = [worker(url, "open", None, hold=1.0), worker(url, "submit", second, hold=0)]
    try:
        project_id, deadline = tender(uow)
        bid(uow, first, project_id, "900.00")
        start(processes[0], project_id, deadline + timedelta(seconds=0.05))
        holding(processes[0])  # the opening holds the project
        start(processes[1], project_id, deadline + timedelta(seconds=0.4))
        answers = [p.communicate(timeout=60)[0].strip() for p in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    assert answers == ["opened", "deadline_passed"]
    with uow:
        assert [
            b.organisation_id for b in uow.session.scalars(select(Bid).where(Bid.project_id == project_id))
        ] == [first.party_id]
