"""The platform as the benchmarks run it: every service and the gateway in a child process, on
SQLite files in a folder of their own and a RabbitMQ vhost of their own, the demo seeded, the
per-account rate limit lifted (the benchmarks measure the gateway, not its throttle). The folder
and the vhost are removed when the platform stops; if it failed, the end of its log is printed
first."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str) -> bool:
    import requests

    try:
        return requests.get(url, timeout=1).status_code == 200
    except requests.ConnectionError:
        return False


@dataclass
class Stack:
    base_url: str
    tokens: dict[str, str]
    children: list[subprocess.Popen] = field(default_factory=list)
    _quiet: dict = field(default_factory=dict)

    def spawn(self, *args: str) -> subprocess.Popen:
        """Another child with the platform's environment and log (a baseline server, say)."""
        child = subprocess.Popen([sys.executable, *args], **self._quiet)
        self.children.append(child)
        return child

    def wait_until(self, what: str, ready) -> None:
        deadline = time.monotonic() + 180
        while not ready():
            if any(c.poll() is not None for c in self.children) or time.monotonic() > deadline:
                sys.exit(f"the benchmark's stack did not start: {what}")
            time.sleep(0.2)


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True)


@contextmanager
def own_vhost() -> Iterator[str]:
    """The broker's address with a vhost made for this run, deleted afterwards.

    Every platform on one vhost shares the services' RPC queues: a test run or another benchmark
    on the same broker would answer this one's calls (with its own code and its own data).
    """
    if not shutil.which("rabbitmqctl"):
        sys.exit("the benchmark needs rabbitmqctl to give its platform a vhost of its own")
    vhost = f"gongzhi-bench-{uuid.uuid4().hex[:10]}"
    _rabbitmqctl("add_vhost", vhost)
    try:
        _rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        broker = urllib.parse.urlsplit(os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/"))
        yield urllib.parse.urlunsplit(broker._replace(path=f"/{vhost}"))
    finally:
        subprocess.run(["rabbitmqctl", "-q", "delete_vhost", vhost], check=False, capture_output=True)


@contextmanager
def demo_platform() -> Iterator[Stack]:
    with own_vhost() as broker:
        yield from _demo_platform(broker)


def _demo_platform(broker: str) -> Iterator[Stack]:
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="gongzhi-bench-")
    env = {
        **os.environ,
        "AMQP_URI": broker,
        "GONGZHI_VAR": workdir,
        "GONGZHI_HTTP": f"127.0.0.1:{port}",
        "GONGZHI_MAX_WORKERS": "20",
        "GONGZHI_RATE_PER_SECOND": "1000000",
        "GONGZHI_RATE_BURST": "1000000",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    log_path = Path(workdir, "stack.log")
    try:
        with open(log_path, "w") as log:  # the children's output, out of the figures' way
            stack = Stack(
                f"http://127.0.0.1:{port}", {}, _quiet={"env": env, "cwd": ROOT, "stdout": log, "stderr": log}
            )
            try:
                stack.spawn("-m", "deploy.serve")
                stack.wait_until("gateway", lambda: answers(f"{stack.base_url}/health"))
                subprocess.run([sys.executable, "-m", "deploy.demo"], check=True, **stack._quiet)
                stack.tokens = json.loads(Path(workdir, "demo.json").read_text())["tokens"]
                yield stack
            except BaseException:
                _tell_log(log_path)
                raise
            finally:
                _stop(stack.children)
    finally:
        # Each run's SQLite files, logs and secrets go with it: left behind, every run added its
        # folder to the temporary directory.
        shutil.rmtree(workdir, ignore_errors=True)


def _stop(children: list[subprocess.Popen]) -> None:
    for child in children:
        child.terminate()
    for child in children:
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _tell_log(path: Path, lines: int = 40) -> None:
    """The end of the platform's log on stderr, before its folder goes."""
    try:
        tail = path.read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return
    if tail:
        print(f"--- the last {len(tail)} lines of the platform's log ---", *tail, sep="\n", file=sys.stderr)
