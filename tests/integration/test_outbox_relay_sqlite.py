"""The outbox relay on SQLite (the embedded default) never holds the file's write lock while it
publishes: publishing yields to eventlet, and another greenlet's write would then busy-wait on the
one OS thread, freezing the process until "database is locked"."""

from __future__ import annotations

import json
import uuid

import eventlet
from sqlalchemy import insert, select
from sqlalchemy.orm import sessionmaker

from services.meetings.models import Base
from shared.db import Relay, make_engine, now

OUTBOX = Base.metadata.tables["outbox"]


def add_events(sessions, count: int) -> None:
    with sessions() as session:
        for _ in range(count):
            event_id = str(uuid.uuid4())
            session.execute(
                insert(OUTBOX).values(
                    event_id=event_id,
                    event_type="meeting.scheduled",
                    source="meetings",
                    payload=json.dumps({"id": event_id}),
                    created_at=now(),
                )
            )
        session.commit()


def test_another_write_goes_through_while_the_relay_publishes(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'meetings.db'}")
    Base.metadata.create_all(engine)
    sessions = sessionmaker(engine, expire_on_commit=False)
    add_events(sessions, 5)
    published = []

    def publish(wire: dict) -> None:
        eventlet.sleep(0.05)  # waiting for the broker's confirm: other greenlets run meanwhile
        published.append(wire["id"])

    relay = eventlet.spawn(Relay(sessions, Base.metadata, publish).flush)
    eventlet.sleep(0.06)  # the relay is in the middle of its batch
    assert 0 < len(published) < 5
    add_events(sessions, 1)  # a worker's write: with the lock held by the relay it would freeze here
    assert len(published) < 5, "the write waited for the whole batch"
    assert relay.wait() == 6  # its batch, then the event written meanwhile
    with sessions() as session:
        assert session.scalars(select(OUTBOX.c.event_id).where(OUTBOX.c.sent_at.is_(None))).all() == []
    engine.dispose()
