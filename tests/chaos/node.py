"""A RabbitMQ node of the harness's own: its own node name, ports, data and log folders, started
as a child of the harness so that it can be stopped, SIGKILLed and started again on the same data
(durable queues and persistent messages survive, as on a real broker's restart). Never the
machine's shared broker."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

RABBIT_BIN = Path("/usr/lib/rabbitmq/bin")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ports() -> tuple[int, int]:
    """Two free ports for AMQP and Erlang distribution, neither the default 5672/25672."""
    while True:
        amqp, dist = _free_port(), _free_port()
        if amqp != dist and {amqp, dist}.isdisjoint({5672, 25672, 4369}):
            return amqp, dist


class RabbitNode:
    def __init__(self, folder: Path):
        self.folder = folder
        self.name = f"gz-chaos-{uuid.uuid4().hex[:8]}@localhost"
        self.port, self.dist_port = _ports()
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "enabled_plugins").write_text("[].\n")
        (folder / "rabbitmq.conf").write_text(f"listeners.tcp.local = 127.0.0.1:{self.port}\n")

    @property
    def amqp_uri(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    def _env(self) -> dict[str, str]:
        return {
            **os.environ,
            "HOME": str(self.folder),  # its Erlang cookie, shared with rabbitmqctl
            "RABBITMQ_NODENAME": self.name,
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(self.folder / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.folder / "log"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.folder / "enabled_plugins"),
            "RABBITMQ_CONFIG_FILE": str(self.folder / "rabbitmq.conf"),
            "RABBITMQ_PID_FILE": str(self.folder / "pid"),
        }

    def ctl(self, *args: str, timeout: float = 30) -> str:
        done = subprocess.run(
            [str(RABBIT_BIN / "rabbitmqctl"), "-n", self.name, "-q", *args],
            env=self._env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode:
            raise RuntimeError(f"rabbitmqctl {' '.join(args)}: {done.stderr.strip()[:300]}")
        return done.stdout

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def start(self, timeout: float = 90) -> None:
        with open(self.folder / "server.log", "a") as log:
            self.process = subprocess.Popen(
                [str(RABBIT_BIN / "rabbitmq-server")],
                env=self._env(),
                cwd=self.folder,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its Erlang children are killed with it, never the harness
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the harness's RabbitMQ node exited; see {self.folder / 'server.log'}")
            if self.answers():
                try:
                    self.ctl("await_startup", timeout=timeout)
                    return
                except (RuntimeError, subprocess.TimeoutExpired):
                    pass
            time.sleep(0.3)
        raise RuntimeError(f"the harness's RabbitMQ node did not start within {timeout:.0f} s")

    def kill(self) -> None:
        """SIGKILL the node and everything it started (its process group), as a crash would."""
        if self.process and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait()
        while self.answers():
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            try:
                self.ctl("stop", timeout=60)
            except (RuntimeError, subprocess.TimeoutExpired):
                pass
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        self.kill()

    def restart(self, hard: bool = False, down_for: float = 0.0) -> None:
        """Stop (or SIGKILL) the node, stay down ``down_for`` seconds, and start it on its data."""
        self.kill() if hard else self.stop()
        time.sleep(down_for)
        self.start()
        self.restarts += 1

    def queues(self) -> dict[str, tuple[int, int]]:
        """Each queue's (consumers, messages)."""
        found = {}
        for line in self.ctl(
            "list_queues", "name", "consumers", "messages", "--no-table-headers"
        ).splitlines():
            parts = line.split("\t")
            if len(parts) == 3 and parts[1].isdigit():
                found[parts[0]] = (int(parts[1]), int(parts[2]))
        return found
