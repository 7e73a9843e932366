"""What ``gongzhi outbox status`` and ``gongzhi health`` read: each service's outbox in its own
database, the gateway's readiness over HTTP, and each service's answer to a cheap read over RPC.

Every probe is bounded: a PostgreSQL database gets ``CONNECT_SECONDS`` to connect, the gateway and
each service ``timeout`` seconds to answer.
"""

from __future__ import annotations

import importlib
import json
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from shared import config
from shared.db import UnitOfWork, make_engine, now

CONNECT_SECONDS = 5  # a database server that does not answer ends an operator's command this soon

# A read each service answers from its database, naming nothing that exists.
_PROBE_ID = "gongzhi-health-probe"
RPC_PROBES: dict[str, tuple[str, tuple[Any, ...]]] = {
    "meetings": ("find_in_directory", ("district", {"id": _PROBE_ID})),
    "matching": ("find_organisations", ({"id": _PROBE_ID},)),
    "volunteers": ("find_volunteers", ({"id": _PROBE_ID},)),
    "contracts": ("ocds_releases", (_PROBE_ID,)),
}


@dataclass
class OutboxStatus:
    service: str
    unsent: int | None
    oldest_unsent_seconds: float | None
    last_sent_at: datetime | None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        found = asdict(self)
        found["last_sent_at"] = self.last_sent_at.isoformat() if self.last_sent_at else None
        return found


def database_url(name: str) -> str:
    """The database's URL (``shared.config.database_url``), with a bounded connect on PostgreSQL."""
    url = make_url(config.database_url(name))
    if url.get_backend_name() == "postgresql" and "connect_timeout" not in url.query:
        url = url.update_query_dict({"connect_timeout": str(CONNECT_SECONDS)})
    return url.render_as_string(hide_password=False)


def unit_of_work(name: str, metadata) -> UnitOfWork:
    """``shared.db.standalone_unit_of_work`` for an operator's command: one connection, a bounded
    connect."""
    engine = make_engine(database_url(name), pool_size=1)
    return UnitOfWork(sessionmaker(engine, expire_on_commit=False), metadata)


def _metadata(service: str):
    return importlib.import_module(f"services.{service}.models").Base.metadata


def outbox_status(service: str) -> OutboxStatus:
    """Unsent rows of the service's outbox, how long the oldest has waited, and the latest sent."""
    metadata = _metadata(service)
    outbox = metadata.tables["outbox"]
    try:
        uow = unit_of_work(service, metadata)
        with uow:
            unsent, oldest = uow.session.execute(
                select(func.count(), func.min(outbox.c.created_at)).where(outbox.c.sent_at.is_(None))
            ).one()
            last_sent = uow.session.scalar(select(func.max(outbox.c.sent_at)))
    except Exception as exc:  # the database is down, or not migrated
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return OutboxStatus(service, None, None, None, f"{type(exc).__name__}: {reason}")
    age = (now() - oldest).total_seconds() if oldest is not None else None
    return OutboxStatus(service, unsent, age, last_sent)


@dataclass
class Check:
    component: str
    ready: bool
    detail: str
    took_ms: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def gateway_url() -> str:
    host, _, port = config.http_address().rpartition(":")
    if host in ("", "0.0.0.0", "::", "[::]"):
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def gateway_readiness(base_url: str, timeout: float) -> Check:
    """``GET /health/ready`` (its checks' JSON shown), or ``/ready`` on a gateway that has none yet."""
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    for path in ("/health/ready", "/ready"):
        try:
            with urllib.request.urlopen(base_url + path, timeout=timeout) as answer:
                return Check("gateway", True, _described(answer.read()), took())
        except urllib.error.HTTPError as exc:
            if exc.code == 404 and path != "/ready":
                continue
            return Check("gateway", False, f"{exc.code}: {_described(exc.read())}", took())
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            return Check("gateway", False, f"{base_url} does not answer: {reason}", took())
    return Check("gateway", False, "no readiness path answered", took())  # pragma: no cover


def _described(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip()
    try:
        checks = json.loads(text)
    except ValueError:
        return text[:200]
    if isinstance(checks, dict):
        parts = []
        for name, value in checks.items():
            shown = value if not isinstance(value, dict) else value.get("status", value.get("ok", value))
            parts.append(f"{name}: {shown}")
        return "; ".join(parts)[:300]
    return text[:200]


def services_readiness(timeout: float) -> list[Check]:
    """Each service answers a read within ``timeout`` seconds (a call nobody picks up expires in its
    queue, so it never runs later)."""
    from nameko import config as nameko_config
    from nameko.exceptions import RpcTimeout, UnknownService
    from nameko.standalone.rpc import ClusterRpcClient

    nameko_config.setup(config.nameko_config())
    checks = []
    with ClusterRpcClient(timeout=timeout, expiration=timeout) as rpc:
        for service, (method, args) in RPC_PROBES.items():
            started = time.monotonic()
            try:
                getattr(getattr(rpc, service), method)(*args)
                ready, detail = True, f"answered {method}"
            except RpcTimeout:
                ready, detail = False, f"did not answer within {timeout:g} s"
            except UnknownService:
                ready, detail = False, "not running (its queue is not declared)"
            except Exception as exc:  # the service answered with an error: it runs, but is not well
                ready, detail = False, f"answered with {type(exc).__name__}: {str(exc)[:200]}"
            checks.append(Check(service, ready, detail, int((time.monotonic() - started) * 1000)))
    return checks
