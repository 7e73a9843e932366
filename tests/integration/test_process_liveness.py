"""A process never stays up with a dead service in it, and never starts someone else's broker.

Issue 13, defect 1: when the broker dies under RPC load, a reply that cannot be published kills
the service's container; ``deploy.serve`` must then exit (non-zero, naming the service and the
cause, readiness withdrawn first) so that its supervisor restarts it, unless the service got its
consumers back. Defect 6: ``deploy.serve`` starts a broker only for the local ``./run.sh``
default, never for a URI that names another host or port.

Each service and the gateway run in a process of their own, as in production, on PostgreSQL and a
RabbitMQ node of the test's own (``tests.rabbit_node``): the machine's shared broker is never
stopped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import eventlet
import pytest
from kombu import Connection, Exchange, Queue
from kombu.exceptions import ChannelError

from shared import config
from tests.conftest import free_port
from tests.rabbit_node import RabbitNode

pytestmark = pytest.mark.skipif(
    not os.path.exists("/usr/lib/rabbitmq/bin/rabbitmq-server"), reason="needs a RabbitMQ installation"
)

ROOT = Path(config.ROOT)
SERVICES = ("meetings", "matching", "volunteers", "contracts")
# A read each service answers without a signed-in party (an answer or a refusal: either is a reply).
READS = {
    "meetings": ("get_communities", [[str(uuid.uuid4())]]),
    "matching": ("find_organisations", [{"credit_code": "000000000000000000"}]),
    "volunteers": ("find_volunteers", [{"id": str(uuid.uuid4())}]),
    "contracts": ("ocds_releases", []),
}
RECOVERY_SECONDS = 60  # after the broker is back: "within seconds", with room for a loaded machine


class Served:
    """``python -m deploy.serve NAME`` in a process of its own, its output in a file."""

    def __init__(self, name: str, folder: Path, env: dict[str, str]) -> None:
        self.name = name
        self.log = folder / f"{name}.log"
        self.ready_file = folder / f"{name}.ready"
        self.http_port = free_port()
        env = {
            **env,
            "GONGZHI_READY_FILE": str(self.ready_file),
            "GONGZHI_HTTP": f"127.0.0.1:{self.http_port}",
        }
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "deploy.serve", name],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def get(self, path: str) -> int:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.http_port}{path}", timeout=5) as answer:
                return answer.status
        except urllib.error.HTTPError as refused:
            return refused.code
        except OSError:
            return 0


def _queues_of(service: str) -> list[str]:
    """The queues a service consumes from: its RPC queue and each event consumer's own."""
    from deploy.services import ALL_SERVICES
    from shared.messaging import EventConsumer, consumer_queue

    cls = next(cls for cls in ALL_SERVICES if cls.name == service)
    queues = [f"rpc-{service}"]
    for attr in vars(cls).values():
        for entrypoint in getattr(attr, "nameko_entrypoints", ()):
            if isinstance(entrypoint, EventConsumer):
                queues.append(consumer_queue(service, attr.__name__, entrypoint.event_type).name)
    return queues


def _consumers(uri: str, queues: list[str]) -> dict[str, int]:
    """How many consumers each queue has (0 for one not there), asked over AMQP: rabbitmqctl
    starts a VM per call, far too slow to poll with on a loaded machine."""
    counts = {}
    with Connection(uri, connect_timeout=5) as connection:
        for name in queues:
            channel = connection.channel()
            try:
                counts[name] = channel.queue_declare(name, passive=True).consumer_count
                channel.close()
            except ChannelError:
                counts[name] = 0
    return counts


def _flood(uri: str, per_service: int) -> None:
    """RPC requests enough to keep every worker of every service busy for a while."""
    exchange = Exchange("nameko-rpc", type="topic", durable=True)
    replies = Queue("liveness-replies", exchange, routing_key="liveness-replies", max_length=100)
    with Connection(uri) as connection:
        producer = connection.Producer(serializer="json")
        for _ in range(per_service):
            for service, (method, args) in READS.items():
                producer.publish(
                    {"args": args, "kwargs": {}},
                    exchange=exchange,
                    routing_key=f"{service}.{method}",
                    reply_to="liveness-replies",
                    correlation_id=str(uuid.uuid4()),
                    declare=[replies],
                )


def _stop(served: list[Served]) -> None:
    for one in served:
        if one.process.poll() is None:
            one.process.terminate()
    for one in served:
        try:
            one.process.wait(30)
        except subprocess.TimeoutExpired:
            one.process.kill()
            one.process.wait()


def test_a_broker_crash_under_rpc_load_leaves_no_process_alive_but_dead(databases, tmp_path):
    with RabbitNode() as node:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("AMQP_URI", "GONGZHI_READY"))},
            "AMQP_URI": node.uri,
            "GONGZHI_VAR": str(tmp_path),
            "GONGZHI_MAX_WORKERS": "4",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
        }
        served = [Served(name, tmp_path, env) for name in (*SERVICES, "gateway")]
        try:
            _all_serving(node, served)
            _flood(node.uri, per_service=1500)
            eventlet.sleep(1.5)  # every service is working through its backlog
            node.kill()
            eventlet.sleep(3)
            node.start()
            _none_alive_but_dead(node, served)
        finally:
            _stop(served)


