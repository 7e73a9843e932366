"""The state gateway replicas share (gateway.shared_state): one contract, run against the in-process
default and against Redis (the machine's, ``TEST_REDIS_URL``, under a key prefix of this test's own,
deleted afterwards); and what the Redis one does when Redis does not answer."""

from __future__ import annotations

import logging
import uuid

import pytest
import redis

from gateway import shared_state
from gateway.shared_state import InProcess, InRedis
from shared import config
from tests.conftest import free_port

needs_redis = pytest.mark.usefixtures("redis_server")


def _delete_keys(prefix: str) -> None:
    client = redis.Redis.from_url(config.test_redis_url())
    names = list(client.scan_iter(match=f"{prefix}*", count=1000))
    if names:
        client.delete(*names)
    client.close()


@pytest.fixture
def redis_state(redis_server):
    prefix = f"gz-test-{uuid.uuid4().hex[:12]}:"
    state = InRedis(config.test_redis_url(), prefix)
    yield state
    _delete_keys(prefix)
    state.close()


@pytest.fixture(params=["in_process", "redis"])
def state(request):
    if request.param == "in_process":
        return InProcess()
    return request.getfixturevalue("redis_state")


def test_a_burst_then_refusals_with_the_time_to_wait(state):
    assert [state.take("account:a", 1.0, 3) for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = state.take("account:a", 1.0, 3)
    assert 0 < wait <= 1.0
    assert state.take("account:b", 1.0, 3) == 0.0, "each key has its own bucket"


def test_a_bucket_refills_at_its_rate(state):
    import time

    assert [state.take("k", 20.0, 2) for _ in range(3)][-1] > 0
    time.sleep(0.12)  # two more tokens at 20 a second
    assert state.take("k", 20.0, 2) == 0.0


def test_another_rate_or_burst_starts_with_fresh_buckets(state):
    assert [state.take("k", 1.0, 2) == 0 for _ in range(3)] == [True, True, False]
    assert [state.take("k", 1.0, 5) == 0 for _ in range(6)] == [True] * 5 + [False]


def test_an_ended_sign_in_or_account_is_known_as_ended(state):
    assert state.ended("s1", "a1") is False
    assert state.end(session_id="s1") is state.shared
    assert state.ended("s1", "a1") is True
    assert state.ended("s2", "a1") is False
    state.end(account_id="a1")
    assert state.ended("s2", "a1") is True
    assert state.ended(account_id="a1") is True
    assert state.ended("s3", "a2") is False


def test_a_persisted_query_is_kept_by_its_hash(state):
    assert state.query_text("0" * 64) is None
    state.remember_query("1" * 64, "{ viewer { accountId } }")
    assert state.query_text("1" * 64) == "{ viewer { accountId } }"


def test_it_is_ready(state):
    assert state.ready() is True


@needs_redis
def test_two_processes_sharing_redis_share_one_bucket_and_every_ending():
    prefix = f"gz-test-{uuid.uuid4().hex[:12]}:"
    first, second = InRedis(config.test_redis_url(), prefix), InRedis(config.test_redis_url(), prefix)
    try:
        allowed = [(first if i % 2 else second).take("account:a", 0.1, 4) == 0 for i in range(6)]
        assert allowed == [True] * 4 + [False] * 2
        first.end(session_id="s1")
        assert second.ended("s1", "a1") is True
        second.remember_query("2" * 64, "{ viewer { accountId } }")
        assert first.query_text("2" * 64) == "{ viewer { accountId } }"
    finally:
        _delete_keys(prefix)
        first.close()
        second.close()


def test_redis_down_rate_limits_fall_back_to_this_process_and_sign_ins_to_the_database(caplog):
    down = InRedis(f"redis://127.0.0.1:{free_port()}/0", "gz-test-down:")  # nothing listens there
    with caplog.at_level(logging.WARNING, logger="gateway.shared_state"):
        # Fails open for the shared limit, yet this process's own buckets still hold.
        assert [down.take("account:a", 0.1, 2) == 0 for _ in range(3)] == [True, True, False]
        assert down.ended("s1", "a1") is None  # cannot tell: the caller asks the database
        assert down.end(session_id="s1") is False  # not heard by the other gateways through Redis
        assert down.query_text("1" * 64) is None
        down.remember_query("1" * 64, "{ viewer { accountId } }")  # dropped, no error
        assert down.ready() is False
    warnings = [r for r in caplog.records if "does not answer" in r.getMessage()]
    assert len(warnings) == 1, "one warning when Redis stops answering, not one a request"


@needs_redis
def test_redis_back_after_a_failure_is_used_again(redis_state, monkeypatch):
    def refuse(*args, **kwargs):
        raise redis.ConnectionError("Redis went away")

    monkeypatch.setattr(redis_state._client, "exists", refuse)
    assert redis_state.ended("s1", "a1") is None
    monkeypatch.undo()
    assert redis_state.ended("s1", "a1") is None, "taken as down for a moment: no wait per request"
    assert redis_state.ready() is True  # a probe asks Redis itself, and finds it back
    assert redis_state.ended("s1", "a1") is False


def test_the_state_follows_the_configuration(monkeypatch):
    monkeypatch.delenv("GONGZHI_REDIS_URL", raising=False)
    assert isinstance(shared_state.current(), InProcess) and shared_state.ready() is True
    assert shared_state.current() is shared_state.current()
    monkeypatch.setenv("GONGZHI_REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("GONGZHI_REDIS_PREFIX", "gz-test-config:")
    made = shared_state.current()
    assert isinstance(made, InRedis) and made.prefix == "gz-test-config:" and made.shared
    monkeypatch.delenv("GONGZHI_REDIS_URL")
    assert isinstance(shared_state.current(), InProcess)


# Revocation as the gateway uses it (gateway.accounts.session_is_live), on SQLite ------------------


@pytest.fixture
def sign_in(tmp_path, monkeypatch):
    """A signed-in account on a gateway database of this test's own, and a count of the database
    reads that ask whether a sign-in is live."""
    from sqlalchemy import create_engine, event

    from gateway import accounts
    from gateway.models import Base
    from shared.identity import PartyType, Principal
    from tests.conftest import unit_of_work

    monkeypatch.setenv("GONGZHI_TOKEN_SECRET", "a-signing-key-for-tests-only-0123456789abcdef")
    monkeypatch.setattr(accounts, "_off_the_hub", lambda fn, *args: fn(*args))  # no eventlet here
    engine = create_engine(f"sqlite:///{tmp_path / 'gateway.db'}")
    Base.metadata.create_all(engine)
    reads: list[str] = []
    event.listen(
        engine,
        "before_cursor_execute",
        lambda conn, cursor, statement, *rest: (
            reads.append(statement) if "sign_in_session" in statement else None
        ),
    )
    uow = unit_of_work(engine, Base.metadata)
    principal = Principal("-", PartyType.RESIDENTS_COMMITTEE, "rc1", "d1", "c1")
    accounts.create_account(uow, "wang", "a password for tests", principal)
    token = accounts.sign_in(uow, "wang", "a password for tests", "127.0.0.1").access_token
    from gateway.tokens import verify_token

    reads.clear()  # the sign-in's own writes
    yield uow, verify_token(token), reads
    engine.dispose()


@needs_redis
def test_an_ending_recorded_by_another_gateway_is_heard_from_the_next_request(sign_in, monkeypatch):
    from gateway import accounts

    uow, principal, reads = sign_in
    prefix = f"gz-test-{uuid.uuid4().hex[:12]}:"
    monkeypatch.setenv("GONGZHI_REDIS_URL", config.test_redis_url())
    monkeypatch.setenv("GONGZHI_REDIS_PREFIX", prefix)
    monkeypatch.setattr(accounts, "LIVE_SESSIONS", accounts.LiveSessions())
    other_gateway = InRedis(config.test_redis_url(), prefix)
    try:
        assert accounts.session_is_live(uow, principal.session_id)
        reads.clear()
        assert accounts.session_is_live(uow, principal.session_id)
        assert reads == [], "trusted from memory: Redis said it had not ended"
        other_gateway.end(session_id=principal.session_id)  # signed out elsewhere, its row not yet read
        assert accounts.session_is_live(uow, principal.session_id), "the database decides: still live there"
        assert len(reads) == 1, "not trusted from memory once Redis holds an ending"
    finally:
        _delete_keys(prefix)
        other_gateway.close()


def test_redis_down_every_request_asks_the_database(sign_in, monkeypatch):
    from gateway import accounts

    uow, principal, reads = sign_in
    monkeypatch.setenv("GONGZHI_REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")  # nothing listens
    monkeypatch.setattr(accounts, "LIVE_SESSIONS", accounts.LiveSessions())
    for _ in range(3):
        assert accounts.session_is_live(uow, principal.session_id)
    assert len(reads) == 3, "fails closed: a live answer is never trusted from memory"
    accounts.sign_out(uow, principal)
    assert not accounts.session_is_live(uow, principal.session_id)
