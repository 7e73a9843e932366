"""The platform under chaos: PostgreSQL databases made for the run (dropped at the end), the
harness's RabbitMQ node, ``python -m deploy.serve <name>`` once per service and for the gateway,
and a supervisor that restarts a process that exits (as Kubernetes would) and finds processes
that are alive but dead (alive, with their consumers gone or the gateway not answering)."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from shared.clock import OffsetFileClock
from tests.rabbit_node import RabbitNode

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("meetings", "matching", "volunteers", "contracts")
PROCESSES = (*SERVICES, "gateway")
DATABASES = (*SERVICES, "gateway")
# The processes whose clock the harness moves (to a milestone's shift); the others keep the
# machine's, so a bid's deadline and a meeting's time are never overtaken by a jump.
MOVED_CLOCK = ("volunteers", "contracts")
POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
# A process is judged only once it has had this long to migrate and start its consumers, and the
# node this long to be back after a restart; then this long without consumers is "alive but dead".
START_GRACE = 45.0
DEAD_AFTER = 20.0
# A process that exits within this long of its start is crash-looping: it is started again after a
# pause that doubles each time, up to CRASH_PAUSE_MAX seconds (Kubernetes' CrashLoopBackOff).
CRASHED_WITHIN = 30.0
CRASH_PAUSE_MAX = 30.0


def _die_with_the_harness() -> None:
    """In the child, before exec: SIGKILL when the harness's thread that started it ends (prctl
    PR_SET_PDEATHSIG), so no platform process outlives a harness that was killed."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def queues(node: RabbitNode) -> dict[str, tuple[int, int]]:
    """Each queue of the node with its (consumers, messages)."""
    found = {}
    for line in node.ctl(
        "-q", "list_queues", "name", "consumers", "messages", "--no-table-headers"
    ).splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[1].isdigit():
            found[parts[0]] = (int(parts[1]), int(parts[2]))
    return found


@dataclass
class Incident:
    """A process that stayed alive while dead: which, when it was found, and for how long."""

    process: str
    pid: int
    found_at: float
    dead_for: float
    why: str


@dataclass
class Process:
    name: str
    popen: subprocess.Popen | None = None
    started_at: float = 0.0
    starts: int = 0
    exits: list[int] = field(default_factory=list)
    unhealthy_since: float | None = None
    crashes_in_a_row: int = 0
    restart_at: float | None = None  # when a process that exited is to be started again

    @property
    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None


