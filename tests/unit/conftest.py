"""The unit layer: plain Python, SQLite in memory at most; no nameko, no eventlet, no broker.

Collecting it is checked by ``test_layer.py``; running it is checked here, at the end of a
session that ran only this layer (a whole-suite run imports them for the other layers)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FORBIDDEN = ("nameko", "eventlet")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    items = getattr(session, "items", [])
    if not items or not all(Path(item.path).resolve().is_relative_to(HERE) for item in items):
        return
    leaked = [name for name in FORBIDDEN if name in sys.modules]
    if leaked:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line(
                f"the unit layer imported {' and '.join(leaked)}: import it where it is used, not at the top "
                "of a module the unit tests import",
                red=True,
                bold=True,
            )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
