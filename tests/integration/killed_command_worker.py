"""One service in a process of its own that dies at the worst moment of an RPC command, for the
idempotency test: ``python -m tests.integration.killed_command_worker SERVICE METHOD MARKER``.

It runs the real service (its database from DATABASE_URL, its broker from AMQP_URI) and says "ready"
once it consumes. The first time a worker of ``METHOD`` commits its transaction, the process writes
``MARKER`` and kills itself with SIGKILL: after the commit, before nameko sends the reply and
acknowledges the request, so the broker delivers the request again to whoever consumes next. Started
again with ``MARKER`` present, it runs as the service does.

The hook is this file's alone (a dependency marking the method's workers, and SQLAlchemy's
``after_commit`` of a transaction's real commit, never of a savepoint's release).
"""

from __future__ import annotations

import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()

import os  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402

from nameko import config as nameko_config  # noqa: E402
from nameko.extensions import DependencyProvider  # noqa: E402
from nameko.runners import ServiceRunner  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from deploy.services import ALL_SERVICES  # noqa: E402
from shared import config  # noqa: E402

# Green-thread local once eventlet is patched: which worker is running now.
_RUNNING = threading.local()


class MarksTheCommand(DependencyProvider):
    """Marks the green thread of each worker of the command that is to die."""

    def __init__(self, method: str):
        self.method = method

    def worker_setup(self, worker_ctx) -> None:
        _RUNNING.dying = worker_ctx.entrypoint.method_name == self.method

    def worker_teardown(self, worker_ctx) -> None:
        _RUNNING.dying = False


def main(service: str, method: str, marker: str) -> None:
    first_life = not Path(marker).exists()

    def die_after_commit(session: Session) -> None:
        if session.in_nested_transaction():
            return  # a savepoint released: nothing is committed yet
        if first_life and getattr(_RUNNING, "dying", False):
            Path(marker).write_text(method)
            os.kill(os.getpid(), signal.SIGKILL)

    event.listen(Session, "after_commit", die_after_commit)
    served = {cls.name: cls for cls in ALL_SERVICES}[service]
    dying = type(served.__name__, (served,), {"marks_the_command": MarksTheCommand(method)})

    nameko_config.setup(config.nameko_config(max_workers=4))
    runner = ServiceRunner()
    runner.add_service(dying)
    runner.start()
    print("ready", flush=True)
    try:
        runner.wait()
    finally:
        runner.stop()


if __name__ == "__main__":
    main(*sys.argv[1:])
