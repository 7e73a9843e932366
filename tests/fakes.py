"""Test doubles for the unit layer: a unit of work that keeps records in memory.

A use case written against ``uow.get``, ``uow.add``, ``uow.emit`` and ``uow.commit`` (the
repository seam of ``shared.db.UnitOfWork``) runs on ``FakeUnitOfWork`` with no database, no
broker and no nameko: what it kept is in ``records``, what it announced in ``events`` (only
once committed, as the outbox would publish them, in the same envelope and refused the same way
when the data does not match the event's schema).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import inspect

from shared.db import new_id
from shared.events import new_event


class FakeUnitOfWork:
    def __init__(self, *records: Any):
        self.records: dict[type, dict[Any, Any]] = defaultdict(dict)
        self.pending: list[dict] = []
        self.events: list[dict] = []
        self.committed = 0
        for record in records:
            self._keep(record)

    def __enter__(self) -> FakeUnitOfWork:
        self.pending = []
        return self

    def __exit__(self, *exc_info) -> None:
        self.pending = []  # leaving without commit forgets what was announced

    @property
    def session(self):
        raise AssertionError("this use case queries the database: test it with the service tests")

    def _keep(self, record: Any) -> None:
        mapper = inspect(type(record))
        (key,) = mapper.primary_key
        if getattr(record, key.key, None) is None:
            setattr(record, key.key, new_id())
        self.records[type(record)][getattr(record, key.key)] = record

    def get(self, model: type, record_id: Any, lock: bool = False) -> Any:
        return self.records[model].get(record_id)

    def find(self, model: type, **unique: Any) -> Any:
        found = (
            r for r in self.records[model].values() if all(getattr(r, k) == v for k, v in unique.items())
        )
        return next(found, None)

    def add(self, record: Any) -> None:
        self._keep(record)

    def flush(self) -> None:
        pass

    def all(self, model: type) -> list[Any]:
        return list(self.records[model].values())

    def emit(self, event_type: str, data: dict[str, Any], community_id: str | None) -> dict:
        wire = new_event(event_type, data, community_id)
        self.pending.append(wire)
        return wire

    def commit(self) -> None:
        self.events.extend(self.pending)
        self.pending = []
        self.committed += 1
