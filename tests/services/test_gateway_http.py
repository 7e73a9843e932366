"""The gateway's request handling on its real database, with the domain services stood in by
recording fakes: masking, limits, persisted queries, rate limits, audit, and RPCs per request."""

from __future__ import annotations

import json
import logging
from collections import Counter

from gateway import accounts, http
from gateway.limits import RateLimiter
from gateway.models import AuditEntry
from shared.errors import NotFound
from shared.identity import PartyType, Principal
from tests.gateway_stand_in import COMMITTEE


def test_a_nested_query_calls_each_service_once_per_level_not_once_per_row(gateway):
    status, answer = gateway(
        {
            "query": "{ meetings(first: 15) { edges { node { title "
            "agenda { edges { node { title submittedBy { name } } } } } } } }"
        },
        gateway.token(),
    )
    assert status == 200 and "errors" not in answer
    rows = answer["data"]["meetings"]["edges"]
    assert len(rows) == 15 and all(len(r["node"]["agenda"]["edges"]) == 3 for r in rows)
    assert rows[0]["node"]["agenda"]["edges"][2]["node"]["submittedBy"]["name"] == "Name of party-2"
    assert gateway.calls == Counter(
        {"meetings.list_meetings": 1, "meetings.list_agenda": 1, "meetings.get_parties": 1}
    )


class Broken:
    def list_meetings(self, principal, page=None):
        raise RuntimeError("connection to server at 10.0.0.5 failed: password authentication")


class Refusing:
    def list_meetings(self, principal, page=None):
        raise NotFound("no such meeting", field="meeting_id")


def test_an_unexpected_error_is_masked_and_logged_with_a_correlation_id(gateway, caplog):
    with caplog.at_level(logging.ERROR):
        _, answer = gateway(
            {"query": "{ meetings { edges { node { id } } } }"},
            gateway.token(),
            services={"meetings": Broken()},
        )
    (error,) = answer["errors"]
    correlation_id = error["extensions"]["correlationId"]
    assert error["extensions"]["code"] == "internal_error"
    assert "10.0.0.5" not in json.dumps(answer) and correlation_id in error["message"]
    assert correlation_id in caplog.text and "10.0.0.5" in caplog.text


def test_a_domain_error_reaches_the_client_with_its_code_and_field(gateway):
    _, answer = gateway(
        {"query": "{ meetings { edges { node { id } } } }"},
        gateway.token(),
        services={"meetings": Refusing()},
    )
    (error,) = answer["errors"]
    assert error["message"] == "no such meeting"
    assert error["extensions"] == {"code": "not_found", "field": "meetingId"}


def limit_of(answer: dict) -> str:
    return answer["errors"][0]["extensions"]["limit"]


def test_each_limit_says_which_limit(gateway):
    token = gateway.token()
    fragment = (
        "query { meetings(first: 5) { ...M } } fragment M on MeetingConnection { edges { node { "
        "agenda { edges { node { submittedBy { id name } } } } resolutions { edges { node { title } } } } } }"
    )
    assert "errors" not in gateway({"query": fragment}, token)[1]
    _, answer = gateway({"query": "{ meetings(first: 101) { edges { node { id } } } }"}, token)
    assert limit_of(answer) == "page_size"
    _, answer = gateway(
        {
            "query": "query($n: Int) { meetings(first: $n) { edges { node { id } } } }",
            "variables": {"n": 500},
        },
        token,
    )
    assert limit_of(answer) == "page_size"
    costly = (
        "{ "
        + " ".join(
            f"m{i}: meetings(first: 100) "
            f"{{ edges {{ node {{ agenda {{ edges {{ node {{ title }} }} }} }} }} }}"
            for i in range(3)
        )
        + " }"
    )
    _, answer = gateway({"query": costly}, token)
    assert limit_of(answer) == "cost" and "limit is 5000" in answer["errors"][0]["message"]
    status, answer = gateway({"query": "{ viewer { accountId } }" + " " * 20_000}, token)
    assert status == 413 and limit_of(answer) == "document_size"


