"""The platform's broker topology, all of it named here from the event catalogue: each producer's
event exchange, each consumer's durable queue bound to it for one event type, each service's RPC
queue, and the dead-letter exchange and queue.

Every one of these queues is a quorum queue: replicated across a RabbitMQ cluster's nodes, so a node
that fails takes no event, request or dead letter with it. The only others are the callers' RPC
reply queues, exclusive to one connection and gone with it, which a quorum queue cannot be.

Every process declares the whole of it at start, and so does the migrations job
(``python -m deploy.migrate``), whichever services it runs: an event is then never published
before the queue of a consumer that is simply not running yet (one service per container starts in
any order). ``SUBSCRIPTIONS`` is the catalogue's list of who consumes each event type; a consumer
that is not in it refuses to start, and the relay publishes an event that someone consumes as
mandatory, so one that finds no queue comes back instead of being confirmed and dropped.
"""

from __future__ import annotations

from kombu import Exchange, Queue
from nameko.rpc import RPC_QUEUE_TEMPLATE, get_rpc_exchange

from shared.events import CATALOGUE

QUORUM = {"x-queue-type": "quorum"}
# The services that answer RPCs (the gateway calls them; it answers none).
RPC_SERVICES = ("meetings", "matching", "volunteers", "contracts")

# Each event type's consumers, as ``service.method`` (the method decorated ``@consume(type)``).
SUBSCRIPTIONS: dict[str, tuple[str, ...]] = {
    "resolution.adopted": (
        "matching.draft_project_from_resolution",
        "volunteers.open_request_from_resolution",
    ),
    "organisation.assessed": ("matching.record_assessment",),
    "project.awarded": ("contracts.draft_contract_from_award", "meetings.put_award_on_agenda"),
    "milestone.deadline_passed": ("meetings.put_overdue_milestone_on_agenda",),
    "milestone.volunteers_requested": ("volunteers.open_request_from_milestone",),
    "shift.completed": ("contracts.attach_shift",),
    "service_request.went_unfilled": ("meetings.put_unfilled_request_on_agenda",),
}

if unknown := sorted(set(SUBSCRIPTIONS) - set(CATALOGUE)):
    raise ValueError(f"subscriptions to event types not in the catalogue: {', '.join(unknown)}")

DEAD_LETTER_EXCHANGE = Exchange("gongzhi.dead-letter", type="fanout", durable=True)
DEAD_LETTER_QUEUE = Queue(
    "gongzhi.dead-letter",
    exchange=DEAD_LETTER_EXCHANGE,
    routing_key="#",
    durable=True,
    queue_arguments=QUORUM,
)


def event_exchange(source: str) -> Exchange:
    # The same exchange nameko's own event dispatcher uses for a service.
    return Exchange(f"{source}.events", type="topic", durable=True, auto_delete=False)


def consumer_queue(service: str, method: str, event_type: str) -> Queue:
    """The durable queue of one consumer; declaring it is what makes delivery reliable."""
    spec = CATALOGUE[event_type]
    return Queue(
        f"evt-{spec.source}-{event_type}--{service}.{method}",
        exchange=event_exchange(spec.source),
        routing_key=event_type,
        durable=True,
        auto_delete=False,
        exclusive=False,
        queue_arguments=QUORUM,
    )


def rpc_queue(service: str) -> Queue:
    """The queue of a service's RPC requests, as nameko names and binds it, replicated."""
    return Queue(
        RPC_QUEUE_TEMPLATE.format(service),
        exchange=get_rpc_exchange(),
        routing_key=f"{service}.*",
        durable=True,
        queue_arguments=QUORUM,
    )


def is_consumed(event_type: str) -> bool:
    """Whether some queue must receive this event type (so the broker returning it is a fault)."""
    return bool(SUBSCRIPTIONS.get(event_type))


def exchanges() -> list[Exchange]:
    """Every producer's exchange, also of events nobody consumes yet, the dead letters' and the
    RPC requests' (nameko's)."""
    return [
        *(event_exchange(source) for source in sorted({e.source for e in CATALOGUE.values()})),
        DEAD_LETTER_EXCHANGE,
        get_rpc_exchange(),
    ]


def queues() -> list[Queue]:
    """The dead-letter queue, every consumer's queue, each bound to its producer's exchange, and
    every service's RPC queue."""
    found = [DEAD_LETTER_QUEUE, *(rpc_queue(service) for service in RPC_SERVICES)]
    for event_type, consumers in SUBSCRIPTIONS.items():
        for consumer in consumers:
            service, method = consumer.split(".", 1)
            found.append(consumer_queue(service, method, event_type))
    return found
