"""How the gateway counts a GraphQL request (``gongzhi_graphql_requests_total``): by the operation's
name (given, or the document's only operation's), the party type, and the outcome: ``ok``,
``refused`` (a domain error), ``error`` (an unexpected one, masked), ``rejected`` (turned away by a
gate before anything ran); a request over the rate limit is also a rate-limit refusal."""

from __future__ import annotations

import logging

from gateway import http
from gateway.limits import RateLimiter
from shared import metrics
from shared.errors import NotFound

MEETINGS = "query MyMeetings { meetings { edges { node { id } } } }"


class Broken:
    def list_meetings(self, principal, page=None):
        raise RuntimeError("the database went away")


class Refusing:
    def list_meetings(self, principal, page=None):
        raise NotFound("no such meeting", field="meeting_id")


def counted(operation: str, party_type: str, outcome: str) -> float:
    return metrics.GRAPHQL_REQUESTS.labels(operation, party_type, outcome)._value.get()


def test_each_outcome_is_counted_under_the_operation_and_the_party_type(gateway, caplog, monkeypatch):
    token = gateway.token()
    party = "residents_committee"
    before = {outcome: counted("MyMeetings", party, outcome) for outcome in metrics.OUTCOMES}

    assert gateway({"query": MEETINGS}, token)[0] == 200  # the name is the document's
    gateway({"query": MEETINGS}, token, services={"meetings": Refusing()})
    with caplog.at_level(logging.CRITICAL):
        gateway({"query": MEETINGS, "operationName": "MyMeetings"}, token, services={"meetings": Broken()})
    invalid = "query MyMeetings { meetings { edges { node { nope } } } }"
    assert "errors" in gateway({"query": invalid, "operationName": "MyMeetings"}, token)[1]

    assert {
        outcome: counted("MyMeetings", party, outcome) - before[outcome] for outcome in metrics.OUTCOMES
    } == {
        "ok": 1,
        "refused": 1,
        "error": 1,
        "rejected": 1,
    }
    seconds = metrics.GRAPHQL_SECONDS.labels("MyMeetings", party, "ok")._sum.get()
    assert seconds > 0


def test_a_request_over_the_rate_limit_is_a_rejection_and_a_rate_limit_refusal(gateway, monkeypatch):
    monkeypatch.setattr(http, "RATE", RateLimiter(per_second=0.01, burst=1))
    token = gateway.token()
    party = "residents_committee"
    refusals = metrics.RATE_LIMIT_REFUSALS.labels(party)._value.get()
    rejected = counted("MyMeetings", party, "rejected")
    assert [gateway({"query": MEETINGS, "operationName": "MyMeetings"}, token)[0] for _ in range(2)] == [
        200,
        429,
    ]
    assert metrics.RATE_LIMIT_REFUSALS.labels(party)._value.get() == refusals + 1
    # Refused before its body was read: its operation is not known yet.
    assert counted("MyMeetings", party, "rejected") == rejected
    assert counted("anonymous", party, "rejected") >= 1


def test_a_request_without_a_token_is_counted_as_anonymous(gateway):
    before = counted("anonymous", "anonymous", "ok")
    status, answer = gateway({"query": "{ __typename }"})
    assert status == 200 and "errors" not in answer
    assert counted("anonymous", "anonymous", "ok") == before + 1
