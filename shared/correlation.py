"""One correlation id for everything one request caused, carried by nameko's worker context data.

Every service's container is ``Container`` (nameko's ``SERVICE_CONTAINER_CLS``, set by
``shared.config.nameko_config``). Before a worker's dependencies are made, it takes the worker's
correlation id, puts it in the worker's context data and binds it to the worker's log lines
(``shared.logs``):

- a consumer's worker takes the id of the event it handles (the envelope's ``correlation_id``);
- any other worker takes the ``correlation_id`` of its context data, which nameko sends with every
  RPC as a message header (``nameko.correlation_id``): the gateway's request's id, or that of the
  worker that made the call;
- a worker started with none (a timer's tick, an HTTP request, an operator's call) starts a fresh one.

From the context data it goes on with each RPC the worker makes, and the service's unit of work
writes it into each event the worker emits (``shared.dependencies.Database``, ``shared.db``), so
the consumers of those events take it in turn.

Each worker also leaves one line when it ends: an event handled, at INFO (``gongzhi.events``:
event type and id, consumer, outcome, milliseconds); an RPC or a timer's tick, at DEBUG
(``gongzhi.rpc``, ``gongzhi.timer``). The gateway's HTTP workers write the access log instead.
"""

from __future__ import annotations

import logging
import time
import uuid

from nameko.containers import ServiceContainer, WorkerContext
from nameko.rpc import Rpc
from nameko.timer import Timer

from shared import logs
from shared.events import Event

MAX_LENGTH = 128  # a correlation id from a message header longer than this is not trusted

events_log = logging.getLogger("gongzhi.events")
rpc_log = logging.getLogger("gongzhi.rpc")
timer_log = logging.getLogger("gongzhi.timer")


def correlate(worker_ctx: WorkerContext) -> str:
    """The worker's correlation id, put in its context data and bound to its log lines."""
    event = worker_ctx.args[0] if worker_ctx.args else None
    given = worker_ctx.data.get("correlation_id")
    if isinstance(event, Event):
        correlation = event.correlation_id
    elif isinstance(given, str) and 0 < len(given) <= MAX_LENGTH:
        correlation = given
    else:
        correlation = str(uuid.uuid4())
    worker_ctx.data["correlation_id"] = correlation
    logs.bind(correlation, f"{worker_ctx.service_name}.{worker_ctx.entrypoint.method_name}")
    return correlation


def ended(worker_ctx: WorkerContext, exc_info, started: float | None) -> None:
    """The worker's one line (see the module's docstring)."""
    entrypoint = worker_ctx.entrypoint
    error = None if exc_info is None else exc_info[1]
    outcome = logs.outcome(error, getattr(entrypoint, "expected_exceptions", ()))
    ms = round((time.perf_counter() - started) * 1000, 1) if started is not None else None
    name = f"{worker_ctx.service_name}.{entrypoint.method_name}"
    event = worker_ctx.args[0] if worker_ctx.args else None
    if isinstance(event, Event):
        events_log.info(
            "%s %s handled by %s: %s (%s ms)",
            event.type,
            event.id,
            name,
            outcome,
            ms,
            extra={
                "event_type": event.type,
                "event_id": event.id,
                "consumer": name,
                "outcome": outcome,
                "ms": ms,
            },
        )
    elif isinstance(entrypoint, Rpc):
        rpc_log.debug("%s: %s (%s ms)", name, outcome, ms, extra={"rpc": name, "outcome": outcome, "ms": ms})
    elif isinstance(entrypoint, Timer):
        timer_log.debug(
            "%s: %s (%s ms)", name, outcome, ms, extra={"timer": name, "outcome": outcome, "ms": ms}
        )


class Container(ServiceContainer):
    """nameko's service container, each worker under its correlation id (see the module)."""

    def __init__(self, service_cls) -> None:
        logs.install()  # whoever runs services (deploy.serve, a test) gets the ids and quiet refusals
        super().__init__(service_cls)

    def _inject_dependencies(self, worker_ctx: WorkerContext) -> None:
        # In the worker's own green thread, before any dependency reads the id from the context.
        worker_ctx.gongzhi_started = time.perf_counter()
        correlate(worker_ctx)
        super()._inject_dependencies(worker_ctx)

    def _worker_result(self, worker_ctx: WorkerContext, result, exc_info) -> None:
        try:
            ended(worker_ctx, exc_info, getattr(worker_ctx, "gongzhi_started", None))
        except Exception:  # a line that cannot be written never changes what the worker did
            logging.getLogger(__name__).exception("could not log the end of %s", worker_ctx)
        super()._worker_result(worker_ctx, result, exc_info)


CONTAINER_PATH = f"{Container.__module__}.{Container.__qualname__}"
