"""Declaring every consumer's queue before any event is published.

An event published before its consumer's queue exists would be confirmed and
then dropped, so deployment declares the queues of all consumers first.
"""

from __future__ import annotations

from kombu import Connection

from shared import config
from shared.messaging import DEAD_LETTER_QUEUE, EventConsumer, consumer_queue


def reachable(uri: str, timeout: float = 3.0) -> bool:
    try:
        with Connection(uri, connect_timeout=timeout) as connection:
            connection.ensure_connection(max_retries=1)
        return True
    except Exception:
        return False


def consumer_queues(service_classes) -> list:
    queues = [DEAD_LETTER_QUEUE]
    for cls in service_classes:
        for attr in vars(cls).values():
            for entrypoint in getattr(attr, "nameko_entrypoints", ()):
                if isinstance(entrypoint, EventConsumer):
                    queues.append(consumer_queue(cls.name, attr.__name__, entrypoint.event_type))
    return queues


def declare_queues(service_classes, uri: str | None = None) -> None:
    with Connection(uri or config.amqp_uri()) as connection:
        channel = connection.channel()
        for queue in consumer_queues(service_classes):
            queue(channel).declare()
