"""nameko's dependency providers of the platform: a service's database (with its outbox relay)
and its clock."""

from __future__ import annotations

import logging

import eventlet
from eventlet.event import Event as Signal
from nameko.extensions import DependencyProvider
from sqlalchemy.orm import sessionmaker

from shared import clock, config, health
from shared.db import UnitOfWork, make_engine
from shared.errors import register_with_nameko
from shared.relay import Relay, Unroutable
from shared.topology import event_exchange, is_consumed

log = logging.getLogger(__name__)
register_with_nameko()


class EventPublisher:
    """Publishes the outbox's events: persistent, confirmed by the broker, and mandatory when someone
    consumes the type (``shared.topology``), so that an event no queue is bound for yet comes back
    (basic.return) and raises ``Unroutable`` instead of being confirmed and dropped.

    The return is taken by a callback on the producer's channel, which the broker sends before the
    confirm: the publish still waits for its own confirm, so the next one is never mistaken for it
    (nameko's Publisher raises out of that wait and leaves the confirm to the next publish)."""

    def __init__(self, amqp_uri: str):
        from kombu import Connection, Producer

        self.uri = amqp_uri
        self._connection = Connection(amqp_uri, transport_options={"confirm_publish": True})
        self._producer = Producer(self._connection, serializer="json", on_return=self._on_return)
        self._returned: dict[str, str] = {}  # event id -> the broker's reason

    def _on_return(self, exc, exchange, routing_key, message) -> None:
        self._returned[message.properties.get("message_id")] = f"{exc} ({exchange} {routing_key})"

    def __call__(self, wire: dict) -> None:
        exchange = event_exchange(wire["source"])
        self._returned.pop(wire["id"], None)
        self._producer.publish(
            wire,
            exchange=exchange,
            routing_key=wire["type"],
            declare=[exchange],
            headers={"gongzhi.event_id": wire["id"]},
            message_id=wire["id"],
            delivery_mode=2,
            mandatory=is_consumed(wire["type"]),
            retry=True,
            retry_policy={"max_retries": 3, "interval_start": 0.5, "interval_step": 1, "interval_max": 3},
        )
        if wire["id"] in self._returned:
            raise Unroutable(f"{wire['type']} {wire['id']}: {self._returned.pop(wire['id'])}")

    def close(self) -> None:
        self._connection.release()


class Database(DependencyProvider):
    """Gives each worker a unit of work on the service's own database, and relays its outbox.

    The relay runs right after a worker commits events, and every
    ``relay_interval`` seconds as the safety net for a crash between commit and
    publish.
    """

    relay_interval = 1.0

    def __init__(self, service: str, metadata):
        self.service = service
        self.metadata = metadata

    def setup(self) -> None:
        from nameko import config as nameko_config

        max_workers = nameko_config.get("max_workers", 10)
        self.engine = make_engine(config.database_url(self.service), pool_size=max_workers + 2)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.publisher = EventPublisher(nameko_config["AMQP_URI"])
        self.relay = Relay(self.sessions, self.metadata, self.publisher)
        self._wake = Signal()

    def start(self) -> None:
        health.register(
            self, self.service, self.engine, self.metadata.tables.get("outbox"), self.publisher.uri
        )
        if "outbox" in self.metadata.tables:  # a service that publishes no events has none
            self.container.spawn_managed_thread(self._relay_forever, identifier="outbox-relay")

    def stop(self) -> None:
        health.unregister(self)
        self._stopping = True
        self.kick()
        self.engine.dispose()
        self.publisher.close()

    def kill(self) -> None:
        self.stop()

    def kick(self) -> None:
        if not self._wake.ready():
            self._wake.send(True)

    def _relay_forever(self) -> None:
        self._stopping = False
        while not self._stopping:
            try:
                self.relay.flush()
            except Exception:  # the broker or database is away: retry on the next tick
                log.exception("outbox relay of %s failed; retrying", self.service)
            with eventlet.Timeout(self.relay_interval, False):
                self._wake.wait()
            self._wake = Signal()

    def get_dependency(self, worker_ctx) -> UnitOfWork:
        from shared.messaging import EventConsumer

        entrypoint = worker_ctx.entrypoint
        handling = None
        consumer = None
        if isinstance(entrypoint, EventConsumer):
            handling = worker_ctx.args[0]
            consumer = f"{self.service}.{entrypoint.method_name}"
        return UnitOfWork(
            self.sessions,
            self.metadata,
            handling=handling,
            consumer=consumer,
            correlation_id=worker_ctx.data.get("correlation_id"),
            on_commit=self.kick,
            # A command's key travels as context data, as the correlation id does (shared.entrypoints).
            idempotency_key=worker_ctx.data.get("idempotency_key"),
        )


class Clocks(DependencyProvider):
    """Gives each worker the process's clock (``shared.clock.current``): the system's, or the one a
    test installed to move time past a deadline."""

    def get_dependency(self, worker_ctx) -> clock.Clock:
        return clock.current()
