"""Alembic environment of the matching service (its own history)."""

from services.matching.models import Base
from shared.migrations import run_env

run_env(Base.metadata)
