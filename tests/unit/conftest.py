"""The unit layer: plain Python, SQLite in memory at most; no nameko, no eventlet, no broker.

A session that runs only this layer fails at its end if anything imported nameko or eventlet,
naming the module that asked for it (a whole-suite run imports them for the other layers, so
the check is left out there)."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FORBIDDEN = ("nameko", "eventlet")


class _Watch:
    """Notes who first imports a forbidden package; finds nothing itself."""

    def __init__(self) -> None:
        self.culprits: dict[str, str] = {}

    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in FORBIDDEN and top not in self.culprits:
            frames = [f for f in traceback.extract_stack()[:-1] if "importlib" not in f.filename]
            self.culprits[top] = " <- ".join(f"{f.filename}:{f.lineno}" for f in frames[-1:-4:-1])
        return None


WATCH = _Watch()
sys.meta_path.insert(0, WATCH)


LEAKS: list[str] = []


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    items = getattr(session, "items", [])
    if not items or not all(Path(item.path).resolve().is_relative_to(HERE) for item in items):
        return
    LEAKS[:] = [
        f"{name} imported by {WATCH.culprits.get(name, 'a module before this layer')}"
        for name in FORBIDDEN
        if name in sys.modules
    ]
    if LEAKS:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter) -> None:
    if LEAKS:
        terminalreporter.section("the unit layer imported nameko or eventlet", red=True, bold=True)
        terminalreporter.write_line(
            "Import them where they are used, not at the top of a module the unit tests import:"
        )
        for leak in LEAKS:
            terminalreporter.write_line(f"  {leak}")
