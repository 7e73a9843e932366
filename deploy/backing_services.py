"""Reach RabbitMQ and PostgreSQL: start a local server, or Docker's, when one does not answer.

``./run.sh`` needs the broker; ``./test.sh`` needs both (``python -m deploy.backing_services``).
Where neither a local server nor Docker is there, it says what to install.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text

from deploy.broker import reachable
from shared import config


def ensure(
    name: str, answers: Callable[[], bool], local: list[str] | None, compose_service: str, install: str
) -> None:
    """Make ``answers()`` true: start the local server, else Docker's, and wait up to a minute."""
    if answers():
        return
    if local:
        print(f"{name} does not answer; starting the local one …", flush=True)
        subprocess.run(local, check=False)
    elif shutil.which("docker"):
        print(f"{name} does not answer; starting it with docker compose …", flush=True)
        subprocess.run(["docker", "compose", "up", "-d", compose_service], cwd=config.ROOT, check=False)
    else:
        sys.exit(f"{name} does not answer. {install}")
    for _ in range(60):
        if answers():
            return
        time.sleep(1)
    sys.exit(f"{name} did not come up within a minute.")


def ensure_broker(uri: str | None = None) -> None:
    uri = uri or config.amqp_uri()
    local = ["rabbitmq-server", "-detached"] if shutil.which("rabbitmq-server") else None
    ensure(
        f"RabbitMQ at {uri}",
        lambda: reachable(uri),
        local,
        "rabbitmq",
        "Install it (Debian/Ubuntu: apt-get install rabbitmq-server) or Docker, "
        "or set AMQP_URI to a running broker.",
    )


def postgres_answers() -> bool:
    engine = create_engine(f"{config.test_postgres_url()}/postgres", connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
    finally:
        engine.dispose()


def ensure_postgres() -> None:
    clusters = sorted(Path("/etc/postgresql").glob("*/main")) if Path("/etc/postgresql").exists() else []
    local = None
    if shutil.which("pg_ctlcluster") and clusters:
        local = ["pg_ctlcluster", "--skip-systemctl-redirect", clusters[-1].parent.name, "main", "start"]
    ensure(
        f"PostgreSQL at {config.test_postgres_url()}",
        postgres_answers,
        local,
        "postgres",
        "Install it (apt-get install postgresql) or Docker, or set TEST_POSTGRES_URL to a server "
        "where the user may create databases.",
    )


if __name__ == "__main__":
    ensure_broker(config.test_amqp_uri())
    ensure_postgres()
