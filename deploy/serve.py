"""Run one or more of the platform's services: ``python -m deploy.serve meetings gateway``.

Each service's migrations are applied and the whole platform's broker topology (every exchange,
queue and binding of ``shared.topology``, whichever services this process runs) is declared
before it starts, so no start order drops an event for want of a queue. SIGINT and SIGTERM stop
the services cleanly.

In production (``GONGZHI_ENV=production``) the migrations job (``python -m deploy.migrate``) owns
both: a service process changes neither, it checks that each of its databases is at its head and
exits 1, saying to run the job, when one is not (replicas starting together never race to
migrate). It imports only the services it runs: the volunteers service's solver needs numpy and
scipy, which only the image's full target has.

A process never stays up with a dead service in it. nameko kills a service's container when
something in it fails for good (an RPC reply that cannot be published while the broker is down,
for one), and its consumers, relay and timers die with it. The process then withdraws its
readiness (``shared.readiness``), stops the other services and exits with status 70, logging the
service and the cause, so that its supervisor starts it again.
"""

from __future__ import annotations

import importlib
import logging
import signal
import sys
from collections.abc import Callable

import eventlet
import eventlet.event
from nameko import config as nameko_config
from nameko.containers import ServiceContainer
from nameko.runners import ServiceRunner

from deploy import broker
from deploy.backing_services import ensure_broker
from shared import clock, config, health, logs, readiness
from shared.migrations import require_head, upgrade

# Each service's class (those of deploy.services, in its order), imported only when it is run.
BY_NAME = {
    "meetings": "services.meetings.service:MeetingsService",
    "matching": "services.matching.service:MatchingService",
    "volunteers": "services.volunteers.service:VolunteersService",
    "contracts": "services.contracts.service:ContractsService",
    "gateway": "gateway.service:GatewayService",
}
EXIT_SERVICE_DIED = 70  # EX_SOFTWARE: distinct from a refusal to start (1)
STOP_SECONDS = 10  # in-flight work that cannot finish (its reply has nowhere to go) is cut short

log = logging.getLogger("deploy.serve")


def run(names: list[str], when_started: Callable[[], None] = lambda: None) -> None:
    logs.configure()
    unknown = sorted(set(names) - set(BY_NAME))
    if unknown:
        sys.exit(f"unknown services: {', '.join(unknown)}; choose from {', '.join(BY_NAME)}")
    if "gateway" in names:
        config.token_secret()  # production refuses to start without a signing key
        if config.production() and not config.redis_url():
            log.warning(
                "GONGZHI_REDIS_URL is unset: this gateway keeps its rate limits, ended sign-ins and "
                "persisted queries to itself, right for one replica only (deploy/README.md, Shared state)"
            )
    moved = config.clock_offset_file()
    if moved is not None:
        clock.install(clock.OffsetFileClock(moved))
    classes = [service_class(name) for name in names]
    for name in names:
        if name in config.DATABASES and config.production():
            require_head(name)  # the migrations job migrates in production
        elif name in config.DATABASES:
            upgrade(name)
    if not config.production():  # the migrations job declares the topology in production
        broker.declare_queues(classes)

    nameko_config.setup(config.nameko_config())
    # /health/live, /health/ready and /metrics of this process, when asked for an address of their own.
    probes = health.serve(address) if (address := config.metrics_address()) else None
    runner = ServiceRunner()
    for cls in classes:
        runner.add_service(cls)
    runner.start()
    # None once asked to stop; (service, cause) when a service died first.
    outcome: eventlet.event.Event = eventlet.event.Event()
    for container in runner.containers:
        eventlet.spawn_n(_watch, container, outcome)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: outcome.ready() or outcome.send(None))
    if not outcome.ready():
        readiness.mark(True)
    try:
        when_started()
        died = outcome.wait()
    finally:
        readiness.mark(False)
        print("\nStopping …", flush=True)
        with eventlet.Timeout(STOP_SECONDS, False):
            runner.stop()
        runner.kill()  # whatever did not stop in time
        if probes is not None:
            probes.kill()
    if died is not None:
        service, cause = died
        log.critical(
            "service %s died (%s); exiting with status %d so that a supervisor restarts the process",
            service,
            cause,
            EXIT_SERVICE_DIED,
        )
        sys.exit(EXIT_SERVICE_DIED)


def service_class(name: str) -> type:
    module, _, attr = BY_NAME[name].partition(":")
    return getattr(importlib.import_module(module), attr)


def _watch(container: ServiceContainer, outcome: eventlet.event.Event) -> None:
    """Report the container's end unless the process was asked to stop first."""
    try:
        container.wait()
        cause = "its container stopped"
    except Exception as exc:  # the exception the container was killed with
        cause = f"{type(exc).__name__}: {exc}"
    if not outcome.ready():
        readiness.mark(False)  # before anything else, so that no probe sees it ready while it stops
        outcome.send((container.service_name, cause))


if __name__ == "__main__":
    ensure_broker()
    run(sys.argv[1:] or list(BY_NAME))
