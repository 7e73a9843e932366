"""What the operators' commands share: RPC to the running platform that fails fast, and exits.

A command never waits for a platform that is down: the broker must answer within a few seconds,
every call must be answered within ``GONGZHI_OPERATOR_TIMEOUT`` seconds (default 10), and a
request that no service picked up by then expires in its queue, so it cannot run later behind
the operator's back. Each of these ends the command with exit status 3; a refusal (unknown id,
bad input) ends it with status 1.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import eventlet
from kombu import Connection
from nameko import config as nameko_config
from nameko.exceptions import RpcTimeout, UnknownService
from nameko.standalone.rpc import ClusterRpcClient

from deploy.broker import reachable
from shared import config
from shared.errors import DomainError

REFUSED = 1  # the platform (or the command) said no: nothing was done
UNAVAILABLE = 3  # the platform did not answer: nothing was done, and nothing will be done later


def timeout() -> float:
    return config.settings().operator_timeout


def fail(message: str, status: int = REFUSED) -> None:
    print(message, file=sys.stderr)
    sys.exit(status)


def refused(exc: DomainError) -> None:
    fail(f"{exc.field or 'error'}: {exc.message}")


def _shown(uri: str) -> str:
    return Connection(uri).as_uri()  # without the password


@contextmanager
def platform_rpc() -> Iterator[ClusterRpcClient]:
    """A cluster RPC client whose every call is answered within the timeout, or the command exits."""
    limit, uri = timeout(), config.amqp_uri()
    if not reachable(uri, timeout=min(limit, 3.0)):
        fail(
            f"the broker at {_shown(uri)} does not answer: is the platform running? Nothing was done.",
            UNAVAILABLE,
        )
    nameko_config.setup(config.nameko_config())
    try:
        # The whole conversation is bounded too, should the broker go away half-way.
        with eventlet.Timeout(limit * 4), ClusterRpcClient(timeout=limit, expiration=limit) as rpc:
            yield rpc
    except RpcTimeout:
        fail(
            f"the platform did not answer within {limit:g} s (GONGZHI_OPERATOR_TIMEOUT); the request "
            "expires unanswered, so it will not run later. Run the command again once the platform "
            "is up: it reports what already exists instead of creating it twice.",
            UNAVAILABLE,
        )
    except UnknownService as exc:
        fail(f"the {exc._service_name} service is not running: nothing was done.", UNAVAILABLE)
    except eventlet.Timeout:
        fail(f"the platform took longer than {limit * 4:g} s in all: nothing more was done.", UNAVAILABLE)
    except (OSError, ConnectionError) as exc:
        fail(f"lost the broker ({exc or type(exc).__name__}): nothing more was done.", UNAVAILABLE)
