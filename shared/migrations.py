"""Alembic, one history per service: ``python -m deploy.migrate`` applies them all."""

from __future__ import annotations

from alembic import command, context
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import exc

from shared import config
from shared.db import make_engine


def alembic_config(service: str, url: str | None = None) -> Config:
    cfg = Config()
    home = config.ROOT / ("gateway" if service == "gateway" else f"services/{service}")
    cfg.set_main_option("script_location", str(home / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url or config.database_url(service))
    cfg.attributes["service"] = service
    return cfg


def upgrade(service: str, url: str | None = None) -> None:
    command.upgrade(alembic_config(service, url), "head")


def revisions(service: str, url: str | None = None) -> tuple[set[str], set[str]]:
    """The revisions the service's database is at, and the heads of its history."""
    cfg = alembic_config(service, url)
    heads = set(ScriptDirectory.from_config(cfg).get_heads())
    engine = make_engine(cfg.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except exc.OperationalError as refused:
        raise SystemExit(f"the {service} database does not answer: {refused.orig}") from None
    finally:
        engine.dispose()
    return current, heads


def require_head(service: str, url: str | None = None) -> None:
    """Stop the process unless the service's database is at its alembic head: in production the
    migrations job (``python -m deploy.migrate``) changes schemas, never a service starting."""
    current, heads = revisions(service, url)
    if current != heads:
        raise SystemExit(
            f"the {service} database is at revision {_revisions(current)}, not {_revisions(heads)}: "
            "run the migrations job (python -m deploy.migrate) first"
        )


def _revisions(revisions: set[str]) -> str:
    return ", ".join(sorted(revisions)) or "none (no migration applied)"


def run_env(metadata) -> None:
    """The body of every service's ``migrations/env.py``."""
    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("alembic_config() sets sqlalchemy.url; this history was run without it")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
