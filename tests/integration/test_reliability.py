"""No lost and no doubled effects, proven with the real broker, the real database and real faults."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
from nameko.standalone.rpc import ClusterRpcClient
from nameko.testing.services import worker_factory
from sqlalchemy import select, text

from deploy.broker import declare_queues
from services.matching.models import Base as MatchingBase
from services.matching.models import InboxRecord, Project
from services.matching.service import MatchingService
from services.meetings.models import Base as MeetingsBase
from services.meetings.models import OutboxRecord
from services.meetings.service import MeetingsService
from shared import config
from shared.clock import SystemClock
from shared.events import new_event
from shared.messaging import consumer_queue
from tests.conftest import unit_of_work
from tests.helpers import dead_letters, message_count, publish_raw, wait_for

RESOLUTION_QUEUE = consumer_queue("matching", "draft_project_from_resolution", "resolution.adopted")
SOON = datetime.now(timezone.utc) + timedelta(days=2)


def purchase(resolution_id: str = "r1", **overrides) -> dict:
    data = {
        "resolution_id": resolution_id,
        "meeting_id": "m1",
        "decision_type": "purchase_service",
        "title": "Home care",
        "text": "Weekly visits",
        "budget": "128000.00",
        "category": "elderly_care",
    }
    return new_event("resolution.adopted", {**data, **overrides}, "c1")


def projects(databases) -> list[Project]:
    with unit_of_work(databases["matching"], MatchingBase.metadata) as uow:
        return list(uow.session.scalars(select(Project)))


def inbox(databases) -> list[InboxRecord]:
    with unit_of_work(databases["matching"], MatchingBase.metadata) as uow:
        return list(uow.session.scalars(select(InboxRecord)))


@pytest.fixture
def committee(databases):
    """A community with its committee, made through the meetings service's own use cases."""
    meetings = worker_factory(
        MeetingsService, db=unit_of_work(databases["meetings"], MeetingsBase.metadata), clock=SystemClock()
    )
    district = meetings.register_district({"name": "D", "office_name": "O"})
    community = meetings.register_community(
        {"district_id": district["district_id"], "name": "C", "committee_name": "RC"}
    )
    principal = {
        "account_id": "a",
        "party_type": "residents_committee",
        "party_id": community["committee_id"],
        "district_id": district["district_id"],
        "community_id": community["community_id"],
    }
    meeting = meetings.schedule_meeting(
        principal,
        {
            "title": "Joint meeting",
            "location": "Hall",
            "starts_at": SOON.isoformat(),
            "ends_at": (SOON + timedelta(hours=1)).isoformat(),
        },
    )
    meetings.sign_in_to_meeting(principal, {"meeting_id": meeting["id"], "delegate": "Director Liu"})
    return {"principal": principal, "meeting_id": meeting["id"]}


def resolution_input(meeting_id: str) -> dict:
    return {
        "meeting_id": meeting_id,
        "title": "Buy home care",
        "text": "Weekly visits",
        "decision_type": "purchase_service",
        "budget": "128000.00",
        "category": "elderly_care",
    }


def test_an_event_published_while_its_consumer_is_stopped_is_processed_once_when_it_returns(
    databases, amqp_uri, runner_factory, committee
):
    declare_queues([MatchingService], amqp_uri)
    meetings = runner_factory(MeetingsService)
    meetings.start()
    with ClusterRpcClient() as rpc:
        resolution = rpc.meetings.record_resolution(
            committee["principal"], resolution_input(committee["meeting_id"])
        )
        rpc.meetings.take_position(
            committee["principal"], {"resolution_id": resolution["id"], "stance": "agree"}
        )
    wait_for(
        "the event waiting in the stopped consumer's queue",
        lambda: message_count(amqp_uri, RESOLUTION_QUEUE) == 1,
    )
    assert projects(databases) == []

    runner_factory(MatchingService).start()
    drafted = wait_for("the project drafted from the resolution", lambda: projects(databases))
    assert [p.source_resolution_id for p in drafted] == [resolution["id"]]
    wait_for("the queue to drain", lambda: message_count(amqp_uri, RESOLUTION_QUEUE) == 0)
    assert len(projects(databases)) == 1 and len(inbox(databases)) == 1


def test_a_redelivered_event_changes_nothing(databases, amqp_uri, runner_factory):
    runner_factory(MatchingService).start()
    event = purchase()
    for _ in range(3):  # the same event, three times, handled by concurrent workers
        publish_raw(amqp_uri, "meetings", "resolution.adopted", event)
    wait_for("the event to be handled", lambda: inbox(databases))
    wait_for("every copy to be consumed", lambda: message_count(amqp_uri, RESOLUTION_QUEUE) == 0)
    assert [p.source_resolution_id for p in projects(databases)] == ["r1"]
    assert [i.event_id for i in inbox(databases)] == [event["id"]]
    assert dead_letters(amqp_uri) == []


