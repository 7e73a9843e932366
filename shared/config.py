"""One configuration loader: the environment, with safe defaults for a local run.

Local defaults are SQLite files under ``var/`` and RabbitMQ on localhost; a
``DATABASE_URL`` pointing at PostgreSQL switches every service to it.
"""

from __future__ import annotations

import os
from pathlib import Path
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
        "max_workers": int(os.environ.get("GONGZHI_MAX_WORKERS", "10")),
        "WEB_SERVER_ADDRESS": os.environ.get("GONGZHI_HTTP", "127.0.0.1:8000"),
        "serializer": "json",
    }
    config.update(overrides)
    return config
