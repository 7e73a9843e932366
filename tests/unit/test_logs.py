"""The one logging setup (shared.logs): its level and format from shared.config, one JSON object a
line with the worker's correlation id, and a refusal the platform expects as one INFO line without
a traceback while an unexpected failure keeps its ERROR and traceback."""

from __future__ import annotations

import contextvars
import io
import json
import logging
import sys
from types import SimpleNamespace

import pytest

from shared import config, logs
from shared.errors import NotFound


@pytest.fixture
def root_logging():
    """The root logger's handlers and level as they were, whatever a test configures."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)


def test_the_level_and_format_come_from_the_environment(monkeypatch):
    for name in ("GONGZHI_LOG_LEVEL", "GONGZHI_LOG_FORMAT", "GONGZHI_ENV"):
        monkeypatch.delenv(name, raising=False)
    assert config.log_level() == "INFO" and config.log_json() is False  # ./run.sh: the console's lines
    monkeypatch.setenv("GONGZHI_ENV", "production")
    assert config.log_json() is True  # production: JSON unless asked otherwise
    monkeypatch.setenv("GONGZHI_LOG_FORMAT", "console")
    assert config.log_json() is False
    monkeypatch.delenv("GONGZHI_ENV")
    monkeypatch.setenv("GONGZHI_LOG_FORMAT", "JSON")
    monkeypatch.setenv("GONGZHI_LOG_LEVEL", "debug")
    assert config.log_json() is True and config.log_level() == "DEBUG"
    monkeypatch.setenv("GONGZHI_LOG_LEVEL", "loud")
    with pytest.raises(SystemExit, match="GONGZHI_LOG_LEVEL must be one of DEBUG, INFO"):
        config.log_level()
    monkeypatch.setenv("GONGZHI_LOG_FORMAT", "xml")
    with pytest.raises(SystemExit, match="GONGZHI_LOG_FORMAT must be one of console, json"):
        config.log_json()


def test_json_lines_carry_the_workers_correlation_id_and_a_traceback_on_one_line(monkeypatch, root_logging):
    monkeypatch.setenv("GONGZHI_LOG_FORMAT", "json")
    monkeypatch.setenv("GONGZHI_LOG_LEVEL", "INFO")
    out = io.StringIO()
    logs.configure(stream=out)
    log = logging.getLogger("gongzhi.test")

    def in_a_worker() -> None:
        logs.bind("c0ffee-1", "volunteers.credit_activity")
        log.info("handled %s", "it", extra={"outcome": "ok", "ms": 1.5})
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            log.exception("failed")

    contextvars.copy_context().run(in_a_worker)  # as a worker's own green thread would
    log.debug("below the level")
    log.warning("outside any worker")

    lines = out.getvalue().splitlines()
    assert len(lines) == 3, lines
    handled, failed, outside = (json.loads(line) for line in lines)
    assert list(handled)[:4] == ["time", "level", "logger", "message"]
    assert handled["message"] == "handled it" and handled["level"] == "INFO"
    assert handled["logger"] == "gongzhi.test" and handled["time"].endswith("+00:00")
    assert (handled["correlation_id"], handled["worker"]) == ("c0ffee-1", "volunteers.credit_activity")
    assert (handled["outcome"], handled["ms"]) == ("ok", 1.5)
    assert failed["level"] == "ERROR" and failed["correlation_id"] == "c0ffee-1"
    assert "Traceback" in failed["exc_info"] and "RuntimeError: boom" in failed["exc_info"]
    assert "correlation_id" not in outside and outside["level"] == "WARNING"


def test_the_console_shows_the_correlation_id_in_brackets(monkeypatch, root_logging):
    monkeypatch.delenv("GONGZHI_LOG_FORMAT", raising=False)
    monkeypatch.delenv("GONGZHI_ENV", raising=False)
    out = io.StringIO()
    logs.configure(stream=out)

    def in_a_worker() -> None:
        logs.bind("c0ffee-2", "gateway.graphql")
        logging.getLogger(logs.ACCESS).info("mutation anonymous by volunteer: 200 ok (3.0 ms)")

    contextvars.copy_context().run(in_a_worker)
    (line,) = out.getvalue().splitlines()
    assert line.endswith(" INFO gongzhi.access [c0ffee-2]: mutation anonymous by volunteer: 200 ok (3.0 ms)")


class _Boom(Exception):
    pass


def _nameko_line(exc: Exception, expected=()) -> logging.LogRecord:
    """The record nameko's container writes for a worker that raised ``exc`` (containers.py)."""
    worker_ctx = SimpleNamespace(
        service_name="volunteers",
        entrypoint=SimpleNamespace(method_name="credit_activity", expected_exceptions=expected),
    )
    try:
        raise exc
    except Exception:
        exc_info = sys.exc_info()
    level, message = (
        (logging.WARNING, "(expected) error handling worker %s: %s")
        if expected and isinstance(exc, expected)
        else (logging.ERROR, "error handling worker %s: %s")
    )
    return logging.LogRecord("nameko.containers", level, __file__, 1, message, (worker_ctx, exc), exc_info)


def test_a_refusal_is_one_info_line_and_an_unexpected_failure_keeps_its_traceback(root_logging):
    root_logging.setLevel(logging.INFO)
    refusals = logs.ExpectedRefusals()

    refused = _nameko_line(NotFound("no such volunteer", field="volunteer_id"))
    assert refusals.filter(refused)
    assert (refused.levelname, refused.exc_info, refused.outcome, refused.error_code) == (
        "INFO",
        None,
        "refused",
        "not_found",
    )
    assert (
        refused.getMessage()
        == "volunteers.credit_activity refused: not_found: no such volunteer (volunteer_id)"
    )

    expected = _nameko_line(_Boom("expected by its entrypoint"), expected=(_Boom,))
    assert refusals.filter(expected) and expected.levelname == "INFO" and expected.exc_info is None

    failed = _nameko_line(RuntimeError("boom"))
    assert refusals.filter(failed)
    assert failed.levelname == "ERROR" and failed.exc_info is not None and failed.exc_info[0] is RuntimeError


def test_a_refusal_below_the_configured_level_is_not_written(root_logging):
    root_logging.setLevel(logging.WARNING)
    assert not logs.ExpectedRefusals().filter(_nameko_line(NotFound("no such volunteer")))
