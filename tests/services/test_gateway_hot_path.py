"""The gateway's hot path on its real database, the domain services stood in: a query's root fields
wait side by side (each with its own error, in the document's order), a mutation's one after
another, and a sign-out ends the token at once though live sign-ins are remembered briefly."""

from __future__ import annotations

import time
from collections import Counter

import eventlet
from graphql_relay import to_global_id

from gateway import accounts
from gateway.models import AuditEntry
from gateway.tokens import verify_token
from shared.errors import NotFound
from tests.gateway_stand_in import MEETINGS, Recording, agenda, pages, parties

SLOW = 0.3  # seconds each stood-in RPC takes


def slow_meetings(calls: Counter, spans: list[tuple[str, float, float]]) -> dict:
    """The meetings service, each call taking SLOW seconds (yielding, as an RPC does)."""
    answer = pages(MEETINGS)

    def list_meetings(principal, page=None, ids=None):
        started = time.monotonic()
        eventlet.sleep(SLOW)
        spans.append(("list_meetings", started, time.monotonic()))
        if (page or {}).get("first") == 1:
            raise NotFound("no such meeting", field="meeting_id")
        return answer(principal, page, ids)

    def cancel_meeting(principal, data):
        started = time.monotonic()
        eventlet.sleep(SLOW)
        spans.append((data["reason"], started, time.monotonic()))
        return {"id": data["meeting_id"], "title": "Meeting", "status": "cancelled"}

    answers = {
        "list_meetings": list_meetings,
        "cancel_meeting": cancel_meeting,
        "list_agenda": agenda,
        "get_parties": parties,
    }
    return {"meetings": Recording(calls, "meetings", answers)}


def test_the_root_fields_of_a_query_wait_side_by_side_each_with_its_own_error(gateway):
    token, calls, spans = gateway.token(), Counter(), []
    query = (
        "{ a: meetings(first: 2) { edges { node { title } } } "
        "b: meetings(first: 1) { edges { node { title } } } "
        "c: meetings(first: 3) { edges { node { title } } } }"
    )
    started = time.monotonic()
    _, answer = gateway({"query": query}, token, services=slow_meetings(calls, spans))
    took = time.monotonic() - started

    assert calls == Counter({"meetings.list_meetings": 3})
    assert took < 2 * SLOW, f"three {SLOW} s RPCs took {took:.2f} s: they ran one after another"
    assert list(answer["data"]) == ["a", "b", "c"]  # the document's order, whichever came first
    assert [e["node"]["title"] for e in answer["data"]["a"]["edges"]] == ["Meeting 0", "Meeting 1"]
    assert answer["data"]["b"] is None and len(answer["data"]["c"]["edges"]) == 3
    (error,) = answer["errors"]
    assert error["path"] == ["b"] and error["extensions"]["code"] == "not_found"


def test_the_root_fields_of_a_mutation_run_one_after_another_and_are_all_audited(gateway):
    token, calls, spans = gateway.token(), Counter(), []
    meeting = to_global_id("Meeting", "m1")
    cancel = 'cancelMeeting(input: {meetingId: "%s", reason: "%s"}) { errors { code } }'
    mutation = f"mutation {{ first: {cancel % (meeting, 'first')} second: {cancel % (meeting, 'second')} }}"
    _, answer = gateway({"query": mutation}, token, services=slow_meetings(calls, spans))

    assert answer["data"] == {"first": {"errors": []}, "second": {"errors": []}}
    (first, first_start, first_end), (second, second_start, _) = spans
    assert (first, second) == ("first", "second") and second_start >= first_end
    with gateway.uow as uow:
        entries = uow.session.query(AuditEntry).filter_by(action="cancelMeeting").order_by(AuditEntry.at)
        reasons = [entry.arguments["input"]["reason"] for entry in entries]
    assert reasons[-2:] == ["first", "second"]


def test_a_signed_out_token_is_refused_at_once_though_live_sign_ins_are_remembered(gateway):
    token = gateway.token()
    viewer = {"query": "{ viewer { party { type } } }"}
    assert gateway(viewer, token)[0] == 200
    assert verify_token(token).session_id in accounts.LIVE_SESSIONS  # remembered live

    _, out = gateway({"query": "mutation { signOut { signedOut errors { code } } }"}, token)
    assert out["data"]["signOut"] == {"signedOut": True, "errors": []}

    status, refused = gateway(viewer, token)
    assert status == 401 and refused["errors"][0]["extensions"]["code"] == "session_ended"


