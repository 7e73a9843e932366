"""A RabbitMQ node of a test's own, for tests that stop, kill or restart the broker.

The machine's shared broker (127.0.0.1:5672) serves every other test and helper, so a test that
takes a broker down starts its own: its own node name, AMQP and distribution ports (chosen free),
Erlang cookie, database, logs and configuration (no plugins, so no management listener), all in a
temporary folder removed on ``close()``. It registers with the machine's epmd like any node.

    with RabbitNode() as node:
        ...  # connect to node.uri
        node.kill()  # SIGKILL of the beam: a crash, not a shutdown
        node.start()  # same ports, same data: durable queues and their messages come back
        node.ctl("list_queues")  # rabbitmqctl -n NODE, with the node's cookie

A watchdog process removes the node if the test process dies without closing it (SIGKILL, a
crashed runner), so no stray broker outlives its test.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from kombu import Connection

RABBITMQ_BIN = Path(os.environ.get("RABBITMQ_BIN", "/usr/lib/rabbitmq/bin"))
START_TIMEOUT = 90.0


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_ports() -> tuple[int, int]:
    """An AMQP port and a distribution port, both free, below 30000: the CLI tools take their own
    distribution port 10000 above the node's, which must stay a valid port."""
    for _ in range(200):
        amqp, dist = random.randrange(20000, 29990), random.randrange(20000, 29990)
        if amqp != dist and _bindable(amqp) and _bindable(dist) and _bindable(dist + 10000):
            return amqp, dist
    raise RuntimeError("no free ports for a RabbitMQ node between 20000 and 30000")


def answers(uri: str, timeout: float = 2.0) -> bool:
    """Whether an AMQP broker accepts a connection at ``uri``."""
    try:
        with Connection(uri, connect_timeout=timeout) as connection:
            connection.ensure_connection(max_retries=1)
        return True
    except Exception:
        return False


