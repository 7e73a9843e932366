"""The production migrations job: ``python -m deploy.migrate``.

Applies every database's alembic history (each service's and the gateway's, at ``DATABASE_URL`` /
``DATABASE_URL_<SERVICE>``) and declares the whole broker topology at ``AMQP_URI``, so that no
order in which the services then start loses an event. Both are idempotent: run it before every
rollout. Exits non-zero, saying what failed, when a database or the broker refuses.
"""

from __future__ import annotations

import logging
import sys

from deploy import broker
from shared import config, logs
from shared.migrations import upgrade

log = logging.getLogger("deploy.migrate")


def migrate() -> None:
    for service in config.DATABASES:
        log.info("migrating the %s database to its head", service)
        upgrade(service)
    log.info("declaring the broker topology at %s", config.amqp_uri().rsplit("@", 1)[-1])
    broker.declare_queues()


if __name__ == "__main__":
    logs.configure()
    try:
        migrate()
    except Exception as exc:
        log.exception("migrations job failed")
        sys.exit(f"migrations job failed: {exc}")
