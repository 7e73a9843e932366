"""One chaos run: start the platform, seed the demo's parties, drive flows from several threads while
the fault injector SIGKILLs processes, restarts the broker and terminates database backends, then
let it quiesce and count.

``python -m tests.chaos.run --flows 200 --kills 10 --broker-restarts 1 --minutes 3`` prints one
JSON object per effect and a summary line (``bench/chaos.py`` is the same for the long run).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from graphql_relay import to_global_id

from tests.chaos import checker
from tests.chaos.client import Client
from tests.chaos.cluster import PROCESSES, ROOT, Platform
from tests.chaos.flows import Flows, Ledger


@dataclass
class Plan:
    flows: int
    kills: int
    broker_restarts: int
    minutes: float  # the faults are spread over this long; flows are driven at least this long
    terminations: int = -1  # backend terminations; as many as kills unless given
    workers: int = 4
    seed: int | None = None
    keep: bool = False  # keep the folder (logs) and databases for a post-mortem
    commit: str | None = None  # run the processes on this commit's tree instead of the checkout


@dataclass
class Faults:
    kills: dict[str, int] = field(default_factory=dict)
    broker_restarts: int = 0
    backends_terminated: int = 0
    log: list[str] = field(default_factory=list)


def seed_parties(platform: Platform) -> dict[str, dict]:
    """The parties and their accounts (``tests.chaos.seed``), made through the running services."""
    path = platform.folder / "parties.json"
    for attempt in range(3):
        done = subprocess.run(
            # By path: the tree under test (``--commit``) may predate the harness.
            [sys.executable, str(ROOT / "tests" / "chaos" / "seed.py"), str(path)],
            cwd=platform.code,
            env=platform.env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode == 0 and path.exists():
            return json.loads(path.read_text())
        print(f"seeding failed (attempt {attempt + 1}): {done.stderr[-500:]}", file=sys.stderr)
    raise RuntimeError("the parties could not be seeded")


def inject(platform: Platform, plan: Plan, faults: Faults, stop: threading.Event, rng: random.Random) -> None:
    """The planned faults, shuffled, one every ``minutes / count`` on average."""
    terminations = plan.kills if plan.terminations < 0 else plan.terminations
    schedule = ["kill"] * plan.kills + ["broker"] * plan.broker_restarts + ["backends"] * terminations
    rng.shuffle(schedule)
    interval = plan.minutes * 60 / max(1, len(schedule) + 1)
    started = time.monotonic()
    for index, fault in enumerate(schedule, start=1):
        due = started + (index + rng.uniform(-0.3, 0.3)) * interval
        while time.monotonic() < due:
            if stop.wait(0.2):
                return
        at = time.monotonic() - started
        if fault == "kill":
            victim = rng.choice(PROCESSES)
            platform.kill(victim)
            faults.kills[victim] = faults.kills.get(victim, 0) + 1
            faults.log.append(f"{at:7.1f}s SIGKILL {victim}")
        elif fault == "broker":
            hard = faults.broker_restarts % 2 == 1
            platform.restart_broker(hard=hard, down_for=rng.uniform(2, 8))
            faults.broker_restarts += 1
            faults.log.append(f"{at:7.1f}s broker {'killed' if hard else 'stopped'} and restarted")
        else:
            try:
                done = platform.terminate_backends(rng.randint(1, 4))
            except Exception as exc:
                faults.log.append(f"{at:7.1f}s could not terminate backends: {exc}")
                continue
            faults.backends_terminated += done
            faults.log.append(f"{at:7.1f}s terminated {done} database backends")


def drive(flows: Flows, plan: Plan, faults_done: threading.Event, halt: threading.Event) -> int:
    """Flows from ``plan.workers`` threads until ``plan.flows`` are driven and the faults are done,
    or until the run is told to halt (SIGUSR1 or SIGTERM: it still quiesces and reports)."""
    counter = iter(range(10**9))
    lock = threading.Lock()
    driven = [0]

    def worker() -> None:
        while True:
            with lock:
                n = next(counter)
                enough = halt.is_set() or (n >= plan.flows and faults_done.is_set())
                if enough:
                    return
                driven[0] += 1
            try:
                flows.run(n)
            except Exception as exc:  # a harness bug must not stop the others; it is reported
                flows.ledger.ended("harness error", f"{type(exc).__name__}: {exc}"[:200])

    threads = [threading.Thread(target=worker, name=f"driver-{i}", daemon=True) for i in range(plan.workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return driven[0]


def run(plan: Plan, out=print, log=lambda line: print(line, file=sys.stderr, flush=True)) -> dict:
    rng = random.Random(plan.seed)
    folder = Path(tempfile.mkdtemp(prefix="gongzhi-chaos-"))
    code = ROOT
    if plan.commit:
        # Other people's unfinished edits in the checkout must not decide a long run's figures.
        code = folder / "code"
        code.mkdir()
        archive = subprocess.run(["git", "archive", plan.commit], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(code)], input=archive.stdout, check=True)
    platform = Platform(folder, code=code, log=log)
    began = time.monotonic()
    try:
        log(f"chaos run {platform.run_id}: code {code}, logs in {folder}")
        platform.start()
        platform.wait_ready()
        accounts = seed_parties(platform)
        client = Client(platform.graphql_url, accounts)
        volunteers = client.query("residents_committee", "{ volunteers(first: 1) { edges { node { id } } } }")
        volunteer_id = volunteers["volunteers"]["edges"][0]["node"]["id"]
        shift_volunteers = {
            party: to_global_id("Volunteer", account["volunteer_id"])
            for party, account in accounts.items()
            if "volunteer_id" in account
        }
        ledger = Ledger()
        flows = Flows(client, ledger, platform.run_id, volunteer_id, shift_volunteers, platform.moved_now)
        log(f"ready after {time.monotonic() - began:.0f} s; driving")

        faults, stop, faults_done = Faults(), threading.Event(), threading.Event()
        for sig in (signal.SIGUSR1, signal.SIGTERM):
            signal.signal(sig, lambda *_: (log("halting: no new flow or fault; quiescing"), stop.set()))

        def injector() -> None:
            try:
                inject(platform, plan, faults, stop, rng)
            finally:
                faults_done.set()

        fault_thread = threading.Thread(target=injector, name="faults", daemon=True)
        drive_began = time.monotonic()
        fault_thread.start()
        served: list[int] = []
        shifts = threading.Thread(
            target=lambda: served.append(
                flows.serve_shifts(
                    platform.move_clock, lambda: checker.wait_until_reported(platform, flows.prefix), stop
                )
            ),
            name="shifts",
            daemon=True,
        )
        shifts.start()
        driven = drive(flows, plan, faults_done, stop)
        flows.days.close()
        shifts.join()
        stop.set()
        fault_thread.join()
        drive_seconds = time.monotonic() - drive_began
        log(f"drove {driven} flows in {drive_seconds:.0f} s; waiting for quiescence")
        state = checker.quiesce(platform, timeout=240, log=log)
        table = checker.figures(platform, flows.prefix, ledger.expected)
        stuck = checker.unsent(platform)
        dead = checker.dead_letters(platform)
        # The same effects counted from the causes each service recorded, whatever the client heard.
        causes = checker.consistency(platform, flows.prefix)
        for row in table:
            out(json.dumps(row.to_json(), ensure_ascii=False))
        for row in causes:
            out(json.dumps({**row.to_json(), "counted_from": "causes in the databases"}, ensure_ascii=False))
        processes = {name: {"starts": p.starts, "exits": p.exits} for name, p in platform.processes.items()}
        summary = {
            "summary": True,
            "flows": driven,
            "flows_by_kind": dict(ledger.flows),
            "flows_broken": dict(ledger.broken),
            "drive_seconds": round(drive_seconds, 1),
            "shift_days": served[0] if served else 0,
            "kills": sum(faults.kills.values()),
            "kills_by_process": faults.kills,
            "broker_restarts": faults.broker_restarts,
            "backends_terminated": faults.backends_terminated,
            "expected": sum(r.expected for r in table),
            "uncertain": sum(r.uncertain for r in table),
            "found": sum(r.found for r in table),
            "lost": sum(r.lost for r in table),
            "doubled": sum(r.doubled for r in table),
            "causes": sum(r.expected for r in causes),
            "lost_from_causes": sum(r.lost for r in causes),
            "doubled_from_causes": sum(r.doubled for r in causes),
            "stuck": sum(stuck.values()),
            "stuck_by_service": stuck,
            "dead_lettered": len(dead),
            "dead_letter_reasons": sorted({f"{d['queue']}: {d['reason'][:160]}" for d in dead})[:10],
            "alive_but_dead": len(platform.incidents),
            "alive_but_dead_incidents": [
                f"{i.process} pid {i.pid}: {i.dead_for:.0f} s ({i.why})" for i in platform.incidents
            ],
            "processes": processes,
            "client": dict(flows.client.counts),
            "not_quiet": state
            if (state.get("not_ready") or state.get("queued") or state.get("error"))
            else None,
            "fault_log": faults.log,
            "seconds": round(time.monotonic() - began, 1),
        }
        out(json.dumps(summary, ensure_ascii=False))
        return summary
    finally:
        platform.stop()
        if not plan.keep:
            platform.drop_databases()
            shutil.rmtree(folder, ignore_errors=True)


def parser() -> argparse.ArgumentParser:
    arguments = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    arguments.add_argument("--flows", type=int, default=200)
    arguments.add_argument("--kills", type=int, default=10)
    arguments.add_argument("--broker-restarts", type=int, default=1)
    arguments.add_argument("--minutes", type=float, default=3.0)
    arguments.add_argument("--terminations", type=int, default=-1, help="database backend terminations")
    arguments.add_argument("--workers", type=int, default=4)
    arguments.add_argument("--seed", type=int)
    arguments.add_argument("--keep", action="store_true", help="keep the logs and databases")
    arguments.add_argument(
        "--commit", help="run the platform from this commit (git archive), not the checkout"
    )
    return arguments


def main(argv: list[str] | None = None) -> dict:
    given = parser().parse_args(argv)
    return run(
        Plan(
            flows=given.flows,
            kills=given.kills,
            broker_restarts=given.broker_restarts,
            minutes=given.minutes,
            terminations=given.terminations,
            workers=given.workers,
            seed=given.seed,
            keep=given.keep,
            commit=given.commit,
        )
    )


if __name__ == "__main__":
    main()
