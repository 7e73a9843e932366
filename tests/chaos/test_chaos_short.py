"""The short chaos run of the test suite: every service and the gateway in its own process, a few
dozen flows through the gateway (a milestone's shift worked on its due date, the services' clock
moved there) while processes are SIGKILLed, the broker is restarted once and
database backends are terminated; after quiescence no effect is lost or doubled and no process was
left alive but dead. The harness runs in a process of its own (it starts its own RabbitMQ node and
PostgreSQL databases, so it needs nothing but the machine's RabbitMQ and PostgreSQL installed)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.chaos.cluster import ROOT

pytestmark = pytest.mark.broker

PLAN = ["--flows", "16", "--kills", "3", "--broker-restarts", "1", "--terminations", "2", "--minutes", "0.75"]


def test_no_effect_is_lost_or_doubled_and_no_process_stays_alive_but_dead():
    done = subprocess.run(
        [sys.executable, "-m", "tests.chaos.run", *PLAN, "--seed", "13"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    summary = lines[-1]
    effects = {f"{line['effect']} ({line.get('counted_from', 'answers')})": line for line in lines[:-1]}
    report = json.dumps(summary, indent=1, ensure_ascii=False) + "\n" + done.stderr[-2000:]
    # The faults happened and the flows had effects to check: the figures below are not vacuous.
    assert summary["kills"] == 3 and summary["broker_restarts"] == 1, report
    assert summary["expected"] >= 20, report
    # Every chain was driven to its end, the milestone's shift too (on a moved clock).
    assert [e for e, f in effects.items() if not f["expected"]] == [], report
    assert {e: (f["lost"], f["doubled"]) for e, f in effects.items() if f["lost"] or f["doubled"]} == {}, (
        report
    )
    assert summary["alive_but_dead"] == 0, report
