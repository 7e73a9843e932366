"""A command sent with an idempotency key runs once: its answer is kept in the transaction of its
effect (``UnitOfWork.answer_once``) and a repeat is answered from there; the key is the party's
own, and another command under it is refused naming the header."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import String, create_engine, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared import idempotency
from shared.db import IdempotencyMixin, new_id
from shared.errors import Conflict, DomainError, InvalidInput
from shared.identity import PartyType, Principal
from shared.vocabulary.common import ErrorCode
from tests.conftest import unit_of_work


class Base(DeclarativeBase):
    pass


class Kept(IdempotencyMixin, Base):
    pass


class Credit(Base):
    __tablename__ = "credit"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    memo: Mapped[str] = mapped_column(String(40))


COMMITTEE = Principal("acc-1", PartyType.RESIDENTS_COMMITTEE, "rc1", "d1", "c1")
OTHER = Principal("acc-2", PartyType.RESIDENTS_COMMITTEE, "rc2", "d1", "c2")


@pytest.fixture
def uow(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'idempotency.db'}")
    Base.metadata.create_all(engine)
    yield unit_of_work(engine, Base.metadata)
    engine.dispose()


def credits(uow) -> int:
    with uow:
        return uow.session.scalar(select(func.count()).select_from(Credit))


def credit_use_case(uow, memo: str, runs: list):
    """A use case as the services write them: its own ``with uow:`` and commit."""

    def run() -> str:
        runs.append(memo)
        with uow:
            credit = Credit(memo=memo)
            uow.add(credit)
            uow.commit()
        return idempotency.kept({"id": credit.id, "memo": memo})

    return run


def test_a_key_sent_twice_runs_the_command_once_and_answers_alike(uow):
    runs: list = []
    first = uow.answer_once("k1", "cmd", credit_use_case(uow, "ten points", runs))
    again = uow.answer_once("k1", "cmd", credit_use_case(uow, "ten points", runs))
    assert again == first
    assert runs == ["ten points"]
    assert credits(uow) == 1


def test_another_command_under_a_key_is_refused_naming_the_header(uow):
    uow.answer_once("k1", "cmd-a", credit_use_case(uow, "a", []))
    with pytest.raises(Conflict) as refused:
        uow.answer_once("k1", "cmd-b", credit_use_case(uow, "b", []))
    assert refused.value.code == ErrorCode.IDEMPOTENCY_KEY_REUSED
    assert refused.value.field == idempotency.HEADER
    assert credits(uow) == 1


def test_a_refusal_keeps_nothing_so_the_key_may_be_sent_again(uow):
    def refused() -> str:
        with uow:
            uow.add(Credit(memo="half-made"))
            uow.commit()
            raise DomainError("not today")

    with pytest.raises(DomainError):
        uow.answer_once("k1", "cmd", refused)
    assert credits(uow) == 0  # the commit inside waited for the answer, and there was none
    uow.answer_once("k1", "cmd", credit_use_case(uow, "now", []))
    assert credits(uow) == 1


def test_a_block_left_without_commit_is_undone_inside_a_keyed_command(uow):
    def run() -> str:
        with uow:
            uow.add(Credit(memo="dropped"))  # no commit: undone, as outside a keyed command
        with uow:
            uow.add(Credit(memo="kept"))
            uow.commit()
        return idempotency.kept("done")

    uow.answer_once("k1", "cmd", run)
    with uow:
        assert uow.session.scalars(select(Credit.memo)).all() == ["kept"]


def test_old_answers_are_forgotten_and_a_repeat_then_runs_again(uow):
    runs: list = []
    uow.answer_once("k1", "cmd", credit_use_case(uow, "x", runs))
    assert uow.forget_answers(datetime.now(timezone.utc) - timedelta(days=1)) == 0
    assert uow.forget_answers(datetime.now(timezone.utc) + timedelta(seconds=1)) == 1
    uow.answer_once("k1", "cmd", credit_use_case(uow, "x", runs))
    assert runs == ["x", "x"]


def test_a_key_is_scoped_by_party_and_use_case():
    mine = idempotency.scoped_key(COMMITTEE, "points.credit_activity", "abc")
    assert mine == idempotency.scoped_key(COMMITTEE, "points.credit_activity", "abc")
    assert mine != idempotency.scoped_key(OTHER, "points.credit_activity", "abc")
    assert mine != idempotency.scoped_key(COMMITTEE, "rewards.add_reward", "abc")
    assert len(mine) == 64


@pytest.mark.parametrize("key", ["", "x" * (idempotency.MAX_KEY_LENGTH + 1), 17])
def test_a_key_that_is_not_short_text_is_refused_naming_the_header(key):
    with pytest.raises(InvalidInput) as refused:
        idempotency.scoped_key(COMMITTEE, "points.credit_activity", key)
    assert refused.value.field == idempotency.HEADER


def test_the_command_digest_ignores_key_order_and_sees_every_value():
    assert idempotency.command_digest({"a": 1, "b": "2"}) == idempotency.command_digest({"b": "2", "a": 1})
    assert idempotency.command_digest({"a": 1}) != idempotency.command_digest({"a": 2})


def test_a_kept_answer_comes_back_as_it_was_answered():
    answer = {"amount": Decimal("12.50"), "at": datetime(2026, 12, 2, tzinfo=timezone.utc), "ids": ["a"]}
    assert idempotency.restored(idempotency.kept(answer)) == answer
