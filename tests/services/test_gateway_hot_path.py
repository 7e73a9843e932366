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
