"""A service process run on its own (``python -m deploy.serve meetings``) with
``GONGZHI_METRICS_ADDRESS`` serves ``/health/live``, ``/health/ready`` and ``/metrics`` there: live
while it runs, ready once its service started with its database, broker and outbox answering, and
its own metrics (the outbox gauges of its service among them)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import eventlet

from shared import config
from tests.conftest import free_port


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()
    except OSError:
        return 0, b""


def test_a_service_process_serves_the_probes_and_its_metrics_on_its_metrics_address(amqp_uri, tmp_path):
    port = free_port()
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_URL", "GONGZHI_"))
    }
    env.update(
        AMQP_URI=amqp_uri,
        GONGZHI_VAR=str(tmp_path),  # SQLite under the test's folder, migrated at start (development)
        GONGZHI_METRICS_ADDRESS=f"127.0.0.1:{port}",
        GONGZHI_BROKER_WAIT_SECONDS="10",
    )
    log = tmp_path / "meetings.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "deploy.serve", "meetings"],
            cwd=config.ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = eventlet.Timeout(90, AssertionError(f"never ready: {log.read_text(errors='replace')}"))
        with deadline:
            while _get(f"{base}/health/ready")[0] != 200:
                assert process.poll() is None, log.read_text(errors="replace")
                eventlet.sleep(0.2)
        assert _get(f"{base}/health/live")[0] == 200
        status, body = _get(f"{base}/health/ready")
        ready = json.loads(body)
        assert status == 200 and ready["ready"] is True and ready["failing"] == []
        assert ready["checks"]["outbox"]["services"]["meetings"]["unsent"] == 0
        status, body = _get(f"{base}/metrics")
        assert status == 200
        assert b'gongzhi_outbox_unsent{service="meetings"} 0.0' in body
        assert b"# TYPE gongzhi_graphql_requests_total counter" in body
        assert _get(f"{base}/graphql")[0] == 404  # the probes' address serves nothing else
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
