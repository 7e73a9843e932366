"""Health of this process, for probes: ``/health/live``, ``/health/ready`` and ``/metrics``.

``/health/live`` answers 200 while the process runs. ``/health/ready`` answers 200 when every check
passes and 503 otherwise, with a JSON body naming each check and what failed:

* ``started``: every service of the process started and none died (``shared.readiness``);
* ``database``: each database of the process's services answers ``SELECT 1``;
* ``broker``: the process reaches RabbitMQ (a connection of its own, kept open, asked a passive
  declaration of ``amq.direct``);
* ``outbox``: no service of the process has an event committed and unsent for more than
  ``STUCK_SECONDS``.

A probe never waits long nor costs much: each check has ``CHECK_SECONDS`` to answer and its result
is kept for ``KEEP_SECONDS`` (probes and scrapes in between are answered from it). A service's
database provider (``shared.dependencies.Database``) registers its database here when it is set up
and withdraws it when it stops. The gateway serves these paths on its own address; a service process
run on its own serves them on ``GONGZHI_METRICS_ADDRESS`` (``serve``).
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import eventlet
from sqlalchemy import func, select, text

from shared import metrics, readiness

log = logging.getLogger(__name__)

CHECK_SECONDS = 1.0
KEEP_SECONDS = 1.5
STUCK_SECONDS = 300.0
CHECKS = ("started", "database", "broker", "outbox")


@dataclass
class Registered:
    service: str
    engine: Any  # sqlalchemy Engine
    outbox: Any  # the outbox Table, or None for a service that publishes nothing
    amqp_uri: str


_registered: dict[int, Registered] = {}
_kept: dict[str, tuple[float, dict]] = {}
_lock = threading.Lock()
_broker_connections: dict[str, Any] = {}


def register(key: object, service: str, engine, outbox, amqp_uri: str) -> None:
    _registered[id(key)] = Registered(service, engine, outbox, amqp_uri)
    _kept.clear()


def unregister(key: object) -> None:
    if _registered.pop(id(key), None) is not None:
        _kept.clear()


def _within(seconds: float, work: Callable[[], Any]) -> Any:
    with eventlet.Timeout(seconds, TimeoutError(f"no answer within {seconds:.1f} s")):
        return work()


def _failure(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}".rstrip(
        ": "
    )


def _check_databases() -> dict:
    failed = {}
    for item in list(_registered.values()):

        def ask(engine=item.engine) -> None:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))

        try:
            _within(CHECK_SECONDS, ask)
        except Exception as exc:
            failed[item.service] = _failure(exc)
    return {"ok": not failed, **({"failing": failed} if failed else {})}


def _broker_alive(uri: str) -> None:
    from kombu import Connection

    connection = _broker_connections.get(uri)
    if connection is None:
        connection = _broker_connections[uri] = Connection(uri, connect_timeout=CHECK_SECONDS, heartbeat=0)
    try:
        if not connection.connected:
            connection.connect()
        connection.default_channel.exchange_declare(exchange="amq.direct", type="direct", passive=True)
    except BaseException:
        _broker_connections.pop(uri, None)
        try:
            connection.collect()  # drops the broken socket without waiting for it
        except Exception:
            pass
        raise


def _check_broker() -> dict:
    failed = {}
    for uri in sorted({item.amqp_uri for item in _registered.values()}):
        kept = uri in _broker_connections
        try:
            try:
                _within(CHECK_SECONDS, functools.partial(_broker_alive, uri))
            except Exception:
                if not kept:
                    raise
                # The connection kept open may have been dropped on the way (an idle connection
                # a firewall forgot): a fresh one decides.
                _within(CHECK_SECONDS, functools.partial(_broker_alive, uri))
        except Exception as exc:
            host = uri.rsplit("@", 1)[-1]  # never the password
            failed[host] = _failure(exc)
    return {"ok": not failed, **({"failing": failed} if failed else {})}


def _unsent(item: Registered) -> tuple[int, float]:
    """How many events the service's outbox holds unsent, and the oldest one's age in seconds."""
    table = item.outbox

    def ask():
        with item.engine.connect() as connection:
            return connection.execute(
                select(func.count(), func.min(table.c.created_at)).where(table.c.sent_at.is_(None))
            ).one()

    count, oldest = _within(CHECK_SECONDS, ask)
    if oldest is None:
        return int(count), 0.0
    if isinstance(oldest, str):  # SQLite hands back text to an aggregate of a typed column
        oldest = datetime.fromisoformat(oldest)
    if oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=timezone.utc)
    return int(count), max(0.0, (datetime.now(timezone.utc) - oldest).total_seconds())


def _check_outboxes() -> dict:
    failed, unsent, unread = {}, {}, {}
    for item in list(_registered.values()):
        if item.outbox is None:
            continue
        try:
            count, age = _unsent(item)
        except Exception as exc:  # its database is away: the database check says so
            unread[item.service] = _failure(exc)
            continue
        metrics.OUTBOX_UNSENT.labels(item.service).set(count)
        metrics.OUTBOX_OLDEST_UNSENT_SECONDS.labels(item.service).set(age)
        unsent[item.service] = {"unsent": count, "oldest_seconds": round(age, 1)}
        if age > STUCK_SECONDS:
            failed[item.service] = f"{count} events unsent, the oldest for {age:.0f} s"
    found = {"ok": not failed, "services": unsent}
    if unread:
        found["unread"] = unread
    if failed:
        found["failing"] = failed
    return found


_RUNNERS: dict[str, Callable[[], dict]] = {
    "database": _check_databases,
    "broker": _check_broker,
    "outbox": _check_outboxes,
}


def _kept_or_run(name: str) -> dict:
    held = _kept.get(name)
    if held is not None and time.monotonic() - held[0] < KEEP_SECONDS:
        return held[1]
    with _lock:  # one probe runs a check; the others take what it found
        held = _kept.get(name)
        if held is not None and time.monotonic() - held[0] < KEEP_SECONDS:
            return held[1]
        try:
            found = _RUNNERS[name]()
        except Exception as exc:  # a check that fails to run fails
            found = {"ok": False, "error": _failure(exc)}
        _kept[name] = (time.monotonic(), found)
        return found


def ready() -> tuple[bool, dict]:
    """Whether the process is ready, and the checks: ``{"ready", "failing", "checks"}``."""
    checks = {"started": {"ok": readiness.is_ready()}}
    for name in ("database", "broker", "outbox"):
        checks[name] = _kept_or_run(name)
    failing = [name for name, check in checks.items() if not check["ok"]]
    return not failing, {"ready": not failing, "failing": failing, "checks": checks}


def measure_outboxes() -> None:
    """Refresh the outbox gauges (at most every ``KEEP_SECONDS``), for a scrape."""
    _kept_or_run("outbox")


def answer(path: str) -> tuple[int, str, bytes] | None:
    """The answer to one of the three paths (status, content type, body); None for another path."""
    if path == "/health/live":
        return 200, "application/json", b'{"live": true}'
    if path == "/health/ready":
        is_ready, body = ready()
        return (200 if is_ready else 503), "application/json", json.dumps(body).encode()
    if path == "/metrics":
        body_bytes, content_type = metrics.exposition()
        return 200, content_type, body_bytes
    return None


def wsgi_app(environ, start_response):
    """The three paths as a WSGI application (a service process's ``GONGZHI_METRICS_ADDRESS``)."""
    found = answer(environ.get("PATH_INFO", "")) if environ.get("REQUEST_METHOD") in ("GET", "HEAD") else None
    if found is None:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found: /health/live, /health/ready and /metrics are served here\n"]
    status, content_type, body = found
    reason = {200: "OK", 503: "Service Unavailable"}[status]
    start_response(f"{status} {reason}", [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]


def serve(address: str):
    """Serve the three paths on ``host:port`` in a green thread; returns the thread (kill it to stop)."""
    import eventlet.wsgi

    host, _, port = address.rpartition(":")
    sock = eventlet.listen((host or "0.0.0.0", int(port)))
    return eventlet.spawn(eventlet.wsgi.server, sock, wsgi_app, log_output=False)
