"""The time a use case runs at, given to it rather than read from the machine.

Every handler and timer takes a ``Clock``. Services get the process's clock from their
``Clocks`` dependency (``shared.dependencies``): the system's in production, a ``MovableClock``
that a test installs with ``install`` so that it can move time past a deadline instead of sleeping
until it. A test that runs the services in processes of their own moves theirs with an
``OffsetFileClock`` (``GONGZHI_CLOCK_OFFSET_FILE``, refused in production).
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path
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


class OffsetFileClock:
    """The system's clock moved by the seconds written in a file, for processes a test harness runs:
    the harness writes the offset (atomically, by renaming) and every process reads it, those it
    restarts too. The file is read again only when it changes; a missing file means no offset."""

    def __init__(self, path: Path):
        self.path = path
        self._seen: tuple[int, int] | None = None
        self._offset = timedelta(0)

    def now(self) -> datetime:
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            self._seen, self._offset = None, timedelta(0)
        else:
            if (stat.st_mtime_ns, stat.st_ino) != self._seen:
                self._offset = timedelta(seconds=float(self.path.read_text() or 0))
                self._seen = (stat.st_mtime_ns, stat.st_ino)
        return datetime.now(timezone.utc) + self._offset

    @staticmethod
    def write(path: Path, offset: timedelta) -> None:
        """Move every process reading ``path`` to the system's time plus ``offset``."""
        draft = path.with_name(path.name + ".new")
        draft.write_text(repr(offset.total_seconds()))
        os.replace(draft, path)


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
