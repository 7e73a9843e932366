"""Declaring the whole platform's broker topology before any event is published.

An event published before its consumer's queue exists would find no queue: so every process, and
the migrations job, declares every exchange, queue and binding ``shared.topology`` names from the
event catalogue, for all the services, whichever ones the process runs (one service per container
starts in any order). Declaring what exists already changes nothing.

Every queue is a quorum queue. A classic queue of the same name, left by an earlier release, is
converted in place with its messages: they are moved to a holding quorum queue, the classic queue
is deleted once empty, the quorum queue is declared and bound in its place and the messages are
moved back. While the name has no queue (a few milliseconds), an event published finds none and
comes back to its relay, which keeps it unsent and tries again, and an RPC request is refused to
its caller, who sends it again under its idempotency key; nothing is lost or doubled. A queue still
consumed by a process of the earlier release is not converted: the command says to stop it first.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from amqp.exceptions import NotFound, PreconditionFailed
from kombu import Connection, Queue

from shared import config, topology
from shared.messaging import EventConsumer

log = logging.getLogger("deploy.broker")


def reachable(uri: str, timeout: float = 3.0) -> bool:
    try:
        with Connection(uri, connect_timeout=timeout) as connection:
            connection.ensure_connection(max_retries=1)
        return True
    except Exception:
        return False


def consumers(service_classes: Iterable[Any]) -> dict[str, set[str]]:
    """The consumers these service classes declare (``@consume``), per event type."""
    found: dict[str, set[str]] = {}
    for cls in service_classes:
        for attr in vars(cls).values():
            for entrypoint in getattr(attr, "nameko_entrypoints", ()):
                if isinstance(entrypoint, EventConsumer):
                    found.setdefault(entrypoint.event_type, set()).add(f"{cls.name}.{attr.__name__}")
    return found


def check_subscriptions() -> None:
    """The subscriptions of the topology are exactly the platform's consumers: a queue nobody
    consumes would fill up forever, and a consumer not subscribed would have no queue until its
    own process starts (its service refuses to start; this says so before anything runs)."""
    from deploy.services import DOMAIN_SERVICES

    declared = consumers(DOMAIN_SERVICES)
    subscribed = {event_type: set(names) for event_type, names in topology.SUBSCRIPTIONS.items()}
    if declared != subscribed:
        missing = sorted(
            f"{t}: {n}" for t, names in declared.items() for n in names - subscribed.get(t, set())
        )
        extra = sorted(f"{t}: {n}" for t, names in subscribed.items() for n in names - declared.get(t, set()))
        raise SystemExit(
            "shared/topology.py SUBSCRIPTIONS disagree with the services' @consume declarations; "
            f"not subscribed: {missing or 'none'}; subscribed but consumed by nobody: {extra or 'none'}"
        )


def declare_queues(service_classes: Iterable[Any] = (), uri: str | None = None) -> None:
    """Declare every exchange, queue and binding of the platform. ``service_classes`` (the services
    of the calling process) change nothing: everything is declared, for every service."""
    check_subscriptions()
    with Connection(uri or config.amqp_uri()) as connection:
        connection.ensure_connection(max_retries=3)
        channel = connection.channel()
        for exchange in topology.exchanges():
            exchange(channel).declare()
        channel.close()
        for queue in topology.queues():
            _declare_replicated(connection, queue)


def _declare_replicated(connection: Connection, queue: Queue) -> None:
    channel = connection.channel()
    try:
        queue(channel).declare()
    except PreconditionFailed as refused:  # the broker closed this channel
        if "x-queue-type" not in str(refused):
            raise
        _convert(connection, queue)
    else:
        channel.close()
    _move_back_what_a_conversion_left(connection, queue)


def _holding(queue: Queue) -> Queue:
    return Queue(f"{queue.name}.converting", durable=True, queue_arguments=topology.QUORUM)


def _convert(connection: Connection, queue: Queue) -> None:
    """A classic queue of an earlier release becomes the quorum queue ``queue``, its messages kept."""
    channel = connection.channel()
    _, waiting, consumers = channel.queue_declare(queue.name, passive=True)
    if consumers:
        raise SystemExit(
            f"the queue {queue.name} is a classic queue of an earlier release, still consumed by "
            f"{consumers} process(es): stop them, then run the migrations (python -m deploy.migrate) again"
        )
    log.warning("converting the classic queue %s (%d messages) to a quorum queue", queue.name, waiting)
    holding = _holding(queue)
    holding(channel).declare()
    while True:
        _move(channel, queue.name, holding.name)
        try:
            channel.queue_delete(queue.name, if_empty=True)
            break
        except PreconditionFailed:  # a message came meanwhile: move it too
            channel = connection.channel()
    channel = connection.channel()
    queue(channel).declare()
    _move(channel, holding.name, queue.name)
    channel.queue_delete(holding.name)
    channel.close()


def _move_back_what_a_conversion_left(connection: Connection, queue: Queue) -> None:
    """A conversion stopped half-way leaves its holding queue: its messages go to the queue."""
    channel = connection.channel()
    holding = _holding(queue)
    try:
        channel.queue_declare(holding.name, passive=True)
    except NotFound:  # the usual case; the broker closed the channel
        return
    _move(channel, holding.name, queue.name)
    channel.queue_delete(holding.name)
    channel.close()


def _move(channel, source: str, target: str) -> int:
    """Every message of ``source`` into ``target`` (through the default exchange), each acknowledged
    to ``source`` only once the broker has confirmed it to ``target``: a failure keeps it, at worst
    in both (an event's consumer keeps it once by its id; a command by its idempotency key)."""
    channel.confirm_select()
    moved = 0
    while (message := channel.basic_get(source, no_ack=False)) is not None:
        channel.basic_publish_confirm(message, exchange="", routing_key=target, mandatory=True)
        channel.basic_ack(message.delivery_info["delivery_tag"])
        moved += 1
    return moved
