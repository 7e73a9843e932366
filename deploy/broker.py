"""Declaring the whole platform's broker topology before any event is published.

An event published before its consumer's queue exists would find no queue: so every process, and
the migrations job, declares every exchange, queue and binding ``shared.topology`` names from the
event catalogue, for all the services, whichever ones the process runs (one service per container
starts in any order). Declaring what exists already changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kombu import Connection

from shared import config, topology
from shared.messaging import EventConsumer


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
        topology.declare(connection.channel())
