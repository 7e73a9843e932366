"""Reach RabbitMQ, PostgreSQL and (for the tests) Redis: start a local server, or a Docker
container, when one does not answer (the containers publish on 127.0.0.1 only, with the local
defaults' users: RabbitMQ's guest, PostgreSQL's postgres trusted; the compose file's production
stack is another thing and needs its .env).

``./run.sh`` needs the broker; ``./test.sh`` needs all three (``python -m deploy.backing_services``).
Where neither a local server nor Docker is there, it says what to install.

A broker is started only for the local default and only when the caller consents (``./run.sh``
and ``./test.sh`` do): an address on 127.0.0.1 or localhost at port 5672, which the machine's own
``rabbitmq-server`` (or compose's) is the broker of. For any other address, and for
``deploy.serve`` always, the process waits ``GONGZHI_BROKER_WAIT_SECONDS`` for the broker and
then exits, saying which address did not answer.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import create_engine, text

from deploy.broker import reachable
from shared import config

LOCAL_BROKER_HOSTS = ("127.0.0.1", "localhost")
LOCAL_BROKER_PORT = 5672


def ensure(
    name: str,
    answers: Callable[[], bool],
    local: list[str] | None,
    container: list[str],
    install: str,
    wait: float = 60.0,
) -> None:
    """Make ``answers()`` true: start the local server, else ``docker run`` the ``container``
    arguments, and wait up to ``wait`` s."""
    if answers():
        return
    if local:
        print(f"{name} does not answer; starting the local one …", flush=True)
        subprocess.run(local, check=False)
    elif shutil.which("docker"):
        print(f"{name} does not answer; starting it in a Docker container …", flush=True)
        subprocess.run(["docker", "run", "--detach", "--rm", *container], check=False)
    else:
        sys.exit(f"{name} does not answer. {install}")
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if answers():
            return
        time.sleep(1)
    sys.exit(f"{name} did not come up within {wait:g} s.")


def is_local_default(uri: str) -> bool:
    """Whether ``uri`` names the broker this machine's ``rabbitmq-server`` would be (any vhost)."""
    parts = urlsplit(uri)
    try:
        port = parts.port or LOCAL_BROKER_PORT
    except ValueError:
        return False
    return parts.scheme == "amqp" and parts.hostname in LOCAL_BROKER_HOSTS and port == LOCAL_BROKER_PORT


def shown(uri: str) -> str:
    """``uri`` without its password, for messages."""
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)).geturl()


def ensure_broker(uri: str | None = None, start_local: bool = False) -> None:
    """Return once the broker at ``uri`` answers. With ``start_local`` (``./run.sh``,
    ``./test.sh``) and the local default address, start the local one; otherwise wait
    ``GONGZHI_BROKER_WAIT_SECONDS`` and exit with status 1 if it still does not answer."""
    uri = uri or config.amqp_uri()
    if start_local and is_local_default(uri):
        local = ["rabbitmq-server", "-detached"] if shutil.which("rabbitmq-server") else None
        ensure(
            f"RabbitMQ at {shown(uri)}",
            lambda: reachable(uri),
            local,
            # The image lets guest in from outside the container (loopback_users.guest = false).
            ["--name", "gongzhi-rabbitmq", "--publish", "127.0.0.1:5672:5672", "rabbitmq:3.13"],
            "Install it (Debian/Ubuntu: apt-get install rabbitmq-server) or Docker, "
            "or set AMQP_URI to a running broker.",
            config.broker_wait_seconds(),
        )
        return
    wait = config.broker_wait_seconds()
    deadline = time.monotonic() + wait
    while not reachable(uri):
        if time.monotonic() >= deadline:
            sys.exit(
                f"RabbitMQ at {shown(uri)} does not answer after {wait:g} s; this process starts no "
                "broker for it (only ./run.sh starts the local one, on 127.0.0.1:5672). "
                "Start it, or set AMQP_URI to a running broker."
            )
        time.sleep(1)


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
        [
            "--name",
            "gongzhi-postgres",
            "--publish",
            "127.0.0.1:5432:5432",
            "--env",
            "POSTGRES_HOST_AUTH_METHOD=trust",
            "postgres:16",
        ],
        "Install it (apt-get install postgresql) or Docker, or set TEST_POSTGRES_URL to a server "
        "where the user may create databases.",
    )


def redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(config.test_redis_url(), socket_connect_timeout=3).ping())
    except (redis.RedisError, OSError):
        return False


def ensure_redis() -> None:
    """The tests' Redis (the gateway replicas' shared state). Only the local default is started."""
    url = config.test_redis_url()
    parts = urlsplit(url)
    if redis_answers() or (parts.hostname, parts.port or 6379) not in (
        ("127.0.0.1", 6379),
        ("localhost", 6379),
    ):
        return
    local = None
    if shutil.which("redis-server"):
        local = ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379"]
        local += ["--save", "", "--appendonly", "no"]
    ensure(
        f"Redis at {url}",
        redis_answers,
        local,
        ["--name", "gongzhi-redis", "--publish", "127.0.0.1:6379:6379", "redis:7"],
        "Install it (apt-get install redis-server) or Docker, or set TEST_REDIS_URL to a running Redis.",
    )


if __name__ == "__main__":
    ensure_broker(config.test_amqp_uri(), start_local=True)
    ensure_postgres()
    ensure_redis()
