"""Alembic, one history per service: ``python -m deploy.migrate`` applies them all."""

from __future__ import annotations

from alembic import command, context
from alembic.config import Config

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
