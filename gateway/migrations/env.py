"""Alembic environment of the gateway (accounts, sessions, audit log)."""

from gateway.models import Base
from shared.migrations import run_env

run_env(Base.metadata)