def _all_serving(node: RabbitNode, served: list[Served]) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        for one in served:
            assert one.process.poll() is None, f"{one.name} exited on start:\n{one.output()}"
        queues = _consumers(node.uri, [f"rpc-{name}" for name in SERVICES])
        if all(one.ready_file.exists() for one in served) and all(queues.values()):
            assert served[-1].get("/ready") == 200
            return
        eventlet.sleep(0.5)
    pytest.fail("the platform did not start:\n" + "\n".join(f"--- {s.name}\n{s.output()}" for s in served))


def _none_alive_but_dead(node: RabbitNode, served: list[Served]) -> None:
    """Every process either exited (non-zero, its log naming the service and why, no readiness
    left) or, alive, is ready and consumes from every queue it owns again."""
    deadline = time.monotonic() + RECOVERY_SECONDS
    verdict: dict[str, str] = {}
    while time.monotonic() < deadline:
        verdict = {}
        for one in served:  # the gateway last: it asks meetings, if meetings is there to answer
            verdict[one.name] = _verdict(one, node.uri, verdict.get("meetings") == "recovered")
        if all(v in ("exited", "recovered") for v in verdict.values()):
            break
        eventlet.sleep(1)
    logs = "\n".join(f"--- {s.name}\n{s.output()[-3000:]}" for s in served)
    report = json.dumps(verdict, indent=1) + "\n" + logs
    print("after the broker crash:", json.dumps(verdict))  # shown with -s: which path each took
    assert all(v in ("exited", "recovered") for v in verdict.values()), report
    for one in served:
        if verdict[one.name] == "exited":
            assert one.process.returncode != 0, report
            assert f"service {one.name} died" in one.output(), report
            assert not one.ready_file.exists(), report


def _verdict(one: Served, uri: str, meetings_serves: bool) -> str:
    if one.process.poll() is not None:
        return "exited"
    if not one.ready_file.exists():
        return "alive, not ready"
    if one.name == "gateway":  # ready, and its RPC client works again (a notice board from meetings)
        answered = one.get("/ready") == 200 and (
            not meetings_serves or one.get(f"/notices/{uuid.uuid4()}") < 500
        )
        return "recovered" if answered else "alive, not answering"
    idle = sorted(q for q, n in _consumers(uri, _queues_of(one.name)).items() if n == 0)
    return f"alive without consumers on {idle}" if idle else "recovered"


# Defect 6 ---------------------------------------------------------------------------------


@pytest.fixture
def broker_starters(tmp_path):
    """``rabbitmq-server`` and ``docker`` stand-ins first on PATH: each notes that it was run."""
    shims = tmp_path / "bin"
    shims.mkdir()
    for command in ("rabbitmq-server", "docker"):
        shim = shims / command
        shim.write_text(f'#!/bin/sh\necho "$0 $*" >> {tmp_path}/started\n')
        shim.chmod(0o755)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AMQP_URI", "GONGZHI_"))},
        "PATH": f"{shims}:{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
        "GONGZHI_VAR": str(tmp_path),
        "GONGZHI_BROKER_WAIT_SECONDS": "2",
    }
    return env, tmp_path / "started"


def _serve(env: dict[str, str], uri: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "deploy.serve", "meetings"],
        cwd=ROOT,
        env={**env, "AMQP_URI": uri},
        capture_output=True,
        text=True,
        timeout=150,
    )


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1:{free}", "127.0.0.2:5672", "localhost:{free}"],
    ids=["another port", "another host", "localhost, another port"],
)
def test_serve_waits_a_bounded_time_for_a_broker_elsewhere_and_never_starts_one(broker_starters, address):
    env, started = broker_starters
    uri = f"amqp://guest:secret@{address.format(free=free_port())}/"
    done = _serve(env, uri)
    assert not started.exists(), f"a broker was started for {uri}: {started.read_text()}"
    assert done.returncode != 0, done.stdout + done.stderr
    assert "does not answer" in done.stderr and "secret" not in done.stderr, done.stderr


def test_only_the_local_default_with_run_sh_s_consent_starts_the_local_broker(broker_starters):
    """The shared broker answers on 127.0.0.1:5672; a vhost that is not there does not, so the
    address is the local default's and nothing of the shared broker is touched."""
    env, started = broker_starters
    uri = f"amqp://guest:guest@127.0.0.1:5672/no-such-vhost-{uuid.uuid4().hex[:8]}"
    done = _serve(env, uri)
    assert not started.exists() and done.returncode != 0, done.stderr
    consent = subprocess.run(
        [sys.executable, "-c", "import deploy.backing_services as b; b.ensure_broker(start_local=True)"],
        cwd=ROOT,
        env={**env, "AMQP_URI": uri},
        capture_output=True,
        text=True,
        timeout=150,
    )
    assert consent.returncode != 0, consent.stderr  # the stand-in starts nothing
    assert started.read_text().split()[1:] == ["-detached"], consent.stderr