def test_the_depth_limit(gateway, monkeypatch):
    from gateway import limits

    monkeypatch.setattr(limits, "MAX_DEPTH", 3)
    monkeypatch.setattr(http, "DOCUMENTS", limits.DocumentCache())
    monkeypatch.setattr(http, "depth_limit_rule", lambda: limits.depth_limit_rule(3))
    _, answer = gateway({"query": "{ meetings { edges { node { title } } } }"}, gateway.token())
    assert limit_of(answer) == "depth" and "more than 3 levels deep" in answer["errors"][0]["message"]


def test_persisted_queries_are_sent_once_then_by_hash(gateway):
    import hashlib

    token, query = gateway.token(), "{ viewer { accountId } }"
    digest = hashlib.sha256(query.encode()).hexdigest()
    persisted = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}}
    assert limit_of(gateway(persisted, token)[1]) == "persisted_query"
    wrong = {"query": query, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "1" * 64}}}
    assert "does not match" in gateway(wrong, token)[1]["errors"][0]["message"]
    first = {"query": query, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}
    assert gateway(first, token)[1]["data"]["viewer"]["accountId"]
    by_hash = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}
    assert gateway(by_hash, token)[1]["data"]["viewer"]["accountId"]


def test_introspection_is_off_in_production(gateway, monkeypatch):
    from gateway import limits

    monkeypatch.setattr(http, "DOCUMENTS", limits.DocumentCache())
    token = gateway.token()
    assert gateway({"query": "{ __schema { types { name } } }"}, token)[1]["data"]
    monkeypatch.setenv("GONGZHI_ENV", "production")
    _, answer = gateway({"query": "{ __schema { types { name } } }"}, token)
    assert "introspection" in answer["errors"][0]["message"].lower()


def test_requests_over_the_accounts_rate_are_refused_with_a_retry_time(gateway, monkeypatch):
    monkeypatch.setattr(http, "RATE", RateLimiter(per_second=0.5, burst=3))
    token = gateway.token()
    answers = [gateway({"query": "{ viewer { accountId } }"}, token) for _ in range(4)]
    assert [status for status, _ in answers] == [200, 200, 200, 429]
    assert limit_of(answers[3][1]) == "rate" and answers[3][1]["errors"][0]["extensions"]["retryAfter"] > 0
    other = gateway.token(Principal("b", PartyType.RESIDENTS_COMMITTEE, "rc2", "d1", "c1"))
    assert gateway({"query": "{ viewer { accountId } }"}, other)[0] == 200, "the limit is per account"


def test_sign_in_refresh_and_sign_out(gateway):
    sign_in = (
        "mutation($u: String!, $p: String!) { signIn(input: {username: $u, password: $p}) "
        "{ session { accessToken refreshToken } errors { field code message } } }"
    )
    accounts.create_account(gateway.uow, "wang.committee", "correct horse battery", COMMITTEE)
    _, wrong = gateway({"query": sign_in, "variables": {"u": "wang.committee", "p": "wrong password!"}})
    assert wrong["data"]["signIn"]["errors"][0]["code"] == "invalid_credentials"
    _, answer = gateway(
        {"query": sign_in, "variables": {"u": "wang.committee", "p": "correct horse battery"}}
    )
    session = answer["data"]["signIn"]["session"]
    assert gateway({"query": "{ viewer { accountId } }"}, session["accessToken"])[0] == 200

    refresh = (
        "mutation($t: String!) { refreshSession(input: {refreshToken: $t}) "
        "{ session { accessToken refreshToken } errors { code } } }"
    )
    _, renewed = gateway({"query": refresh, "variables": {"t": session["refreshToken"]}})
    renewed = renewed["data"]["refreshSession"]["session"]
    assert renewed["refreshToken"] != session["refreshToken"]
    # The rotated-away refresh token used again: someone copied it; the whole sign-in ends.
    _, reused = gateway({"query": refresh, "variables": {"t": session["refreshToken"]}})
    assert reused["data"]["refreshSession"]["errors"] == [{"code": "invalid_token"}]
    status, ended = gateway({"query": "{ viewer { accountId } }"}, renewed["accessToken"])
    assert status == 401 and ended["errors"][0]["extensions"]["code"] == "session_ended"

    _, again = gateway({"query": sign_in, "variables": {"u": "wang.committee", "p": "correct horse battery"}})
    token = again["data"]["signIn"]["session"]["accessToken"]
    _, out = gateway({"query": "mutation { signOut { signedOut errors { code } } }"}, token)
    assert out["data"]["signOut"] == {"signedOut": True, "errors": []}
    assert gateway({"query": "{ viewer { accountId } }"}, token)[0] == 401


