"""Time moved past a deadline instead of slept until.

The platform fixture runs every service in the test's process, and each service reads the time
from the process's clock (``shared.clock.current()``, through its ``Clocks`` dependency): a test
that asks for the ``clock`` fixture installs a ``MovableClock`` there, moves it past a deadline,
and then waits only for the timer's next tick. Import ``moving_clock`` into the test module; the
tests ask for ``clock``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from shared.clock import MovableClock, install


@pytest.fixture(name="clock")
def moving_clock() -> Iterator[MovableClock]:
    """The clock of every service of the process, running from now until moved."""
    moving = MovableClock()
    install(moving)
    try:
        yield moving
    finally:
        install(None)


def move_past(clock: MovableClock, deadline: datetime) -> None:
    """Move ``clock`` to a second after ``deadline`` (it never goes back)."""
    clock.advance(max(timedelta(0), deadline - clock.now()) + timedelta(seconds=1))
