"""Run the whole platform on this machine: every service and the gateway in one process.

Reaches RabbitMQ (starting the machine's own when the local default address does not answer:
``./run.sh`` is the one command that may), applies migrations, seeds the demo once, prints the web
console's address with each party's demo account, then GraphiQL's with a token for each party (also
in ``var/demo.json``). ``./run.sh`` has built the console before. Ctrl-C stops everything cleanly.
"""

from __future__ import annotations

import time

from nameko import config as nameko_config

from deploy import demo, serve
from deploy.backing_services import ensure_broker
from shared import config
from shared.migrations import revisions, upgrade


def migrate() -> None:
    """Each database behind its head is migrated, saying so (the first run creates them all)."""
    for name in config.DATABASES:
        current, heads = revisions(name)
        if current == heads:
            continue
        started = time.monotonic()
        print(f"Migrating the {name} database …", end="", flush=True)
        upgrade(name)
        print(f" done in {time.monotonic() - started:.1f} s", flush=True)


def started() -> None:
    demo.announce(f"http://{nameko_config['WEB_SERVER_ADDRESS']}/graphql")
    print("Ctrl-C stops everything.", flush=True)


if __name__ == "__main__":
    ensure_broker(start_local=True)  # ./run.sh: the local default broker may be started
    migrate()  # deploy.serve would too, without a word; this says what takes the time
    serve.run(list(serve.BY_NAME), when_started=started)
