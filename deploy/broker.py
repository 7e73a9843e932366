"""Reaching RabbitMQ, and declaring every consumer's queue before any event is published.

An event published before its consumer's queue exists would be confirmed and
then dropped, so deployment declares the queues of all consumers first.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

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


def ensure_broker(uri: str | None = None) -> None:
    """Reach the broker; start a local one when none answers, or say what to install."""
    uri = uri or config.amqp_uri()
    if reachable(uri):
        return
    if shutil.which("rabbitmq-server"):
        print("RabbitMQ does not answer; starting the local rabbitmq-server …", flush=True)
        subprocess.run(["rabbitmq-server", "-detached"], check=False)
    elif shutil.which("docker"):
        print("RabbitMQ does not answer; starting it with docker compose …", flush=True)
        subprocess.run(["docker", "compose", "up", "-d", "rabbitmq"], cwd=config.ROOT, check=False)
    else:
        sys.exit(
            f"RabbitMQ does not answer at {uri}.\n"
            "Install it (Debian/Ubuntu: apt-get install rabbitmq-server) or Docker, "
            "or set AMQP_URI to a running broker."
        )
    for _ in range(60):
        if reachable(uri):
            return
        time.sleep(1)
    sys.exit(f"RabbitMQ did not come up at {uri} within a minute.")


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
