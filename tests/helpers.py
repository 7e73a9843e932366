"""Small helpers the tests share. The broker's import kombu and shared.messaging when called, so
that importing this module from the unit layer brings in neither nameko nor eventlet."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kombu import Queue


def nodes(page: dict) -> list[dict]:
    """The records of one page a list RPC answered (``shared.paging.Page.to_wire``)."""
    return [edge["node"] for edge in page["edges"]]


def wait_for(what: str, probe, timeout: float = 20.0, interval: float = 0.05):
    """Poll ``probe`` until it returns something truthy; fail naming ``what``."""
    import eventlet

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        eventlet.sleep(interval)
    raise AssertionError(f"waited {timeout:.0f} s for {what}")


def publish_raw(amqp_uri: str, source: str, routing_key: str, body) -> None:
    """Put a message on a service's event exchange as a (possibly broken) producer would."""
    from kombu import Connection, Exchange, Producer

    exchange = Exchange(f"{source}.events", type="topic", durable=True)
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as connection:
        Producer(connection).publish(
            body,
            exchange=exchange,
            routing_key=routing_key,
            declare=[exchange],
            serializer="json",
            delivery_mode=2,
        )


def message_count(amqp_uri: str, queue: Queue) -> int:
    from kombu import Connection

    with Connection(amqp_uri) as connection:
        return queue(connection.channel()).queue_declare(passive=True).message_count


def dead_letters(amqp_uri: str) -> list:
    """Drain the dead-letter queue: (body, headers) of each message."""
    from kombu import Connection

    from shared.messaging import DEAD_LETTER_QUEUE

    found = []
    with Connection(amqp_uri) as connection:
        queue = DEAD_LETTER_QUEUE(connection.channel())
        queue.declare()
        while (message := queue.get(no_ack=True)) is not None:
            found.append((message.decode(), message.headers))
    return found
