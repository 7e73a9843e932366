"""One configuration loader: the environment, with safe defaults for a local run.

Local defaults are SQLite files under ``var/`` and RabbitMQ on localhost; a
``DATABASE_URL`` pointing at PostgreSQL switches every service to it.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("meetings", "matching", "volunteers", "contracts")
# Every component with a database of its own: the services, and the gateway (accounts, audit).
DATABASES = (*SERVICES, "gateway")


def var_dir() -> Path:
    path = Path(os.environ.get("GONGZHI_VAR", ROOT / "var"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def amqp_uri() -> str:
    return os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")


def broker_wait_seconds() -> float:
    """How long a process waits for a broker that does not answer before it exits."""
    return float(os.environ.get("GONGZHI_BROKER_WAIT_SECONDS", "60"))


def ready_file() -> Path | None:
    """A file that exists while the process is ready (``GONGZHI_READY_FILE``), for exec probes."""
    path = os.environ.get("GONGZHI_READY_FILE")
    return Path(path) if path else None


def metrics_address() -> str | None:
    """Where a service process run on its own serves /health/live, /health/ready and /metrics
    (``GONGZHI_METRICS_ADDRESS``, host:port); unset, it serves none (the gateway's address does)."""
    return os.environ.get("GONGZHI_METRICS_ADDRESS") or None


def http_address() -> str:
    """Where the gateway listens (host:port)."""
    return os.environ.get("GONGZHI_HTTP", "127.0.0.1:8000")


def public_graphql_url() -> str:
    """The GraphQL address people are given (the demo's links): ``GONGZHI_PUBLIC_URL`` when the
    gateway is reached through a proxy or a published port, else where it listens."""
    return os.environ.get("GONGZHI_PUBLIC_URL") or f"http://{http_address()}/graphql"


def redis_url() -> str | None:
    """``GONGZHI_REDIS_URL``: the Redis the gateway's replicas share their state in (rate-limit
    buckets, ended sign-ins, persisted queries); unset, each gateway process keeps its own."""
    return os.environ.get("GONGZHI_REDIS_URL") or None


def redis_prefix() -> str:
    """``GONGZHI_REDIS_PREFIX``: what every key the platform writes in Redis begins with."""
    return os.environ.get("GONGZHI_REDIS_PREFIX", "gongzhi:")


def test_redis_url() -> str:
    """The Redis the tests use, each under a key prefix of its own."""
    return os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def test_postgres_url() -> str:
    """The PostgreSQL server the tests create their databases on (no database in the URL)."""
    return os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")


def test_amqp_uri() -> str:
    """The RabbitMQ the tests make a vhost on per test (no vhost in the URI)."""
    return os.environ.get("TEST_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672")


def test_rabbit_api() -> str:
    """RabbitMQ's management API, which the tests create and delete their vhosts through."""
    return os.environ.get("TEST_RABBIT_API", "http://guest:guest@127.0.0.1:15672")


def database_url(service: str) -> str:
    """The database of one service.

    ``DATABASE_URL_<SERVICE>`` wins; else ``DATABASE_URL`` with ``{service}``
    in it (``postgresql://postgres@db/gongzhi_{service}``) gives each service
    its own database; else a SQLite file under ``var/``.
    """
    own = os.environ.get(f"DATABASE_URL_{service.upper()}")
    if own:
        return own
    template = os.environ.get("DATABASE_URL")
    if template:
        if "{service}" not in template:
            raise RuntimeError("DATABASE_URL must contain {service} so that each service owns its database")
        return template.format(service=service)
    return f"sqlite:///{var_dir() / f'{service}.db'}"


def production() -> bool:
    return os.environ.get("GONGZHI_ENV", "development") == "production"


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("console", "json")


def log_level() -> str:
    """``GONGZHI_LOG_LEVEL``: the least severe level a process logs (INFO; DEBUG adds a line per RPC
    handled and per timer tick)."""
    level = os.environ.get("GONGZHI_LOG_LEVEL", "INFO").upper()
    if level not in LOG_LEVELS:
        raise SystemExit(f"GONGZHI_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {level!r}")
    return level


def log_json() -> bool:
    """``GONGZHI_LOG_FORMAT``: ``json`` (one JSON object a line) or ``console`` (human-readable);
    unset, JSON in production and the console's lines otherwise (``./run.sh``)."""
    chosen = os.environ.get("GONGZHI_LOG_FORMAT", "").lower()
    if chosen and chosen not in LOG_FORMATS:
        raise SystemExit(f"GONGZHI_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {chosen!r}")
    return chosen == "json" or (not chosen and production())


def clock_offset_file() -> Path | None:
    """``GONGZHI_CLOCK_OFFSET_FILE``: a test harness moves the clock of the processes it runs by the
    seconds in this file (``shared.clock.OffsetFileClock``). Production refuses to start with it."""
    raw = os.environ.get("GONGZHI_CLOCK_OFFSET_FILE")
    if raw and production():
        raise SystemExit("GONGZHI_CLOCK_OFFSET_FILE moves the clock for tests; production refuses it")
    return Path(raw) if raw else None


def community_zone() -> ZoneInfo:
    return ZoneInfo(os.environ.get("GONGZHI_TIMEZONE", "Asia/Shanghai"))


def local_minute(moment) -> str:
    """An instant as people read it in a notice: the community's time with its offset."""
    shown = moment.astimezone(community_zone())
    return f"{shown:%Y-%m-%d %H:%M} {shown.isoformat()[-6:]}"


def open_data_publisher() -> str:
    """Who publishes the open contracting data: the operator of this installation."""
    return os.environ.get("GONGZHI_PUBLISHER", "Gongzhi community governance platform")


def token_secret() -> str:
    """The key that signs access tokens.

    Production refuses to run without one; a local run keeps a random key in
    ``var/`` so that tokens survive a restart.
    """
    secret = os.environ.get("GONGZHI_TOKEN_SECRET")
    if production() and (not secret or len(secret) < 32):
        raise SystemExit("production needs GONGZHI_TOKEN_SECRET, a signing key of at least 32 characters")
    if secret:
        return secret
    path = var_dir() / "token-secret"
    if not path.exists():
        path.write_text(os.urandom(32).hex())
        path.chmod(0o600)
    return path.read_text().strip()


def nameko_config(**overrides) -> dict:
    """nameko's own settings for every service of the platform."""
    config = {
        "AMQP_URI": amqp_uri(),
        "max_workers": settings().max_workers,
        # Each consumer holds at most as many unacknowledged messages as the process has workers:
        # a message prefetched beyond that would wait for a busy worker here while another
        # replica's idle one could take it.
        "PREFETCH_COUNT": settings().max_workers,
        "WEB_SERVER_ADDRESS": http_address(),
        "serializer": "json",
        # Each worker under its request's correlation id (shared.correlation).
        "SERVICE_CONTAINER_CLS": "shared.correlation.Container",
    }
    config.update(overrides)
    return config


@dataclass(frozen=True)
class Settings:
    """Every tunable of the platform, typed, with its default. Read from the environment when
    asked (``settings()``), never at import: a test or an operator's command that sets a variable
    is heard by the next call."""

    # Timers: how often each service looks for deadlines that have passed.
    tender_tick_seconds: float = 5.0
    milestone_tick_seconds: float = 300.0
    volunteer_tick_seconds: float = 30.0
    # Matching: the prefix of open contracting ids; contracts: the value above which the office
    # approves a contract; volunteers: the points a team leader may credit in one activity.
    ocid_prefix: str = "ocds-gz0001"
    approval_threshold: Decimal = Decimal("200000.00")
    leader_credit_limit: int = 100
    # Gateway: sign-in throttling, document limits and the per-party rate limit.
    max_failed_sign_ins: int = 5
    max_failed_sign_ins_per_address: int = 20
    max_document_bytes: int = 20000
    max_tokens: int = 1000
    max_selections: int = 500
    max_depth: int = 10
    max_cost: int = 5000
    max_resolved_fields: int = 20000
    rate_per_second: float = 20.0
    rate_burst: int = 60
    # How many proxies (a load balancer, an Ingress) stand in front of the gateway, each appending
    # the address it was reached from to X-Forwarded-For: the client's is the one the outermost
    # appended. 0: the connection's own address (nothing a client writes is believed).
    trusted_proxies: int = 0
    operator_timeout: float = 10.0
    max_workers: int = 10
    # Every service: how long the answer to a command sent with an Idempotency-Key is kept (a
    # repeat within that time is answered without running again), and how often older ones go.
    idempotency_retention_days: float = 7.0
    idempotency_purge_seconds: float = 3600.0


# Each setting's environment variable.
ENVIRONMENT = {
    "tender_tick_seconds": "GONGZHI_TENDER_TICK_SECONDS",
    "milestone_tick_seconds": "GONGZHI_MILESTONE_TICK_SECONDS",
    "volunteer_tick_seconds": "GONGZHI_VOLUNTEER_TICK_SECONDS",
    "ocid_prefix": "GONGZHI_OCID_PREFIX",
    "approval_threshold": "GONGZHI_APPROVAL_THRESHOLD",
    "leader_credit_limit": "GONGZHI_LEADER_CREDIT_LIMIT",
    "max_failed_sign_ins": "GONGZHI_MAX_FAILED_SIGN_INS",
    "max_failed_sign_ins_per_address": "GONGZHI_MAX_FAILED_SIGN_INS_PER_ADDRESS",
    "max_document_bytes": "GONGZHI_MAX_DOCUMENT_BYTES",
    "max_tokens": "GONGZHI_MAX_TOKENS",
    "max_selections": "GONGZHI_MAX_SELECTIONS",
    "max_depth": "GONGZHI_MAX_DEPTH",
    "max_cost": "GONGZHI_MAX_COST",
    "max_resolved_fields": "GONGZHI_MAX_RESOLVED_FIELDS",
    "rate_per_second": "GONGZHI_RATE_PER_SECOND",
    "rate_burst": "GONGZHI_RATE_BURST",
    "trusted_proxies": "GONGZHI_TRUSTED_PROXIES",
    "operator_timeout": "GONGZHI_OPERATOR_TIMEOUT",
    "max_workers": "GONGZHI_MAX_WORKERS",
    "idempotency_retention_days": "GONGZHI_IDEMPOTENCY_RETENTION_DAYS",
    "idempotency_purge_seconds": "GONGZHI_IDEMPOTENCY_PURGE_SECONDS",
}


def settings() -> Settings:
    """The settings now in force; a variable that is not a value of its type stops the process
    with a sentence naming it. Asked for on every request, so the parsed settings are kept for as
    long as the variables they come from are unchanged."""
    return _parsed(tuple(os.environ.get(ENVIRONMENT[item.name]) for item in _FIELDS))


_FIELDS = fields(Settings)


@functools.lru_cache(maxsize=8)
def _parsed(raw_values: tuple[str | None, ...]) -> Settings:
    given = {}
    for item, raw in zip(_FIELDS, raw_values, strict=True):
        if raw is None or raw == "":
            continue
        default: Any = item.default  # every setting has one, so its type is the setting's
        kind = type(default)
        try:
            given[item.name] = kind(raw)
        except (ValueError, ArithmeticError):
            raise SystemExit(f"{ENVIRONMENT[item.name]}={raw!r} is not a {kind.__name__}") from None
    if "max_resolved_fields" not in given and "max_cost" in given:
        given["max_resolved_fields"] = 4 * given["max_cost"]
    return Settings(**given)
