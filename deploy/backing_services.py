"""Make sure the tests' RabbitMQ and PostgreSQL answer: start local ones when they do not.

Used by ``./test.sh``; says what to install when neither a local server nor Docker is there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from deploy.broker import ensure_broker
from shared import config

POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
AMQP = os.environ.get("TEST_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672")


def postgres_answers() -> bool:
    engine = create_engine(f"{POSTGRES}/postgres", connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
    finally:
        engine.dispose()


def ensure_postgres() -> None:
    if postgres_answers():
        return
    clusters = sorted(Path("/etc/postgresql").glob("*/main")) if Path("/etc/postgresql").exists() else []
    if shutil.which("pg_ctlcluster") and clusters:
        version = clusters[-1].parent.name
        print(f"PostgreSQL does not answer; starting cluster {version}/main …", flush=True)
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False)
    elif shutil.which("docker"):
        print("PostgreSQL does not answer; starting it with docker compose …", flush=True)
        subprocess.run(["docker", "compose", "up", "-d", "postgres"], cwd=config.ROOT, check=False)
    else:
        sys.exit(
            f"PostgreSQL does not answer at {POSTGRES}. Install it (apt-get install postgresql) or "
            "Docker, or set TEST_POSTGRES_URL to a server where the user may create databases."
        )
    for _ in range(60):
        if postgres_answers():
            return
        time.sleep(1)
    sys.exit(f"PostgreSQL did not come up at {POSTGRES} within a minute.")


if __name__ == "__main__":
    ensure_broker(AMQP)
    ensure_postgres()
