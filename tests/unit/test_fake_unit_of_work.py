"""tests.fakes.FakeUnitOfWork keeps the promises of shared.db.UnitOfWork's repository seam, in
memory: records by primary key, new ids given, events announced only once committed."""

from __future__ import annotations

import inspect

import pytest
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import UnitOfWork
from tests.fakes import FakeUnitOfWork


class Base(DeclarativeBase):
    pass


class Volunteer(Base):
    __tablename__ = "volunteer"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))


class Team(Base):
    __tablename__ = "team"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))


def test_records_given_at_the_start_are_found_by_id_and_kind():
    uow = FakeUnitOfWork(Volunteer(id="v1", name="Li"), Team(id="v1", name="Blue"))
    with uow:
        assert uow.get(Volunteer, "v1").name == "Li"
        assert uow.get(Team, "v1").name == "Blue"
        assert uow.get(Volunteer, "v2") is None
        assert uow.get(Volunteer, "v1", lock=True).name == "Li"


def test_an_added_record_gets_an_id_and_is_kept():
    uow = FakeUnitOfWork()
    with uow:
        volunteer = Volunteer(name="Wang")
        uow.add(volunteer)
        uow.flush()
        assert volunteer.id
        assert uow.get(Volunteer, volunteer.id) is volunteer
        uow.add(Volunteer(id="chosen", name="Zhao"))
        uow.commit()
    assert sorted(v.name for v in uow.all(Volunteer)) == ["Wang", "Zhao"]
    assert uow.all(Team) == []


def test_events_are_announced_only_when_committed():
    uow = FakeUnitOfWork()
    with uow:
        wire = uow.emit("volunteer.registered", {"volunteer_id": "v1", "name": "Li"}, "c1")
        assert wire["type"] == "volunteer.registered"
        assert uow.events == []
        uow.commit()
    (announced,) = uow.events
    assert announced == wire
    assert (announced["type"], announced["source"], announced["community_id"]) == (
        "volunteer.registered",
        "volunteers",
        "c1",
    )
    assert announced["data"] == {"volunteer_id": "v1", "name": "Li"}
    assert uow.committed == 1


def test_leaving_without_commit_forgets_what_was_announced():
    uow = FakeUnitOfWork()
    with uow:
        uow.emit("volunteer.registered", {"volunteer_id": "v1", "name": "Li"}, "c1")
    with uow:
        uow.commit()
    assert uow.events == [] and uow.committed == 1


def test_an_event_that_does_not_match_its_schema_is_refused_as_the_real_outbox_refuses_it():
    with FakeUnitOfWork() as uow, pytest.raises(ValueError, match="name"):
        uow.emit("volunteer.registered", {"volunteer_id": "v1"}, "c1")


def test_a_use_case_that_queries_is_told_to_use_the_service_tests():
    with FakeUnitOfWork() as uow, pytest.raises(AssertionError, match="service tests"):
        uow.session  # noqa: B018


@pytest.mark.parametrize("method", ["get", "find", "add", "flush", "emit", "commit", "__enter__", "__exit__"])
def test_the_fake_takes_what_the_real_unit_of_work_takes(method):
    real = inspect.signature(getattr(UnitOfWork, method))
    fake = inspect.signature(getattr(FakeUnitOfWork, method))
    assert list(fake.parameters) == list(real.parameters)
