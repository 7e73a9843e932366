"""In production a service process never migrates at start (issue 14).

The migrations job (``python -m deploy.migrate``) changes the schemas; a service process started
with ``GONGZHI_ENV=production`` only checks that its database is at its alembic head, and exits 1
saying to run the job when it is not, so that replicas starting together never race to migrate.
It also imports only the services it runs: the image's base target has no numpy or scipy.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from deploy import broker
from shared import config
from shared.migrations import alembic_config, require_head, upgrade

ROOT = Path(config.ROOT)
START_SECONDS = 60


def _serve(name: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    with open(log, "wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "deploy.serve", name],
            cwd=ROOT,
            env={**os.environ, "GONGZHI_ENV": "production", "GONGZHI_BROKER_WAIT_SECONDS": "5", **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _head(service: str) -> str:
    return ScriptDirectory.from_config(alembic_config(service)).get_current_head() or ""


def test_an_unmigrated_database_stops_a_production_start_with_what_to_run(tmp_path, amqp_uri):
    url = f"sqlite:///{tmp_path / 'meetings.db'}"
    log = tmp_path / "meetings.log"
    process = _serve("meetings", {"DATABASE_URL_MEETINGS": url, "AMQP_URI": amqp_uri}, log)
    assert process.wait(timeout=START_SECONDS) == 1
    assert (
        f"the meetings database is at revision none (no migration applied), not {_head('meetings')}: "
        "run the migrations job (python -m deploy.migrate) first"
    ) in log.read_text()
    assert inspect(create_engine(url)).get_table_names() == []  # nothing was migrated


def test_a_database_behind_its_head_names_both_revisions(tmp_path):
    url = f"sqlite:///{tmp_path / 'meetings.db'}"
    command.upgrade(alembic_config("meetings", url), "0001")
    with pytest.raises(SystemExit) as stopped:
        require_head("meetings", url)
    assert f"is at revision 0001, not {_head('meetings')}:" in str(stopped.value)
    upgrade("meetings", url)
    require_head("meetings", url)  # at its head: nothing to say


def test_a_migrated_database_starts_in_production_without_numpy(tmp_path, amqp_uri):
    url = f"sqlite:///{tmp_path / 'meetings.db'}"
    upgrade("meetings", url)
    broker.declare_queues(uri=amqp_uri)  # the migrations job's other half
    ready = tmp_path / "ready"
    blocker = tmp_path / "no_numpy"
    blocker.mkdir()
    # The base image has neither: an import of either fails the start.
    (blocker / "sitecustomize.py").write_text(
        "import sys\n"
        "class _Absent:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('numpy', 'scipy'):\n"
        "            raise ImportError(f'{name} is not in the base image')\n"
        "sys.meta_path.insert(0, _Absent())\n"
    )
    log = tmp_path / "meetings.log"
    env = {
        "DATABASE_URL_MEETINGS": url,
        "AMQP_URI": amqp_uri,
        "GONGZHI_READY_FILE": str(ready),
        "PYTHONPATH": str(blocker),
    }
    process = _serve("meetings", env, log)
    try:
        deadline = time.monotonic() + START_SECONDS
        while not ready.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert ready.exists(), log.read_text()
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=30)
    assert code == 0, log.read_text()
