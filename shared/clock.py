"""The time a use case runs at, given to it rather than read from the machine.

Every handler and timer takes a ``Clock``. Services get the process's clock from their
``Clocks`` dependency (``shared.db``): the system's in production, a ``MovableClock`` that a test
installs with ``install`` so that it can move time past a deadline instead of sleeping until it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class MovableClock:
    """A clock that runs with the system's from where it was set, and moves when told to."""

    def __init__(self, offset: timedelta = timedelta(0)):
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(timezone.utc) + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


class FixedClock:
    """A clock that stands still until moved: for unit tests of rules that depend on the time."""

    def __init__(self, moment: datetime):
        if moment.tzinfo is None:
            raise ValueError("a clock tells aware instants")
        self.moment = moment.astimezone(timezone.utc)

    def now(self) -> datetime:
        return self.moment

    def advance(self, delta: timedelta) -> None:
        self.moment += delta


_installed: Clock = SystemClock()


def current() -> Clock:
    """The clock of this process (the system's unless a test installed another)."""
    return _installed


def install(clock: Clock | None) -> None:
    """Make ``clock`` the process's clock; None puts the system's back."""
    global _installed
    _installed = clock or SystemClock()