class RabbitNode:
    """One RabbitMQ node on free ports; ``start()`` on entering, ``close()`` on leaving."""

    def __init__(self, name: str | None = None) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="gz-rabbit-"))
        self.nodename = f"{name or 'gz-test-' + uuid.uuid4().hex[:8]}@localhost"
        self.port, self.dist_port = _free_ports()
        self._process: subprocess.Popen | None = None
        self._watchdog: subprocess.Popen | None = None
        (self.folder / "home").mkdir()
        (self.folder / "rabbitmq.conf").write_text(
            f"listeners.tcp.default = 127.0.0.1:{self.port}\n"
            "loopback_users.guest = true\n"
            "disk_free_limit.absolute = 50MB\n"
            "log.file.level = info\n"
            "log.console = false\n"
        )
        (self.folder / "enabled_plugins").write_text("[].\n")
        (self.folder / "rabbitmq-env.conf").write_text("")

    # ---- addresses ------------------------------------------------------------------------

    @property
    def uri(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    def vhost_uri(self, vhost: str) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/{vhost}"

    @property
    def env(self) -> dict[str, str]:
        """The environment the node and its CLI tools run in (cookie in the node's own HOME)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RABBITMQ_", "ERL_"))}
        env.update(
            HOME=str(self.folder / "home"),
            RABBITMQ_NODENAME=self.nodename,
            RABBITMQ_NODE_IP_ADDRESS="127.0.0.1",
            RABBITMQ_NODE_PORT=str(self.port),
            RABBITMQ_DIST_PORT=str(self.dist_port),
            RABBITMQ_CONFIG_FILE=str(self.folder / "rabbitmq.conf"),
            RABBITMQ_ENABLED_PLUGINS_FILE=str(self.folder / "enabled_plugins"),
            RABBITMQ_CONF_ENV_FILE=str(self.folder / "rabbitmq-env.conf"),
            RABBITMQ_MNESIA_BASE=str(self.folder / "mnesia"),
            RABBITMQ_LOG_BASE=str(self.folder / "log"),
            RABBITMQ_PID_FILE=str(self.folder / "beam.pid"),
            RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}",
        )
        return env

    # ---- life cycle -----------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = START_TIMEOUT) -> RabbitNode:
        """Start the node (on the same ports and data as before) and wait until AMQP answers."""
        if self.running:
            return self
        (self.folder / "beam.pid").unlink(missing_ok=True)
        log = open(self.folder / "server.out", "ab")  # noqa: SIM115 (the child keeps it)
        self._process = subprocess.Popen(
            [str(RABBITMQ_BIN / "rabbitmq-server")],
            env=self.env,
            cwd=self.folder,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill() reaches every child
        )
        log.close()
        (self.folder / "group.pid").write_text(str(self._process.pid))
        if self._watchdog is None or self._watchdog.poll() is not None:
            self._watchdog = self._start_watchdog()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"RabbitMQ node {self.nodename} exited on start:\n{self.log_tail()}")
            if answers(self.uri):
                return self
            time.sleep(0.3)
        self.kill()
        raise RuntimeError(
            f"RabbitMQ node {self.nodename} did not answer in {timeout:.0f} s:\n{self.log_tail()}"
        )

    def beam_pid(self) -> int | None:
        """The OS pid of the node's Erlang VM (written by the node once it has booted)."""
        try:
            return int((self.folder / "beam.pid").read_text().strip())
        except (OSError, ValueError):
            return None

    def stop(self, timeout: float = 60.0) -> None:
        """A clean shutdown (SIGTERM of the beam stops the node as ``rabbitmqctl stop`` does)."""
        if not self.running:
            return
        assert self._process is not None
        pid = self.beam_pid()
        try:
            if pid is not None:
                os.kill(pid, signal.SIGTERM)
            else:
                os.killpg(self._process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return
        self._reap_group()

    def kill(self) -> None:
        """A crash: SIGKILL of the beam and everything in the node's process group, at once."""
        if self._process is None:
            return
        pid = self.beam_pid()
        if pid is not None:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._reap_group()
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            pass

    def restart(self, kill: bool = False, timeout: float = START_TIMEOUT) -> RabbitNode:
        """Stop (or, with ``kill``, crash) the node and start it again on the same ports and data."""
        self.kill() if kill else self.stop()
        return self.start(timeout)

    def close(self) -> None:
        """Kill the node and remove its folder."""
        self.kill()
        if self._watchdog is not None and self._watchdog.poll() is None:
            self._watchdog.kill()
            self._watchdog.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> RabbitNode:
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- tools ----------------------------------------------------------------------------

    def ctl(self, *args: str, timeout: float = 60.0) -> str:
        """``rabbitmqctl -n NODE ARGS…`` against this node; its output, or CalledProcessError."""
        result = subprocess.run(
            [str(RABBITMQ_BIN / "rabbitmqctl"), "-n", self.nodename, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise subprocess.CalledProcessError(result.returncode, result.args, result.stdout, result.stderr)
        return result.stdout

    def add_vhost(self, vhost: str) -> str:
        """A vhost on this node, guest allowed everything in it; its URI."""
        self.ctl("add_vhost", vhost)
        self.ctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        return self.vhost_uri(vhost)

    def log_tail(self, lines: int = 40) -> str:
        texts = []
        for path in [self.folder / "server.out", *sorted((self.folder / "log").glob("*.log"))]:
            try:
                texts.append(f"--- {path.name}\n" + "\n".join(path.read_text().splitlines()[-lines:]))
            except OSError:
                pass
        return "\n".join(texts)

    # ---- internals ------------------------------------------------------------------------

    def _reap_group(self) -> None:
        if self._process is None:
            return
        try:
            os.killpg(self._process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def _start_watchdog(self) -> subprocess.Popen:
        """A shell that outlives this process only to kill the node and remove its folder."""
        assert self._process is not None
        script = (
            'while kill -0 "$1" 2>/dev/null; do sleep 1; done; '
            'pid=$(cat "$3/beam.pid" 2>/dev/null); [ -n "$pid" ] && kill -9 "$pid"; '
            'group=$(cat "$3/group.pid" 2>/dev/null); [ -n "$group" ] && kill -9 -"$group"; rm -rf "$3"'
        )
        return subprocess.Popen(
            ["sh", "-c", script, "watchdog", str(os.getpid()), "", str(self.folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )


if __name__ == "__main__":  # a node to try things on by hand: python -m tests.rabbit_node
    with RabbitNode() as node:
        print(node.uri, node.nodename, flush=True)
        try:
            signal.sigwait({signal.SIGINT, signal.SIGTERM})
        except KeyboardInterrupt:
            sys.exit(0)