KILLED_WORKER = """
import os, signal, sys
from services.meetings.handlers import resolutions
from services.meetings.models import Base
from services.meetings.schemas import RecordResolution, TakePosition
from shared.clock import SystemClock
from shared.identity import Principal
from shared.validation import load
from tests.conftest import unit_of_work
from shared.db import make_engine
from shared import config

principal, clock = Principal.from_dict({principal!r}), SystemClock()
uow = unit_of_work(make_engine(config.database_url("meetings")), Base.metadata)
resolution = resolutions.record_resolution(uow, clock, principal, load(RecordResolution, {data!r}))
stance = load(TakePosition, {{"resolution_id": resolution.id, "stance": "agree", "reason": ""}})
resolutions.take_position(uow, clock, principal, stance)
os.kill(os.getpid(), signal.SIGKILL)  # dies after the commit, before any relay could publish
"""


def test_a_service_killed_between_commit_and_publish_still_publishes_after_restart(
    databases, amqp_uri, runner_factory, committee
):
    declare_queues([MatchingService], amqp_uri)
    script = KILLED_WORKER.format(
        principal=committee["principal"], data=resolution_input(committee["meeting_id"])
    )
    died = subprocess.run(
        [sys.executable, "-c", script],
        cwd=config.ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert died.returncode == -signal.SIGKILL, died.stderr
    with unit_of_work(databases["meetings"], MeetingsBase.metadata) as uow:
        (row,) = [
            r for r in uow.session.scalars(select(OutboxRecord)) if r.event_type == "resolution.adopted"
        ]
    assert row.sent_at is None

    runner_factory(MeetingsService, MatchingService).start()  # the restart
    drafted = wait_for("the project drafted from the committed resolution", lambda: projects(databases))
    assert [p.source_resolution_id for p in drafted] == [json.loads(row.payload)["data"]["resolution_id"]]
    with unit_of_work(databases["meetings"], MeetingsBase.metadata) as uow:
        assert uow.session.get(OutboxRecord, row.id).sent_at is not None


def test_a_malformed_event_lands_in_the_dead_letter_queue_with_its_reason(
    databases, amqp_uri, runner_factory
):
    runner_factory(MatchingService).start()
    broken = purchase()
    broken["data"]["budget"] = "a lot"
    publish_raw(amqp_uri, "meetings", "resolution.adopted", broken)
    publish_raw(amqp_uri, "meetings", "resolution.adopted", "not even an object")
    letters = wait_for("two dead letters", lambda: dead_letters(amqp_uri), timeout=10)
    letters += wait_for("the second", lambda: dead_letters(amqp_uri), timeout=10) if len(letters) < 2 else []
    reasons = sorted(headers["x-reason"] for _, headers in letters)
    assert "bad data for resolution.adopted" in reasons[0] and "budget" in reasons[0]
    assert "not an event envelope" in reasons[1]
    assert {headers["x-queue"] for _, headers in letters} == {RESOLUTION_QUEUE.name}
    assert any(body == broken for body, _ in letters)
    assert projects(databases) == [] and inbox(databases) == []


def test_an_event_the_domain_refuses_is_dead_lettered_at_once(databases, amqp_uri, runner_factory):
    runner_factory(MatchingService).start()
    publish_raw(amqp_uri, "meetings", "resolution.adopted", purchase(budget=None))
    ((body, headers),) = wait_for("the dead letter", lambda: dead_letters(amqp_uri), timeout=10)
    assert headers["x-reason"].startswith("refused:") and "budget" in headers["x-reason"]
    assert projects(databases) == []


def test_a_handler_that_keeps_failing_is_retried_then_dead_lettered(databases, amqp_uri, runner_factory):
    runner_factory(MatchingService).start()
    with databases["matching"].begin() as connection:  # a real fault: the table is gone
        connection.execute(text("ALTER TABLE project RENAME TO project_away"))
    try:
        publish_raw(amqp_uri, "meetings", "resolution.adopted", purchase())
        ((_, headers),) = wait_for("the dead letter", lambda: dead_letters(amqp_uri), timeout=20)
    finally:
        with databases["matching"].begin() as connection:
            connection.execute(text("ALTER TABLE project_away RENAME TO project"))
    assert headers["x-reason"].startswith("failed 5 times") and "project" in headers["x-reason"]
    assert projects(databases) == [] and inbox(databases) == []


def test_a_transient_fault_is_retried_until_the_event_is_handled_once(
    databases, amqp_uri, runner_factory, caplog
):
    runner_factory(MatchingService).start()
    with databases["matching"].begin() as connection:
        connection.execute(text("ALTER TABLE project RENAME TO project_away"))
    try:
        publish_raw(amqp_uri, "meetings", "resolution.adopted", purchase())
        wait_for("a failed attempt", lambda: "retrying" in caplog.text, timeout=10)
    finally:
        with databases["matching"].begin() as connection:
            connection.execute(text("ALTER TABLE project_away RENAME TO project"))
    wait_for("the retried event to be handled", lambda: projects(databases))
    assert len(projects(databases)) == 1 and len(inbox(databases)) == 1
    assert dead_letters(amqp_uri) == []
