"""What every layer of the tests shares; it imports neither nameko nor eventlet.

The unit layer (tests/unit) runs without them. Every other layer's conftest imports
``tests.platform_fixtures`` first, which monkey-patches eventlet and holds the broker, database and
platform fixtures (nameko's own pytest plugin is off in pyproject.toml for the same reason).
"""

from __future__ import annotations

import socket
from typing import Any

import pytest


def unit_of_work(engine, metadata, **kwargs: Any):
    """A unit of work on ``engine`` for a test that sets the database up itself."""
    from sqlalchemy.orm import sessionmaker

    from shared.db import UnitOfWork

    return UnitOfWork(sessionmaker(engine, expire_on_commit=False), metadata, **kwargs)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def redis_server() -> str:
    """The Redis the tests use (``TEST_REDIS_URL``): a test that needs it fails, never skips, when
    it does not answer (``./test.sh`` starts the machine's own)."""
    import redis

    from shared import config

    url = config.test_redis_url()
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except (redis.RedisError, OSError) as exc:
        pytest.fail(f"Redis does not answer at {url} ({exc}): start redis-server or set TEST_REDIS_URL")
    return url
