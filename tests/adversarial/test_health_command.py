"""``gongzhi health`` against the running platform: every component ready, exit 0; a gateway that
does not answer is shown as not ready, exit 1, within seconds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from shared import config, readiness
from tests.conftest import free_port


def health(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "deploy.cli", "health", "--json", *args],
        cwd=config.ROOT,
        env={**os.environ, "PYTHONPATH": str(config.ROOT)},
        capture_output=True,
        text=True,
        timeout=90,
    )


def test_health_shows_every_component_and_fails_when_one_is_not_ready(platform):
    gateway = platform.url.removesuffix("/graphql")
    readiness.mark(True)  # as deploy.serve marks it once every service started
    try:
        done = health("--gateway", gateway)
    finally:
        readiness.mark(False)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["ready"] is True
    assert [c["component"] for c in report["checks"]] == ["broker", "gateway", *config.SERVICES]

    started = time.monotonic()
    down = health("--gateway", f"http://127.0.0.1:{free_port()}", "--timeout", "2")
    assert down.returncode == 1 and time.monotonic() - started < 30
    checks = {c["component"]: c for c in json.loads(down.stdout)["checks"]}
    assert checks["gateway"]["ready"] is False and "does not answer" in checks["gateway"]["detail"]
    assert all(checks[service]["ready"] for service in config.SERVICES)
