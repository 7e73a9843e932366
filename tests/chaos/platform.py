"""The platform under chaos: PostgreSQL databases made for the run (dropped at the end), the
harness's RabbitMQ node, ``python -m deploy.serve <name>`` once per service and for the gateway,
and a supervisor that restarts a process that exits (as Kubernetes would) and finds processes
that are alive but dead (alive, with their consumers gone or the gateway not answering)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from tests.chaos.node import RabbitNode, _free_port

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("meetings", "matching", "volunteers", "contracts")
PROCESSES = (*SERVICES, "gateway")
DATABASES = (*SERVICES, "gateway")
POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
# A process is judged only once it has had this long to migrate and start its consumers, and the
# node this long to be back after a restart; then this long without consumers is "alive but dead".
START_GRACE = 45.0
DEAD_AFTER = 20.0


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

    @property
    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None


class Platform:
    def __init__(self, folder: Path, log=print):
        self.folder = folder
        self.log = log
        self.run_id = uuid.uuid4().hex[:8]
        self.node = RabbitNode(folder / "rabbit")
        self.http_port = _free_port()
        self.processes = {name: Process(name) for name in PROCESSES}
        self.incidents: list[Incident] = []
        self.lock = threading.RLock()
        self._stop = threading.Event()
        self._supervisor: threading.Thread | None = None
        self.node_up_since = 0.0
        self.supervising = True
        self.engines: dict[str, Engine] = {}

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

    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "AMQP_URI": self.node.amqp_uri,
            "DATABASE_URL": f"{POSTGRES}/gz_chaos_{self.run_id}_{{service}}",
            "GONGZHI_VAR": str(self.folder / "var"),
            "GONGZHI_HTTP": f"127.0.0.1:{self.http_port}",
            "GONGZHI_TOKEN_SECRET": f"chaos-{self.run_id}-" + "k" * 32,
            "GONGZHI_TENDER_TICK_SECONDS": "1",
            "GONGZHI_VOLUNTEER_TICK_SECONDS": "1",
            "GONGZHI_RATE_PER_SECOND": "1000000",
            "GONGZHI_RATE_BURST": "1000000",
            "PYTHONUNBUFFERED": "1",
        }
        for name in [k for k in env if k.startswith("DATABASE_URL_")]:
            env.pop(name)
        return env

    def spawn(self, name: str) -> None:
        process = self.processes[name]
        log = open(self.folder / f"{name}.log", "a")
        log.write(f"\n=== start {process.starts + 1} at {time.strftime('%H:%M:%S')} ===\n")
        log.flush()
        process.popen = subprocess.Popen(
            [sys.executable, "-m", "deploy.serve", name],
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        process.started_at = time.monotonic()
        process.starts += 1
        process.unhealthy_since = None

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
        self.node.stop()

    def restart_broker(self, hard: bool, down_for: float) -> None:
        with self.lock:
            self.node_up_since = float("inf")  # no process is judged while its broker is away
        self.node.restart(hard=hard, down_for=down_for)
        with self.lock:
            self.node_up_since = time.monotonic()
            for process in self.processes.values():
                process.unhealthy_since = None

    # Readiness -------------------------------------------------------------------------------

    def gateway_answers(self) -> bool:
        try:
            return requests.get(f"http://127.0.0.1:{self.http_port}/health", timeout=3).status_code == 200
        except requests.RequestException:
            return False

    def service_consumers(self, queues: dict[str, tuple[int, int]], name: str) -> list[str]:
        """The queues of ``name`` without a consumer: its RPC queue and each event handler's."""
        own = [q for q in queues if q == f"rpc-{name}" or f"--{name}." in q]
        if f"rpc-{name}" not in own:
            return [f"rpc-{name} (not declared)"]
        return [q for q in own if queues[q][0] == 0]

    def ready(self) -> dict[str, bool]:
        """Whether each process is up with its consumers (or, for the gateway, answers)."""
        try:
            queues = self.node.queues()
        except (RuntimeError, subprocess.TimeoutExpired):
            queues = None
        found = {}
        for name, process in self.processes.items():
            if not process.alive:
                found[name] = False
            elif name == "gateway":
                found[name] = self.gateway_answers()
            else:
                found[name] = queues is not None and not self.service_consumers(queues, name)
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
                    if process.popen is not None and process.popen.poll() is not None:
                        process.exits.append(process.popen.returncode)
                        self.log(f"supervisor: {name} exited with {process.popen.returncode}; restarting it")
                        self.spawn(name)
            if time.monotonic() - judged < 5:  # rabbitmqctl costs a second of CPU a call
                continue
            judged = time.monotonic()
            try:
                self._judge()
            except Exception as exc:  # the judge must not end supervision
                self.log(f"supervisor: could not judge readiness: {exc}")

    def _judge(self) -> None:
        now = time.monotonic()
        if now - self.node_up_since < START_GRACE:
            return
        try:
            queues = self.node.queues()
        except (RuntimeError, subprocess.TimeoutExpired):
            return
        for name, process in self.processes.items():
            if not process.alive or now - process.started_at < START_GRACE:
                continue
            if name == "gateway":
                missing = [] if self.gateway_answers() else ["/health does not answer"]
            else:
                missing = self.service_consumers(queues, name)
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
