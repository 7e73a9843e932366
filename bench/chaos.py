"""The long chaos run (issue 13): every service and the gateway in its own process on PostgreSQL and
a RabbitMQ node of the harness's own, flows driven through the gateway as the parties would while
processes are SIGKILLed at random, the broker is restarted and database backends are terminated.

    .venv/bin/python bench/chaos.py --flows 10000 --kills 100 --broker-restarts 3 --minutes 60

Prints one JSON object per effect (expected, uncertain, found, lost, doubled) and a summary line
(flows, faults, lost, doubled, stuck outbox rows, dead letters with their reasons, processes found
alive but dead). The goal: 0 lost, 0 doubled, 0 alive but dead. ``--commit HEAD`` runs the platform
from the committed tree (a checkout others are editing can be mid-change); SIGUSR1 or SIGTERM ends
the driving early and still quiesces and reports. The harness is
``tests/chaos``; its short run is a test of the suite.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.chaos.run import main  # noqa: E402

if __name__ == "__main__":
    summary = main(sys.argv[1:])
    failed = ("lost", "doubled", "lost_from_causes", "doubled_from_causes", "alive_but_dead")
    sys.exit(1 if any(summary[figure] for figure in failed) else 0)
