"""The platform's Prometheus metrics, all in this module, named in the domain's words (``gongzhi_``).

Every process exposes its own (``GET /metrics``: the gateway's address, or a service process's
``GONGZHI_METRICS_ADDRESS``); Prometheus adds them up across processes. Every label has a bounded
set of values: services, methods, consumers, event types and party types come from the code, an
operation name only when it looks like one (``OPERATION_NAME``) and while fewer than
``MAX_OPERATION_NAMES`` have been seen, else ``other``; a request without a name is ``anonymous``.

``python -m shared.metrics`` prints the list of metrics with their labels (deploy/README.md).
"""

from __future__ import annotations

import re
import threading

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

# GraphQL: how requests ended. ``ok``: answered without errors; ``refused``: ran, and the platform
# refused something expected (a domain error: not found, a rule); ``rejected``: a gate turned it
# away before it ran (size, sign-in, rate, a malformed body, validation, cost); ``error``: an
# unexpected failure (an internal error, masked to the client).
OUTCOMES = ("ok", "refused", "rejected", "error")
OPERATION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
MAX_OPERATION_NAMES = 500
ANONYMOUS = "anonymous"
OTHER = "other"

# Latency buckets (seconds) from a cached read to a slow mutation.
_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

GRAPHQL_REQUESTS = Counter(
    "gongzhi_graphql_requests",
    "GraphQL requests answered by the gateway, by operation name, party type and outcome",
    ["operation", "party_type", "outcome"],
)
GRAPHQL_SECONDS = Histogram(
    "gongzhi_graphql_request_seconds",
    "Time to answer a GraphQL request, by operation name, party type and outcome",
    ["operation", "party_type", "outcome"],
    buckets=_BUCKETS,
)
RATE_LIMIT_REFUSALS = Counter(
    "gongzhi_rate_limit_refusals",
    "GraphQL requests refused by the per-party rate limit (429), by party type",
    ["party_type"],
)
RPC_CALLS = Counter(
    "gongzhi_rpc_calls_handled",
    "RPC calls a service handled, by service, method and outcome (ok, refused, error)",
    ["service", "method", "outcome"],
)
RPC_SECONDS = Histogram(
    "gongzhi_rpc_call_seconds",
    "Time a service took to handle an RPC call and send its answer, by service and method",
    ["service", "method"],
    buckets=_BUCKETS,
)
EVENTS_HANDLED = Counter(
    "gongzhi_events_handled",
    "Events a consumer handled, by consumer, event type and outcome (ok, duplicate, refused, error)",
    ["consumer", "event_type", "outcome"],
)
EVENT_SECONDS = Histogram(
    "gongzhi_event_handling_seconds",
    "Time a consumer took to handle an event, by consumer and event type",
    ["consumer", "event_type"],
    buckets=_BUCKETS,
)
INBOX_DUPLICATES = Counter(
    "gongzhi_inbox_duplicates_skipped",
    "Events a consumer's inbox had already recorded, skipped without a change, by consumer",
    ["consumer"],
)
DEAD_LETTERS = Counter(
    "gongzhi_dead_letters",
    "Messages sent to the dead-letter queue, by consumer and reason (undecodable, invalid_event, "
    "refused, handler_failure)",
    ["consumer", "reason"],
)
EVENTS_PUBLISHED = Counter(
    "gongzhi_events_published",
    "Events the outbox relay published (confirmed by the broker), by event type",
    ["event_type"],
)
OUTBOX_UNSENT = Gauge(
    "gongzhi_outbox_unsent",
    "Committed events not yet published, per service (measured when scraped)",
    ["service"],
)
OUTBOX_OLDEST_UNSENT_SECONDS = Gauge(
    "gongzhi_outbox_oldest_unsent_seconds",
    "Age of the oldest committed event not yet published, per service (0 when none; measured when scraped)",
    ["service"],
)
BIDS_SUBMITTED = Counter("gongzhi_bids_submitted", "Sealed bids submitted (committed)")
OFFERS_ACCEPTED = Counter("gongzhi_offers_accepted", "Volunteer offers accepted (a shift booked)")
PAYMENTS_RECORDED = Counter(
    "gongzhi_payments_recorded", "Milestone payments recorded (payment.recorded events published)"
)

