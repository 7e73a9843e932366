"""No start order loses an event: an event that finds no queue is returned by the broker and stays
unsent in the outbox (retried, then an ERROR naming its type) instead of being confirmed and
dropped; and every process, and the migrations job, declares the whole platform's topology."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

from alembic.script import ScriptDirectory
from kombu import Connection
from nameko.standalone.rpc import ClusterRpcClient
from sqlalchemy import select, text

from deploy.broker import declare_queues
from services.matching.service import MatchingService
from services.meetings.models import Base as MeetingsBase
from services.meetings.models import OutboxRecord
from services.meetings.service import MeetingsService
from shared import config, topology
from shared.migrations import alembic_config
from tests.conftest import unit_of_work
from tests.helpers import wait_for
from tests.integration.test_reliability import committee, projects, resolution_input  # noqa: F401

# Every consumer's queue of the platform, and who consumes the adopted resolution.
EVERY_QUEUE = [q.name for q in topology.queues()]
RESOLUTION_QUEUES = [q.name for q in topology.queues() if q.routing_key == "resolution.adopted"]


def existing(amqp_uri: str, names: list[str]) -> dict[str, int]:
    """The queues among ``names`` that exist, with their ready messages (a missing one is absent)."""
    found = {}
    with Connection(amqp_uri) as connection:
        for name in names:
            channel = connection.channel()  # a passive declare of a missing queue closes its channel
            try:
                found[name] = channel.queue_declare(queue=name, passive=True).message_count
            except Exception:
                continue
            channel.close()
    return found


def outbox(databases) -> list[OutboxRecord]:
    with unit_of_work(databases["meetings"], MeetingsBase.metadata) as uow:
        return list(uow.session.scalars(select(OutboxRecord).order_by(OutboxRecord.id)))


def test_an_event_published_before_its_consumers_queue_exists_waits_in_the_outbox_until_it_does(
    databases,
    amqp_uri,
    runner_factory,
    committee,  # noqa: F811 (the fixture imported above)
    caplog,
):
    # Only the meetings service runs: nothing has declared the queues of matching or volunteers.
    runner_factory(MeetingsService).start()
    assert not set(existing(amqp_uri, RESOLUTION_QUEUES))
    with ClusterRpcClient() as rpc:
        resolution = rpc.meetings.record_resolution(
            committee["principal"], resolution_input(committee["meeting_id"])
        )
        rpc.meetings.take_position(
            committee["principal"], {"resolution_id": resolution["id"], "stance": "agree"}
        )

    with caplog.at_level(logging.WARNING, logger="shared.relay"):
        wait_for(
            "the relay to say at ERROR that resolution.adopted keeps coming back",
            lambda: any(
                r.levelno == logging.ERROR and "resolution.adopted" in r.getMessage() for r in caplog.records
            ),
            timeout=20,
        )
    (adopted,) = [row for row in outbox(databases) if row.event_type == "resolution.adopted"]
    assert adopted.sent_at is None, "the returned event was marked sent"
    # Events nobody consumes (the meeting's scheduling) are sent: nothing has to receive them.
    assert all(row.sent_at is not None for row in outbox(databases) if row.event_type == "meeting.scheduled")

    runner_factory(MatchingService).start()  # the consumer's process comes up late
    drafted = wait_for("the project drafted from the resolution", lambda: projects(databases))
    assert [p.source_resolution_id for p in drafted] == [resolution["id"]]
    wait_for("the event marked sent", lambda: all(row.sent_at is not None for row in outbox(databases)))


def test_any_process_declares_every_queue_of_the_platform(amqp_uri):
    declare_queues([MeetingsService], amqp_uri)  # a process that runs the meetings service alone
    assert sorted(existing(amqp_uri, EVERY_QUEUE)) == sorted(EVERY_QUEUE)
    assert "evt-matching-project.awarded--contracts.draft_contract_from_award" in EVERY_QUEUE
    declare_queues([MeetingsService], amqp_uri)  # again: changes nothing


def test_the_migrations_job_applies_every_history_and_declares_the_topology(databases, amqp_uri):
    job = subprocess.run(
        [sys.executable, "-m", "deploy.migrate"],
        cwd=config.ROOT,
        env={**os.environ, "PYTHONPATH": str(config.ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert job.returncode == 0, job.stderr
    assert sorted(existing(amqp_uri, EVERY_QUEUE)) == sorted(EVERY_QUEUE)
    for service, engine in databases.items():
        with engine.connect() as connection:
            (version,) = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        assert version == ScriptDirectory.from_config(alembic_config(service)).get_current_head(), service
