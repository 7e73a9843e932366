"""The platform's logs: one setup, one line per event, each worker's lines under its correlation id.

``configure()`` is the one logging setup of every process the platform runs (``deploy.serve``,
``deploy.migrate``, the operators' commands): one handler on stderr, at ``GONGZHI_LOG_LEVEL``
(INFO), writing one JSON object a line when ``GONGZHI_LOG_FORMAT=json`` or in production, else
the human-readable console lines ``./run.sh`` shows.

Every line written while a nameko worker runs carries the worker's correlation id
(``correlation_id``) and the worker (``worker``: ``service.method``); ``shared.correlation`` binds
them, one id for everything one GraphQL request caused: the gateway's lines, every RPC it made and
every event those emitted, down to the consumers and what they emitted in turn.

nameko logs every exception a worker raises with its traceback ("error handling worker ..."), at
ERROR, or at WARNING when the entrypoint expects it. A refusal the platform expects (a domain
error: not found, invalid input, a broken rule) or an event handled before is one INFO line here,
without a traceback; an unexpected failure keeps its ERROR and its traceback.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from contextvars import ContextVar
from typing import IO, Any

from pythonjsonlogger.json import JsonFormatter

from shared import config

# Set in each worker's own green thread (a green thread starts with an empty context), so one
# worker's id never leaks into another's lines.
CORRELATION_ID: ContextVar[str | None] = ContextVar("gongzhi_correlation_id", default=None)
WORKER: ContextVar[str | None] = ContextVar("gongzhi_worker", default=None)

ACCESS = "gongzhi.access"  # one line per GraphQL request (gateway.http)

# The fields of a JSON line, besides ``correlation_id``, ``worker``, ``exc_info`` and a line's own.
JSON_FIELDS = ("levelname", "name", "message")
JSON_RENAMED = {"levelname": "level", "name": "logger"}


def correlation_id() -> str | None:
    """The correlation id of the worker running now, if any."""
    return CORRELATION_ID.get()


def bind(correlation: str | None, worker: str | None = None) -> Callable[[], None]:
    """Put ``correlation`` (and the worker's name) on every line this green thread logs from now;
    returns what puts back the ones before (a worker's green thread ends with it: no need)."""
    install()
    tokens = (CORRELATION_ID.set(correlation), WORKER.set(worker or WORKER.get()))

    def restore() -> None:
        CORRELATION_ID.reset(tokens[0])
        WORKER.reset(tokens[1])

    return restore


_installed = False


def install() -> None:
    """Correlation ids on every record, and expected refusals quietened (idempotent; ``configure``
    does it, and a test that reads records without configuring the handlers)."""
    global _installed
    if _installed:
        return
    _installed = True
    make_record = logging.getLogRecordFactory()

    def record_with_correlation(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        correlation = CORRELATION_ID.get()
        if correlation is not None:
            record.correlation_id = correlation
            record.worker = WORKER.get()
        return record

    logging.setLogRecordFactory(record_with_correlation)
    logging.getLogger("nameko.containers").addFilter(ExpectedRefusals())


def outcome(exc: BaseException | None, expected: Any = ()) -> str:
    """How a worker ended: ``ok``, ``duplicate`` (an event handled before), ``refused`` (a domain
    error, or an exception its entrypoint expects) or ``error`` (anything else: unexpected)."""
    from shared.errors import DomainError

    if exc is None:
        return "ok"
    if type(exc).__name__ == "DuplicateEvent":  # shared.db's, not imported here (SQLAlchemy)
        return "duplicate"
    if isinstance(exc, DomainError) or (expected and isinstance(exc, expected)):
        return "refused"
    return "error"


class ExpectedRefusals(logging.Filter):
    """On nameko's container logger: "error handling worker" for an expected refusal becomes one
    INFO line (``volunteers.credit_activity refused: not_found: no such volunteer``), with
    ``outcome`` and ``error_code`` fields and no traceback. Unexpected failures pass unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if record.exc_info is None or not isinstance(args, tuple) or len(args) != 2:
            return True
        worker_ctx: Any = args[0]
        exc = args[1]
        entrypoint = getattr(worker_ctx, "entrypoint", None)
        if entrypoint is None or not isinstance(exc, BaseException):
            return True
        ended = outcome(exc, getattr(entrypoint, "expected_exceptions", ()))
        if ended == "error":
            return True
        record.levelno, record.levelname = logging.INFO, "INFO"
        record.exc_info = None
        record.exc_text = None
        record.msg = "%s.%s %s: %s"
        record.args = (worker_ctx.service_name, entrypoint.method_name, ended, exc)
        record.outcome = ended
        code = getattr(exc, "code", None)
        if code is not None:
            record.error_code = str(code)
        # The logger let it through as a WARNING or an ERROR; INFO may be below its level.
        return logging.getLogger(record.name).isEnabledFor(logging.INFO)


class ConsoleFormatter(logging.Formatter):
    """``2026-05-04 09:30:01,234 INFO gongzhi.access [<correlation id>]: <message>``; the fields a
    JSON line would carry besides the message are left to the JSON format."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(correlated)s: %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        correlation = getattr(record, "correlation_id", None)
        shown = {**record.__dict__, "correlated": f" [{correlation}]" if correlation else ""}
        return self._style._fmt % shown


class _TimeFirst(JsonFormatter):
    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        fields = dict(log_data)
        log_data.clear()
        log_data["time"] = fields.pop("time")
        log_data.update(fields)


def json_formatter() -> logging.Formatter:
    """One JSON object a line: ``time`` (ISO 8601, UTC), ``level``, ``logger``, ``message``,
    ``correlation_id`` and ``worker`` inside a worker, ``exc_info`` (the traceback, one string)
    for a failure, and whatever fields the line adds (the access log's, an event's)."""
    return _TimeFirst(list(JSON_FIELDS), rename_fields=dict(JSON_RENAMED), timestamp="time")


_HANDLER_MARK = "_gongzhi_handler"


LIBRARIES = ("nameko.web.server", "nameko.runners", "kombu", "amqp", "alembic")


def configure(stream: IO[str] | None = None) -> logging.Handler:
    """The process's logging, from ``GONGZHI_LOG_LEVEL`` and ``GONGZHI_LOG_FORMAT``: replaces the
    handler an earlier call added (and any ``basicConfig`` one) and returns the new one."""
    install()
    level = getattr(logging, config.log_level())
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(json_formatter() if config.log_json() else ConsoleFormatter())
    handler.setLevel(level)
    setattr(handler, _HANDLER_MARK, True)
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, _HANDLER_MARK, False) or type(old) is logging.StreamHandler:
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # The libraries' INFO lines say what a library does, not what the platform did: eventlet's WSGI
    # server one per connection (probes and scrapes included; the gateway's access log has one per
    # GraphQL request), kombu one per connection made, alembic two per database migrated, nameko
    # one per start. DEBUG shows them all.
    for library in LIBRARIES:
        logging.getLogger(library).setLevel(logging.DEBUG if level <= logging.DEBUG else logging.WARNING)
    return handler
