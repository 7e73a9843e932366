"""Run one or more of the platform's services: ``python -m deploy.serve meetings gateway``.

Each service's migrations are applied and its consumers' queues declared before
it starts, so no event published after start-up can be dropped for want of a
queue. SIGINT and SIGTERM stop the services cleanly.
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Callable

import eventlet.event
from nameko import config as nameko_config
from nameko.runners import ServiceRunner

from deploy import broker
from deploy.backing_services import ensure_broker
from deploy.services import ALL_SERVICES
from shared import config
from shared.migrations import upgrade

BY_NAME = {cls.name: cls for cls in ALL_SERVICES}


def run(names: list[str], when_started: Callable[[], None] = lambda: None) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    unknown = sorted(set(names) - set(BY_NAME))
    if unknown:
        sys.exit(f"unknown services: {', '.join(unknown)}; choose from {', '.join(BY_NAME)}")
    if "gateway" in names:
        config.token_secret()  # production refuses to start without a signing key
    classes = [BY_NAME[name] for name in names]
    for name in names:
        if name in config.DATABASES:
            upgrade(name)
    broker.declare_queues(classes)

    nameko_config.setup(config.nameko_config())
    runner = ServiceRunner()
    for cls in classes:
        runner.add_service(cls)
    runner.start()
    stop = eventlet.event.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.ready() or stop.send())
    try:
        when_started()
        stop.wait()
    finally:
        print("\nStopping …", flush=True)
        runner.stop()


if __name__ == "__main__":
    ensure_broker()
    run(sys.argv[1:] or list(BY_NAME))
