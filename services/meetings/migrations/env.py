"""Alembic environment of the meetings service (its own history)."""

from services.meetings.models import Base
from shared.migrations import run_env

run_env(Base.metadata)
