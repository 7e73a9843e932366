"""Databases: engine settings, typed columns and the unit of work (free of nameko and eventlet:
the providers that give them to services are in ``shared.dependencies``).

A unit of work owns one transaction. Events a change causes go into the same
transaction (the outbox); an event being handled is recorded in it too (the
inbox), so a redelivered event is recognised and changes nothing. A command sent
with an idempotency key keeps its answer in the same transaction (the
idempotency table), so a command run again is answered without running.
The relay that publishes the committed outbox is ``shared.relay``.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    DateTime,
    Integer,
    Numeric,
    String,
    Text,
    TypeDecorator,
    create_engine,
    delete,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from shared import config
from shared.errors import Conflict
from shared.events import Event, new_event
from shared.vocabulary.common import ErrorCode

log = logging.getLogger(__name__)
M = TypeVar("M")


class UTCDateTime(TypeDecorator):
    """A timezone-aware instant, stored in UTC on every backend (SQLite included)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: times must be timezone-aware")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


MONEY = Numeric(14, 2, asdecimal=True)


def new_id() -> str:
    return str(uuid.uuid4())


def now() -> datetime:
    return datetime.now(timezone.utc)


def fen(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


class OutboxMixin:
    """Events committed with the change that caused them, waiting for the relay (``shared.relay``)."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    event_type: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class InboxMixin:
    """Events this service has already handled, one row per event and consumer."""

    __tablename__ = "inbox"
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    consumer: Mapped[str] = mapped_column(String(120), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(80))
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class IdempotencyMixin:
    """The answer to each command sent with an idempotency key, committed with its effect."""

    __tablename__ = "idempotency"
    # SHA-256 of who sent it, to which use case, and the client's key: one party's key never
    # finds another's answer, and a key of any length fits.
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    command: Mapped[str] = mapped_column(String(64))  # SHA-256 of the command the key was first sent with
    answer: Mapped[str | None] = mapped_column(Text)  # written in the transaction that claimed the key
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, index=True)


# SQLite: how long a writer of another process is waited for (inside SQLite, blocking this
# process's hub), and how long a writer of this process waits for the file's writer lock.
SQLITE_BUSY_SECONDS = 30.0
# A statement that takes SQLite's write lock; sqlite3 begins its transaction just before it.
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


class _FileWriter:
    """The one writer of a SQLite file in this process.

    SQLite lets one transaction write a file at a time; another writer is made to wait in SQLite's
    busy handler, a sleep in C that under eventlet stops every greenlet of the process, the one
    holding the lock included, until "database is locked". So a connection takes this lock (a
    green lock once eventlet is patched) before its transaction's first write and keeps it until
    that transaction commits or rolls back: writers of one process queue here, where waiting yields,
    and never meet in SQLite. Reads need no lock (WAL: they see the last commit and block nobody),
    except a read for update, which takes it as a row lock would be taken on PostgreSQL.
    """

    def __init__(self, path: str):
        import threading

        self.path = path
        self._lock = threading.Lock()
        self._holder: Any = None  # the DB-API connection whose transaction writes
        self._thread: int | None = None

    def before_write(self, connection: Any) -> None:
        import threading

        connection = _raw(connection)
        if self._holder is connection:
            return
        if self._thread == threading.get_ident():
            # The same greenlet writes through a second connection while its first one holds the
            # file: waiting here would wait for itself, so SQLite's busy wait decides as it would.
            log.warning("two write transactions of one greenlet on %s: the second may be refused", self.path)
            return
        if not self._lock.acquire(timeout=SQLITE_BUSY_SECONDS):
            raise TimeoutError(f"waited {SQLITE_BUSY_SECONDS:.0f} s to write {self.path}")
        self._holder, self._thread = connection, threading.get_ident()

    def ended(self, connection: Any) -> None:
        if self._holder is _raw(connection):
            self._holder, self._thread = None, None
            self._lock.release()


_WRITERS: dict[str, _FileWriter] = {}


def _raw(connection: Any) -> Any:
    """The DB-API connection itself, also when the pool hands its proxy (as commit and reset do)."""
    return getattr(connection, "dbapi_connection", connection)


def _file_writer(engine: Engine) -> _FileWriter | None:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None  # a database in memory belongs to one connection
    path = str(Path(database).resolve())
    if path not in _WRITERS:
        _WRITERS[path] = _FileWriter(path)
    return _WRITERS[path]


def _is_write(statement: str) -> bool:
    return statement.lstrip(" \n\t(").upper().startswith(_WRITES)


def _locks_rows(context: Any) -> bool:
    """A ``SELECT … FOR UPDATE``: SQLite's compiler drops the clause, so the writer lock stands in
    for the row locks PostgreSQL would take (what is read then stays so until the commit)."""
    statement = getattr(getattr(context, "compiled", None), "statement", None)
    return getattr(statement, "_for_update_arg", None) is not None


def _sqlite_engine(url: str, pool_size: int) -> Engine:
    options: dict[str, Any] = {}
    if url not in ("sqlite://", "sqlite:///:memory:"):
        options = {"pool_size": pool_size, "max_overflow": pool_size}  # as many as nameko's workers
    engine = create_engine(
        url, connect_args={"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False}, future=True, **options
    )

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers and the writer never block each other
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_SECONDS * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    writer = _file_writer(engine)
    if writer is None:
        return engine

    @event.listens_for(engine, "before_cursor_execute")
    def _take_the_file(connection, _cursor, statement, _parameters, context, _executemany):
        if _is_write(statement) or _locks_rows(context):
            writer.before_write(connection.connection)

    # The transaction ends in the dialect's commit, rollback (also when the pool takes the
    # connection back) or close; the lock is let go only once SQLite has ended it.
    dialect = engine.dialect
    for name in ("do_commit", "do_rollback", "do_close"):
        _release_after(dialect, name, writer)
    return engine


def _release_after(dialect: Any, name: str, writer: _FileWriter) -> None:
    end = getattr(dialect, name)

    def ending(dbapi_connection: Any) -> None:
        try:
            end(dbapi_connection)
        finally:
            writer.ended(dbapi_connection)

    setattr(dialect, name, ending)


def make_engine(url: str, pool_size: int = 10) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url, pool_size)
    if url.startswith("postgresql"):
        # psycopg2 would block the eventlet hub on every query without this.
        from psycogreen.eventlet import patch_psycopg

        patch_psycopg()
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True, future=True)


class DuplicateEvent(Exception):
    """The event was handled before; handling it again must change nothing."""


class UnitOfWork:
    """One transaction: ``with uow: ...; uow.commit()``. Leaving without commit rolls back.

    ``emit`` adds an event to the outbox of the same transaction. When the unit
    of work handles an event, entering records the event in the inbox of the
    same transaction, or raises ``DuplicateEvent`` if it was handled already.
    """

    def __init__(
        self,
        sessions: sessionmaker,
        metadata,
        handling: Event | None = None,
        consumer: str | None = None,
        correlation_id: str | None = None,
        on_commit: Callable[[], None] = lambda: None,
        idempotency_key: str | None = None,
    ):
        self._sessions = sessions
        self._outbox = metadata.tables.get("outbox")
        self._inbox = metadata.tables.get("inbox")
        self._idempotency = metadata.tables.get("idempotency")
        self.handling = handling
        self.consumer = consumer
        self.correlation_id = handling.correlation_id if handling else correlation_id
        # The key the caller sent its command with (nameko context data), if it sent one.
        self.idempotency_key = idempotency_key
        self._on_commit = on_commit
        self._session: Session | None = None
        self._emitted = 0
        # Inside ``answer_once``: the command's one transaction, which its use case's own
        # ``with uow:`` blocks and commits become savepoints of.
        self._held = False
        self._savepoint: Any = None

    @property
    def session(self) -> Session:
        """The transaction's session; there is one only inside ``with uow:``."""
        if self._session is None:
            raise RuntimeError("a unit of work is used inside 'with uow:' only")
        return self._session

    def __enter__(self) -> UnitOfWork:
        if self._held:
            self._savepoint = self.session.begin_nested()
            return self
        self._session = self._sessions()
        self._emitted = 0
        if self.handling:
            self._record_in_inbox(self.handling)
        return self

    def __exit__(self, *exc_info) -> None:
        if self._held:
            # Leaving without commit undoes the block, as closing the session would.
            if self._savepoint is not None and self._savepoint.is_active:
                self._savepoint.rollback()
            self._savepoint = None
            return
        # Closing rolls back whatever was not committed and detaches the loaded
        # objects without expiring them, so results stay readable afterwards.
        self.session.close()

    def _record_in_inbox(self, handling: Event) -> None:
        """Claim the event first: a concurrent delivery of it waits here, then finds it taken."""
        try:
            self.session.execute(
                insert(self._inbox).values(
                    event_id=handling.id,
                    consumer=self.consumer,
                    event_type=handling.type,
                    processed_at=now(),
                )
            )
        except IntegrityError:
            self.session.close()
            raise DuplicateEvent(handling.id) from None

    # The repository seam: a use case that needs no query beyond "this record" and "keep this one"
    # says so with get and add, and runs unchanged on tests.fakes.FakeUnitOfWork.

    def get(self, model: type[M], record_id: Any, lock: bool = False) -> M | None:
        """One record by its primary key (locked for update when asked), or None."""
        return self.session.get(model, record_id, with_for_update=lock or None)

    def find(self, model: type[M], **unique: Any) -> M | None:
        """The record with this unique business key (the contract of a project), or None: how a
        consumer finds what it made for a fact that is announced again under a new event id."""
        return self.session.scalar(select(model).filter_by(**unique))

    def add(self, record: Any) -> None:
        self.session.add(record)

    def flush(self) -> None:
        """Give new records their database defaults now (ids are made in Python, so rarely needed)."""
        self.session.flush()

    def emit(self, event_type: str, data: dict[str, Any], community_id: str | None) -> dict:
        wire = new_event(
            event_type,
            data,
            community_id,
            correlation_id=self.correlation_id,
            causation_id=self.handling.id if self.handling else None,
        )
        self.session.execute(
            insert(self._outbox).values(
                event_id=wire["id"],
                event_type=event_type,
                source=wire["source"],
                payload=json.dumps(wire),
                created_at=now(),
            )
        )
        self._emitted += 1
        return wire

    def commit(self) -> None:
        if self._held:
            # The command's transaction commits once its answer is written beside its effect;
            # what follows in this block is a savepoint of its own again.
            if self._savepoint is not None and self._savepoint.is_active:
                self._savepoint.commit()
            self._savepoint = self.session.begin_nested()
            return
        self.session.commit()
        if self._emitted:
            self._emitted = 0
            self._on_commit()

    def answer_once(self, key: str, command: str, run: Callable[[], str]) -> str:
        """The answer of ``run`` (a use case and the writing of its answer), run at most once per
        ``key``: the key is claimed, the use case's effect made and its answer kept in one
        transaction. A key claimed before answers what it answered then, without running; one
        being claimed by a concurrent delivery is waited for (the primary key, as the inbox
        does); a key sent before with another ``command`` is refused. A use case that raises
        leaves nothing behind, the claim included: a refusal is not an answer to keep.
        """
        if self._idempotency is None:
            raise RuntimeError("this service keeps no idempotency table")
        table = self._idempotency
        self._session = self._sessions()
        self._emitted = 0
        try:
            try:
                self._session.execute(insert(table).values(key=key, command=command, created_at=now()))
            except IntegrityError:
                self._session.rollback()
                first = self._session.execute(
                    select(table.c.command, table.c.answer).where(table.c.key == key)
                ).one()
                if first.command != command or first.answer is None:
                    raise Conflict(
                        "this Idempotency-Key was sent before with another command; send a new key",
                        field="Idempotency-Key",
                        code=ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    ) from None
                return first.answer
            self._held = True
            answer = run()
            self._held = False
            self._session.execute(update(table).where(table.c.key == key).values(answer=answer))
            self._session.commit()
        finally:
            self._held, self._savepoint = False, None
            self._session.close()
            self._session = None
        if self._emitted:
            self._emitted = 0
            self._on_commit()
        return answer

    def forget_answers(self, before: datetime) -> int:
        """Forget the answers kept for keys claimed before ``before``: a repeat after that runs again."""
        with self._sessions() as session:
            table = self._idempotency
            forgotten = session.execute(delete(table).where(table.c.created_at < before))
            session.commit()
            return int(getattr(forgotten, "rowcount", 0) or 0)


def standalone_unit_of_work(service: str, metadata) -> UnitOfWork:
    """A unit of work outside any nameko worker: for operators' commands."""
    return UnitOfWork(
        sessionmaker(make_engine(config.database_url(service), pool_size=1), expire_on_commit=False), metadata
    )
