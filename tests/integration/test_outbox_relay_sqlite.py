"""The outbox relay on SQLite (the embedded default) never holds the file's write lock while it
publishes: publishing yields to eventlet, and another greenlet's write would then busy-wait on the
one OS thread, freezing the process until "database is locked"."""

from __future__ import annotations

import json
import uuid

import eventlet
import eventlet.event
from sqlalchemy import insert, select
from sqlalchemy.orm import sessionmaker

from services.meetings.models import Base
from shared.db import make_engine, now
from shared.relay import Relay

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
    in_the_middle = eventlet.event.Event()
    written = eventlet.event.Event()

    def publish(wire: dict) -> None:
        published.append(wire["id"])
        if len(published) == 1:
            # Waiting for the broker's confirm: other greenlets run meanwhile.
            in_the_middle.send()
            written.wait()

    relay = eventlet.spawn(Relay(sessions, Base.metadata, publish).flush)
    in_the_middle.wait()
    with eventlet.Timeout(10):  # a worker's write: with the lock held by the relay it would wait here
        add_events(sessions, 1)
    assert len(published) == 1, "the write waited for the relay's batch"
    written.send()
    assert relay.wait() == 6  # its batch, then the event written meanwhile
    with sessions() as session:
        assert session.scalars(select(OUTBOX.c.event_id).where(OUTBOX.c.sent_at.is_(None))).all() == []
    engine.dispose()
