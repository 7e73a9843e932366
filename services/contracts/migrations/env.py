"""Alembic environment of the contracts service (its own history)."""

from services.contracts.models import Base
from shared.migrations import run_env

run_env(Base.metadata)