def test_the_batches_of_one_nested_level_wait_side_by_side(gateway):
    token, calls, spans = gateway.token(), Counter(), []
    answer_page = pages(MEETINGS)

    def slow(method: str):
        def batch(principal, meeting_ids):
            started = time.monotonic()
            eventlet.sleep(SLOW)
            spans.append((method, started, time.monotonic()))
            return agenda(principal, meeting_ids) if method == "list_agenda" else []

        return batch

    answers = {
        "list_meetings": answer_page,
        "list_agenda": slow("list_agenda"),
        "list_resolutions": slow("list_resolutions"),
    }
    query = (
        "{ meetings(first: 3) { edges { node { title agenda { edges { node { title } } } "
        "resolutions { edges { node { id } } } } } } }"
    )
    started = time.monotonic()
    _, answer = gateway({"query": query}, token, services={"meetings": Recording(calls, "meetings", answers)})
    took = time.monotonic() - started

    assert "errors" not in answer, answer
    assert calls["meetings.list_agenda"] == 1 and calls["meetings.list_resolutions"] == 1  # still batched
    assert took < 2 * SLOW, f"two {SLOW} s batches of one level took {took:.2f} s"
    assert all(len(e["node"]["agenda"]["edges"]) == 3 for e in answer["data"]["meetings"]["edges"])


def test_each_green_thread_has_its_own_transaction_on_the_gateways_store(databases):
    from sqlalchemy.orm import sessionmaker

    from gateway.models import Base
    from gateway.service import GreenUnitOfWork

    shared = GreenUnitOfWork(sessionmaker(databases["gateway"], expire_on_commit=False), Base.metadata)
    seen = []

    def use():
        with shared as uow:
            session = uow.session
            eventlet.sleep(0.05)  # another green thread enters meanwhile
            seen.append(uow.session is session)
            return session

    first, second = eventlet.spawn(use), eventlet.spawn(use)
    assert first.wait() is not second.wait() and seen == [True, True]


def test_a_verified_token_is_kept_no_longer_than_it_is_valid(monkeypatch):
    from datetime import timedelta

    from gateway import http
    from gateway.tokens import issue_token
    from tests.gateway_stand_in import COMMITTEE

    monkeypatch.setenv("GONGZHI_TOKEN_SECRET", "a-signing-key-for-tests-only-0123456789abcdef")
    checked = Counter()
    verify = http.verify_token
    monkeypatch.setattr(http, "verify_token", lambda token: checked.update([token]) or verify(token))
    now = [1000.0]
    monkeypatch.setattr(http.time, "monotonic", lambda: now[0])
    tokens = http.VerifiedTokens()
    short = issue_token(COMMITTEE, lifetime=timedelta(seconds=30))

    assert tokens.principal(short) == COMMITTEE and tokens.principal(short) == COMMITTEE
    assert checked[short] == 1  # its signature checked once
    now[0] += 29
    tokens.principal(short)
    assert checked[short] == 1
    now[0] += 2  # past the token's own expiry: checked again (and refused, were it expired)
    tokens.principal(short)
    assert checked[short] == 2


def test_the_rate_limit_is_read_from_the_settings_when_a_request_comes(monkeypatch):
    from gateway.http import RateFromSettings

    rate = RateFromSettings()
    monkeypatch.setenv("GONGZHI_RATE_PER_SECOND", "1")
    monkeypatch.setenv("GONGZHI_RATE_BURST", "2")
    assert [rate.allow("k") == 0 for _ in range(3)] == [True, True, False]
    monkeypatch.setenv("GONGZHI_RATE_BURST", "5")
    assert [rate.allow("k") == 0 for _ in range(6)] == [True] * 5 + [False]


def test_a_sign_in_ended_by_another_process_is_refused_within_the_bound(gateway, monkeypatch):
    from sqlalchemy import update

    from gateway.models import SignInSession

    now = [5000.0]
    monkeypatch.setattr(accounts.time, "monotonic", lambda: now[0])
    token = gateway.token()
    viewer = {"query": "{ viewer { party { type } } }"}
    assert gateway(viewer, token)[0] == 200
    with gateway.uow as uow:  # another gateway process signs it out: this one is not told
        uow.session.execute(
            update(SignInSession)
            .where(SignInSession.id == verify_token(token).session_id)
            .values(ended_at=SignInSession.created_at, end_reason="signed_out")
        )
        uow.commit()
    assert gateway(viewer, token)[0] == 200  # still trusted here, within the bound
    now[0] += accounts.LIVE_SESSION_SECONDS
    assert gateway(viewer, token)[0] == 401


def test_a_live_answer_read_before_a_sign_out_here_is_not_kept():
    sessions = accounts.LiveSessions()
    checked_at = accounts.time.monotonic()
    sessions.forget(session_id="s1")  # signed out while the check was on its way
    sessions.hold("s1", "a1", checked_at, expires_in=600)
    assert "s1" not in sessions
    sessions.hold("s2", "a1", accounts.time.monotonic(), expires_in=600)
    assert "s2" in sessions
    sessions.forget(account_id="a1")  # the account disabled here: every sign-in of it forgotten
    assert "s2" not in sessions