class Platform:
    def __init__(self, folder: Path, code: Path = ROOT, log=print):
        self.folder = folder
        self.code = code  # the source tree the processes run
        self.log = log
        self.run_id = uuid.uuid4().hex[:8]
        self.node = RabbitNode(f"gz-chaos-{self.run_id}")
        self.http_port = free_port()
        self.processes = {name: Process(name) for name in PROCESSES}
        self.incidents: list[Incident] = []
        self.lock = threading.RLock()
        self._stop = threading.Event()
        self._supervisor: threading.Thread | None = None
        self.node_up_since = 0.0
        self.supervising = True
        self.engines: dict[str, Engine] = {}
        self.clock_file = folder / "clock-offset"
        self.clock_offset = timedelta(0)

    # Databases -------------------------------------------------------------------------------

    def database(self, service: str) -> str:
        return f"gz_chaos_{self.run_id}_{service}"

    def _admin(self) -> Engine:
        return create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT")

    def create_databases(self) -> None:
        admin = self._admin()
        with admin.connect() as connection:
            for service in DATABASES:
                connection.execute(text(f'CREATE DATABASE "{self.database(service)}"'))
        admin.dispose()
        for service in DATABASES:
            self.engines[service] = create_engine(
                f"{POSTGRES}/{self.database(service)}", pool_pre_ping=True, pool_size=2
            )

    def drop_databases(self) -> None:
        for engine in self.engines.values():
            engine.dispose()
        admin = self._admin()
        with admin.connect() as connection:
            for service in DATABASES:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{self.database(service)}" WITH (FORCE)'))
        admin.dispose()

    def terminate_backends(self, most: int) -> int:
        """pg_terminate_backend on up to ``most`` of the run's own connections, chosen at random."""
        admin = self._admin()
        with admin.connect() as connection:
            pids = connection.execute(
                text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = ANY(:names) "
                    "AND pid <> pg_backend_pid() ORDER BY random() LIMIT :most"
                ),
                {"names": [self.database(s) for s in DATABASES], "most": most},
            ).scalars()
            done = sum(
                bool(connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar())
                for pid in list(pids)
            )
        admin.dispose()
        return done

    # Processes -------------------------------------------------------------------------------

    @property
    def graphql_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/graphql"

    def env(self, name: str | None = None) -> dict[str, str]:
        env = {
            **os.environ,
            "PYTHONPATH": str(self.code),
            "AMQP_URI": self.node.uri,
            "DATABASE_URL": f"{POSTGRES}/gz_chaos_{self.run_id}_{{service}}",
            "GONGZHI_VAR": str(self.folder / "var"),
            "GONGZHI_HTTP": f"127.0.0.1:{self.http_port}",
            "GONGZHI_TOKEN_SECRET": f"chaos-{self.run_id}-" + "k" * 32,
            "GONGZHI_TENDER_TICK_SECONDS": "1",
            "GONGZHI_VOLUNTEER_TICK_SECONDS": "1",
            "GONGZHI_RATE_PER_SECOND": "1000000",
            "GONGZHI_RATE_BURST": "1000000",
            # Fewer workers, smaller pools: a run's processes keep within a shared server's
            # max_connections (each service pools up to twice its workers and two).
            "GONGZHI_MAX_WORKERS": "6",
            "PYTHONUNBUFFERED": "1",
        }
        if name in MOVED_CLOCK:
            env["GONGZHI_CLOCK_OFFSET_FILE"] = str(self.clock_file)
        for key in [k for k in env if k.startswith("DATABASE_URL_")]:
            env.pop(key)
        return env

    def moved_now(self) -> datetime:
        """The time of the processes whose clock the harness moves."""
        return datetime.now(timezone.utc) + self.clock_offset

    def move_clock(self, to: datetime) -> None:
        """Move the clock of ``MOVED_CLOCK``'s processes forward to ``to`` (never back)."""
        with self.lock:
            offset = to - datetime.now(timezone.utc)
            if offset > self.clock_offset:
                OffsetFileClock.write(self.clock_file, offset)
                self.clock_offset = offset

    def spawn(self, name: str) -> None:
        process = self.processes[name]
        log = open(self.folder / f"{name}.log", "a")
        log.write(f"\n=== start {process.starts + 1} at {time.strftime('%H:%M:%S')} ===\n")
        log.flush()
        process.popen = subprocess.Popen(
            [sys.executable, "-m", "deploy.serve", name],
            cwd=self.code,
            env=self.env(name),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_the_harness,
        )
        log.close()
        process.started_at = time.monotonic()
        process.starts += 1
        process.unhealthy_since = None
        process.restart_at = None

    def kill(self, name: str) -> None:
        """SIGKILL one process (the supervisor starts it again)."""
        with self.lock:
            process = self.processes[name]
            if process.alive:
                assert process.popen is not None
                process.popen.send_signal(signal.SIGKILL)

    def start(self) -> None:
        (self.folder / "var").mkdir(parents=True, exist_ok=True)
        self.create_databases()
        self.node.start()
        self.node_up_since = time.monotonic()
        for name in PROCESSES:
            self.spawn(name)
        self._supervisor = threading.Thread(target=self._supervise, name="supervisor", daemon=True)
        self._supervisor.start()

    def stop(self) -> None:
        self._stop.set()
        if self._supervisor:
            self._supervisor.join(timeout=30)
        for process in self.processes.values():
            if process.alive:
                assert process.popen is not None
                process.popen.terminate()
        for process in self.processes.values():
            if process.popen is not None:
                try:
                    process.popen.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.popen.kill()
                    process.popen.wait()
        self.node.close()

    def restart_broker(self, hard: bool, down_for: float) -> None:
        with self.lock:
            self.node_up_since = float("inf")  # no process is judged while its broker is away
        self.node.kill() if hard else self.node.stop()
        time.sleep(down_for)
        self.node.start()
        with self.lock:
            self.node_up_since = time.monotonic()
            for process in self.processes.values():
                process.unhealthy_since = None

    # Readiness -------------------------------------------------------------------------------

    def gateway_answers(self) -> bool:
        """Its readiness (``GET /ready``), or on a tree that predates it, that it answers at all."""
        base = f"http://127.0.0.1:{self.http_port}"
        try:
            status = requests.get(f"{base}/ready", timeout=3).status_code
            if status == 404:
                status = requests.get(f"{base}/health", timeout=3).status_code
        except requests.RequestException:
            return False
        return status == 200

    def service_consumers(self, listed: dict[str, tuple[int, int]], name: str) -> list[str]:
        """The queues of ``name`` without a consumer: its RPC queue and each event handler's."""
        own = [q for q in listed if q == f"rpc-{name}" or f"--{name}." in q]
        if f"rpc-{name}" not in own:
            return [f"rpc-{name} (not declared)"]
        return [q for q in own if listed[q][0] == 0]

    def ready(self) -> dict[str, bool]:
        """Whether each process is up with its consumers (or, for the gateway, answers)."""
        try:
            listed: dict[str, tuple[int, int]] | None = queues(self.node)
        except (subprocess.SubprocessError, OSError):
            listed = None
        found = {}
        for name, process in self.processes.items():
            if not process.alive:
                found[name] = False
            elif name == "gateway":
                found[name] = self.gateway_answers()
            else:
                found[name] = listed is not None and not self.service_consumers(listed, name)
        return found

    def wait_ready(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.ready()
            if all(state.values()):
                return
            time.sleep(1)
        raise RuntimeError(f"the platform did not become ready within {timeout:.0f} s: {state}")

    # The supervisor --------------------------------------------------------------------------

    def _supervise(self) -> None:
        judged = 0.0
        while not self._stop.wait(1.0):
            if not self.supervising:
                continue
            with self.lock:
                for name, process in self.processes.items():
                    self._restart_if_exited(name, process)
            if time.monotonic() - judged < 5:  # rabbitmqctl costs a second of CPU a call
                continue
            judged = time.monotonic()
            try:
                self._judge()
            except Exception as exc:  # the judge must not end supervision
                self.log(f"supervisor: could not judge readiness: {exc}")

    def _restart_if_exited(self, name: str, process: Process) -> None:
        now = time.monotonic()
        if process.restart_at is not None:
            if now >= process.restart_at:
                self.spawn(name)
            return
        if process.popen is None or process.popen.poll() is None:
            return
        code = process.popen.returncode
        process.exits.append(code)
        # The harness's own SIGKILLs are faults, not a crash loop.
        quick = now - process.started_at < CRASHED_WITHIN and code != -signal.SIGKILL
        process.crashes_in_a_row = process.crashes_in_a_row + 1 if quick else 0
        pause = min(CRASH_PAUSE_MAX, 2.0**process.crashes_in_a_row) if quick else 0.0
        self.log(f"supervisor: {name} exited with {code}; starting it again in {pause:.0f} s")
        process.restart_at = now + pause

    def _judge(self) -> None:
        now = time.monotonic()
        if now - self.node_up_since < START_GRACE:
            return
        try:
            listed = queues(self.node)
        except (subprocess.SubprocessError, OSError):
            return
        for name, process in self.processes.items():
            if not process.alive or now - process.started_at < START_GRACE:
                continue
            if name == "gateway":
                missing = [] if self.gateway_answers() else ["not ready (/ready)"]
            else:
                missing = self.service_consumers(listed, name)
            if not missing:
                process.unhealthy_since = None
                continue
            if process.unhealthy_since is None:
                process.unhealthy_since = now
            elif now - process.unhealthy_since >= DEAD_AFTER:
                # A liveness probe would restart it; the harness does, and counts it.
                assert process.popen is not None
                incident = Incident(
                    name, process.popen.pid, now, now - process.unhealthy_since, ", ".join(missing)
                )
                self.incidents.append(incident)
                self.log(f"supervisor: {name} (pid {incident.pid}) alive but dead: {incident.why}")
                self.kill(name)
                process.unhealthy_since = None
