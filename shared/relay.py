"""The outbox relay: publishes the events a unit of work committed to its outbox (``shared.db``).

A row is marked sent only once the broker confirmed it (publisher confirms, persistent messages),
so a crash in between publishes it again and consumers' inboxes absorb the duplicate. An event
someone consumes is published ``mandatory`` (``shared.dependencies.EventPublisher``): one the
broker returns instead, because no queue is bound for its type yet, raises ``Unroutable`` and is
not sent; it stays in the outbox for the next flush.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from sqlalchemy import select, update
from sqlalchemy.orm import sessionmaker

from shared import metrics
from shared.db import now

log = logging.getLogger(__name__)


class Unroutable(Exception):
    """The broker returned an event instead of confirming it: no queue is bound for its type yet."""


class Relay:
    """Publishes committed outbox rows to RabbitMQ and marks them sent.

    Publishing uses confirms and persistent messages; a row is marked sent
    only after the broker confirmed it, so a crash in between publishes it
    again (consumers' inboxes absorb the duplicate). ``SKIP LOCKED`` lets
    several replicas relay the same outbox without publishing a row twice.
    An event the broker returns (``Unroutable``: its consumers' queues are not
    declared) is not sent: it stays in the outbox for the next flush, and after
    ``returns_before_alert`` returns in a row the relay says so at ERROR.
    """

    batch = 200
    returns_before_alert = 5

    def __init__(self, sessions: sessionmaker, metadata, publish: Callable[[dict], None]):
        self._sessions = sessions
        self._outbox = metadata.tables.get("outbox")
        self._publish = publish
        self._returns: dict[int, int] = {}  # outbox row -> times the broker returned it in a row

    def flush(self) -> int:
        sent = 0
        returned: list[int] = []  # rows returned in this flush wait for the next one
        while True:
            with self._sessions() as session:
                query = select(self._outbox.c.id, self._outbox.c.event_type, self._outbox.c.payload).where(
                    self._outbox.c.sent_at.is_(None)
                )
                if returned:
                    query = query.where(self._outbox.c.id.not_in(returned))
                rows = session.execute(
                    query.order_by(self._outbox.c.id).limit(self.batch).with_for_update(skip_locked=True)
                ).all()
                if not rows:
                    # Counts of rows not returned this time (sent, here or by another replica) end.
                    self._returns = {row_id: n for row_id, n in self._returns.items() if row_id in returned}
                    return sent
                if session.get_bind().dialect.name == "sqlite":
                    # SQLite has no row locks, only one writer per file, and its busy wait blocks
                    # the eventlet hub: end the transaction before publishing (which yields), so no
                    # other greenlet of the process waits on a lock that cannot be released. One
                    # relay per file and process (the embedded default), so nobody else sends these.
                    session.rollback()
                confirmed = []
                for row in rows:
                    try:
                        self._publish(json.loads(row.payload))
                    except Unroutable as exc:
                        returned.append(row.id)
                        self._returned(row.id, row.event_type, exc)
                    else:
                        confirmed.append(row.id)
                        self._returns.pop(row.id, None)
                # Marked sent only once all were confirmed: a crash in between publishes them again.
                if confirmed:
                    session.execute(
                        update(self._outbox).where(self._outbox.c.id.in_(confirmed)).values(sent_at=now())
                    )
                session.commit()
                sent += len(confirmed)
                for row in rows:
                    if row.id in confirmed:
                        metrics.event_published(row.event_type)

    def _returned(self, row_id: int, event_type: str, exc: Unroutable) -> None:
        times = self._returns[row_id] = self._returns.get(row_id, 0) + 1
        if times % self.returns_before_alert == 0:
            log.error(
                "%s event returned by the broker %d times in a row, still unsent: no queue is bound "
                "for it; declare the topology (python -m deploy.migrate). %s",
                event_type,
                times,
                exc,
            )
        else:
            log.warning("%s event returned by the broker (%d), kept unsent: %s", event_type, times, exc)