# Business counters derived from the events the relay publishes.
_COUNTED_EVENTS = {"payment.recorded": PAYMENTS_RECORDED}

DEAD_LETTER_REASONS = ("undecodable", "invalid_event", "refused", "handler_failure")

_names_lock = threading.Lock()
_operation_names: set[str] = set()


def operation_label(name: object) -> str:
    """A label value for an operation name: the name when it is one and the set is not full."""
    if not name:
        return ANONYMOUS
    if not isinstance(name, str) or not OPERATION_NAME.fullmatch(name):
        return OTHER
    if name in _operation_names:
        return name
    with _names_lock:
        if len(_operation_names) >= MAX_OPERATION_NAMES:
            return OTHER
        _operation_names.add(name)
    return name


def graphql_answered(operation: object, party_type: str, outcome: str, status: int, seconds: float) -> None:
    """Count one GraphQL request (and a rate-limit refusal, status 429)."""
    label = operation_label(operation)
    GRAPHQL_REQUESTS.labels(label, party_type, outcome).inc()
    GRAPHQL_SECONDS.labels(label, party_type, outcome).observe(seconds)
    if status == 429:
        RATE_LIMIT_REFUSALS.labels(party_type).inc()


def rpc_handled(service: str, method: str, exc_info, seconds: float) -> None:
    from shared.errors import DomainError

    if exc_info is None:
        outcome = "ok"
    elif isinstance(exc_info[1], DomainError):
        outcome = "refused"
    else:
        outcome = "error"
    RPC_CALLS.labels(service, method, outcome).inc()
    RPC_SECONDS.labels(service, method).observe(seconds)


def event_handled(consumer: str, event_type: str, exc_info, seconds: float) -> None:
    from shared.db import DuplicateEvent
    from shared.errors import DomainError

    error = None if exc_info is None else exc_info[1]
    if error is None:
        outcome = "ok"
    elif isinstance(error, DuplicateEvent):
        outcome = "duplicate"
        INBOX_DUPLICATES.labels(consumer).inc()
    elif isinstance(error, DomainError):
        outcome = "refused"
    else:
        outcome = "error"
    EVENTS_HANDLED.labels(consumer, event_type, outcome).inc()
    EVENT_SECONDS.labels(consumer, event_type).observe(seconds)


def dead_lettered(consumer: str, reason: str) -> None:
    DEAD_LETTERS.labels(consumer, reason if reason in DEAD_LETTER_REASONS else OTHER).inc()


def event_published(event_type: str) -> None:
    EVENTS_PUBLISHED.labels(event_type).inc()
    counted = _COUNTED_EVENTS.get(event_type)
    if counted is not None:
        counted.inc()


def exposition() -> tuple[bytes, str]:
    """The process's metrics in Prometheus's text format, and its content type."""
    from shared import health

    health.measure_outboxes()  # the outbox gauges, from a cheap query at most every second or two
    return generate_latest(), CONTENT_TYPE_LATEST


def catalogue() -> list[tuple[str, str, tuple[str, ...], str]]:
    """Every metric of this module: (name as scraped, type, labels, help)."""
    found = []
    for value in globals().values():
        if isinstance(value, Counter | Gauge | Histogram):
            kind = value._type
            name = value._name + ("_total" if kind == "counter" else "")
            found.append((name, kind, tuple(value._labelnames), value._documentation))
    return found


if __name__ == "__main__":
    for name, kind, labels, documentation in catalogue():
        print(
            f"| `{name}` | {kind} | {', '.join(f'`{label}`' for label in labels) or '—'} | {documentation} |"
        )