def test_failed_sign_ins_are_throttled_per_account(gateway):
    sign_in = 'mutation($p: String!) { signIn(input: {username: "li", password: $p}) { errors { code } } }'
    accounts.create_account(gateway.uow, "li", "the right password", COMMITTEE)
    codes = [
        gateway({"query": sign_in, "variables": {"p": f"wrong {i}"}})[1]["data"]["signIn"]["errors"][0][
            "code"
        ]
        for i in range(6)
    ]
    assert codes == ["invalid_credentials"] * 5 + ["throttled"]
    _, right = gateway({"query": sign_in, "variables": {"p": "the right password"}})
    assert right["data"]["signIn"]["errors"] == [{"code": "throttled"}], "even the right password waits"


def test_every_mutation_is_audited_without_secrets(gateway):
    sign_in = (
        'mutation { signIn(input: {username: "nobody", password: "hunter2hunter2"}) { errors { code } } }'
    )
    gateway({"query": sign_in})
    token = gateway.token()
    gateway({"query": "mutation { signOut { signedOut errors { code } } }"}, token)
    with gateway.uow as uow:
        signed_in = uow.session.query(AuditEntry).filter_by(username="nobody").all()
        signed_out = uow.session.query(AuditEntry).filter_by(action="signOut", community_id="c1").all()
    entries = {"signIn": signed_in[-1], "signOut": signed_out[-1]}
    assert entries["signIn"].outcome == "refused" and entries["signIn"].username == "nobody"
    assert entries["signIn"].error_codes == ["invalid_credentials"]
    assert "hunter2" not in json.dumps(entries["signIn"].arguments)
    assert entries["signOut"].outcome == "ok" and entries["signOut"].community_id == "c1"


def test_a_list_filter_of_the_wrong_type_is_refused_before_any_rpc(gateway):
    # Filters and orders are the services' to apply (tests/services/test_gateway_lists.py); the
    # gateway still refuses a value that is not of the filter's type.
    _, answer = gateway(
        {"query": '{ meetings(filter: {startsAfter: "yesterday"}) { edges { node { id } } } }'},
        gateway.token(),
    )
    assert "DateTime" in answer["errors"][0]["message"]
    assert gateway.calls == Counter()


def test_the_audit_log_is_read_by_the_committee_and_the_office_of_its_area_only(gateway):
    committee = gateway.token()
    gateway({"query": "mutation { signOut { signedOut errors { code } } }"}, committee)
    query = '{ auditLog(filter: {action: "signOut"}) { edges { node { action outcome partyType } } } }'
    mine = gateway({"query": query}, gateway.token())[1]["data"]["auditLog"]["edges"]
    assert {"action": "signOut", "outcome": "ok", "partyType": "residents_committee"} in [
        e["node"] for e in mine
    ]
    office = gateway.token(Principal("o", PartyType.STREET_OFFICE, "so1", district_id="d1"))
    assert gateway({"query": query}, office)[1]["data"]["auditLog"]["edges"]
    elsewhere = gateway.token(Principal("x", PartyType.RESIDENTS_COMMITTEE, "rc9", "d9", "c9"))
    assert gateway({"query": query}, elsewhere)[1]["data"]["auditLog"]["edges"] == []
    owners = gateway.token(Principal("w", PartyType.OWNERS_COMMITTEE, "oc1", "d1", "c1", "k1"))
    assert "Cannot query field 'auditLog'" in gateway({"query": query}, owners)[1]["errors"][0]["message"]
