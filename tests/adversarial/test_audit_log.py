"""The audit log cannot be bypassed or misled: exactly one entry per mutation that ran, with its real
outcome, whatever fragments, directives, aliases and variables the operation uses; sealed content
never enters it; writing it never turns a done mutation into an error."""

from __future__ import annotations

from collections import Counter

from graphql_relay import to_global_id
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from gateway import audit
from gateway.models import AuditEntry
from shared.errors import InvalidInput
from shared.identity import PartyType, Principal
from tests.gateway_stand_in import COMMITTEE, MEETINGS, Recording

CALL = (
    'scheduleMeeting(input: {title: "Joint meeting", startsAt: "2027-01-05T06:00:00+00:00", '
    'endsAt: "2027-01-05T08:00:00+00:00", location: "Hall"})'
)
SCHEDULE = f"{CALL} {{ meeting {{ id }} errors {{ code }} }}"


def schedule(directive: str = "") -> str:
    return f"{CALL} {directive} {{ meeting {{ id }} errors {{ code }} }}"


def meetings_service(calls: Counter, schedule=lambda principal, data: MEETINGS[0]):
    return {"meetings": Recording(calls, "meetings", {"schedule_meeting": schedule})}


def audit_rows(gateway) -> list[AuditEntry]:
    with gateway.uow:
        return list(gateway.uow.session.scalars(select(AuditEntry).order_by(AuditEntry.at)))


def count_rows(gateway) -> int:
    with gateway.uow:
        return gateway.uow.session.scalar(select(func.count()).select_from(AuditEntry))


def test_a_mutation_inside_an_inline_or_named_fragment_is_audited_once(gateway):
    token = gateway.token()
    for document in (
        f"mutation {{ ... on Mutation {{ {SCHEDULE} }} }}",
        f"mutation {{ ...M }} fragment M on Mutation {{ {SCHEDULE} }}",
        f"mutation {{ ... on Mutation {{ ...M }} }} fragment M on Mutation {{ a: {SCHEDULE} }}",
    ):
        calls: Counter = Counter()
        before = count_rows(gateway)
        status, answer = gateway({"query": document}, token, services=meetings_service(calls))
        assert status == 200 and "errors" not in answer, answer
        assert calls["meetings.schedule_meeting"] == 1
        assert count_rows(gateway) == before + 1
    entries = audit_rows(gateway)[-3:]
    assert {e.action for e in entries} == {"scheduleMeeting"} and {e.outcome for e in entries} == {"ok"}


def test_what_did_not_run_is_not_audited(gateway):
    token = gateway.token()
    calls: Counter = Counter()
    before = count_rows(gateway)
    skipped = (
        f"mutation {{ a: {schedule('@include(if: false)')} b: {schedule('@skip(if: true)')} __typename }}"
    )
    status, answer = gateway({"query": skipped}, token, services=meetings_service(calls))
    assert status == 200 and answer["data"] == {"__typename": "Mutation"}
    bad_variables = (
        "mutation($t: String!) { scheduleMeeting(input: {title: $t, startsAt: "
        '"2027-01-05T06:00:00+00:00", endsAt: "2027-01-05T08:00:00+00:00", location: "H"}) '
        "{ errors { code } } }"
    )
    status, answer = gateway({"query": bad_variables, "variables": {"t": 5}}, token)
    assert "Variable '$t' got invalid value" in answer["errors"][0]["message"]
    assert calls == Counter() and count_rows(gateway) == before


def test_each_entry_has_its_real_outcome_and_the_account_that_acted(gateway):
    token = gateway.token()

    def refuse(principal, data):
        raise InvalidInput([{"field": "title", "code": "invalid", "message": "too short"}])

    def crash(principal, data):
        raise RuntimeError("database at 10.0.0.5 is gone")

    for schedule, outcome in ((refuse, "refused"), (crash, "failed")):
        status, answer = gateway(
            {"query": f"mutation {{ {SCHEDULE} }}"}, token, services=meetings_service(Counter(), schedule)
        )
        assert status == 200 and "10.0.0.5" not in str(answer)
        entry = audit_rows(gateway)[-1]
        assert entry.outcome == outcome
        assert entry.username and entry.username.startswith("user-") and entry.community_id == "c1"
    assert audit_rows(gateway)[-2].error_codes == ["invalid"]


def test_a_payload_that_fails_to_render_still_logs_the_done_mutation(gateway):
    """The mutation ran; a broken field of its answer is reported on that field, and logged as done."""
    broken = {**MEETINGS[0], "title": None}  # Meeting.title is non-null
    calls: Counter = Counter()
    status, answer = gateway(
        {"query": f"mutation {{ {SCHEDULE.replace('meeting { id }', 'meeting { id title }')} }}"},
        gateway.token(),
        services=meetings_service(calls, lambda principal, data: broken),
    )
    assert status == 200 and answer["data"]["scheduleMeeting"]["meeting"] is None
    assert answer["errors"][0]["path"] == ["scheduleMeeting", "meeting", "title"]
    assert audit_rows(gateway)[-1].outcome == "ok"


def test_a_failing_audit_write_does_not_turn_a_done_mutation_into_an_error(gateway, monkeypatch, caplog):
    def unavailable(*args, **kwargs):
        raise OSError("the gateway's database is unreachable")

    monkeypatch.setattr(audit, "record", unavailable)
    calls: Counter = Counter()
    status, answer = gateway(
        {"query": f"mutation {{ {SCHEDULE} }}"}, gateway.token(), services=meetings_service(calls)
    )
    assert status == 200 and answer["data"]["scheduleMeeting"]["errors"] == []
    assert "could not write the audit log" in caplog.text


def test_a_sign_in_is_logged_under_its_account_for_the_committee_to_see(gateway):
    from gateway import accounts

    accounts.create_account(gateway.uow, "zhao.secretary", "a long enough password", COMMITTEE)
    sign_in = (
        'mutation($p: String!) { signIn(input: {username: "zhao.secretary", password: $p}) '
        "{ errors { code } } }"
    )
    gateway({"query": sign_in, "variables": {"p": "wrong password!"}})
    gateway({"query": sign_in, "variables": {"p": "a long enough password"}})
    failed, succeeded = audit_rows(gateway)[-2:]
    assert (failed.outcome, succeeded.outcome) == ("refused", "ok")
    for entry in (failed, succeeded):
        assert entry.username == "zhao.secretary" and entry.community_id == "c1"
        assert entry.arguments["input"]["password"] == "[redacted]"
    log = gateway(
        {"query": '{ auditLog(filter: {action: "signIn"}) { edges { node { outcome } } } }'}, gateway.token()
    )
    assert len(log[1]["data"]["auditLog"]["edges"]) >= 2


def test_a_bid_enters_the_audit_log_as_its_receipt_only(gateway):
    organisation = Principal("o", PartyType.SOCIAL_ORGANISATION, "org1", "d1")
    bid = {
        "id": "b1",
        "project_id": "p1",
        "organisation_id": "org1",
        "price": "45000.00",
        "plan": "Weekly home visits to elderly residents living alone",
        "team": "Three social workers",
        "timeline": "Twelve months",
        "digest": "ab" * 32,
        "status": "submitted",
        "submitted_at": "2026-12-01T06:00:00+00:00",
    }
    calls: Counter = Counter()
    services = {"matching": Recording(calls, "matching", {"submit_bid": lambda principal, data: bid})}
    project = to_global_id("Project", "p1")
    document = (
        f'mutation {{ submitBid(input: {{projectId: "{project}", price: "45000.00", plan: "Weekly home '
        'visits to elderly residents living alone", team: "Three social workers", timeline: "Twelve '
        'months"}) { bid { digest } errors { code } } }'
    )
    token = gateway.token(organisation)
    before = {row.id for row in audit_rows(gateway)}
    status, answer = gateway({"query": document}, token, services=services)
    assert status == 200 and calls["matching.submit_bid"] == 1, answer
    # The log is kept across tests (and a test that moves time writes entries dated later): ours is
    # the one entry this request added.
    (entry,) = [row for row in audit_rows(gateway) if row.id not in before]
    stored = str(entry.arguments)
    assert "45000" not in stored and "home visits" not in stored and "social workers" not in stored
    assert entry.arguments["receipt"] == "ab" * 32 and entry.arguments["input"]["project_id"] == project
    # That it bid at all is sealed too: the entry is kept for operators, in no party's log.
    assert entry.party_id == "org1" and (entry.district_id, entry.community_id) == (None, None)
    office = Principal("s", PartyType.STREET_OFFICE, "so1", "d1")
    _, log = gateway({"query": "{ auditLog { edges { node { action } } } }"}, gateway.token(office))
    assert "submitBid" not in str(log)


FORMS = ("plain", "inline", "named", "nested")
DIRECTIVES = ("", "@include(if: true)", "@include(if: false)", "@skip(if: $no)", "@include(if: $no)")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    slots=st.lists(st.tuples(st.sampled_from(FORMS), st.sampled_from(DIRECTIVES)), min_size=1, max_size=5),
    no=st.booleans(),
)
def test_property_executed_mutations_equal_audit_rows(gateway, slots, no):
    if not hasattr(gateway, "committee"):  # one sign-in for all examples: argon2 is slow on purpose
        gateway.committee = gateway.token()
    token = gateway.committee
    selections, fragments, expected = [], [], 0
    for index, (form, directive) in enumerate(slots):
        field = f"m{index}: {SCHEDULE}"
        runs = {"": True, "@include(if: true)": True, "@include(if: false)": False}.get(directive, not no)
        if directive == "@include(if: $no)":
            runs = no
        if form == "plain":
            selections.append(f"m{index}: {schedule(directive)}")
        elif form == "inline":
            selections.append(f"... on Mutation {directive} {{ {field} }}")
        elif form == "named":
            selections.append(f"...F{index} {directive}")
            fragments.append(f"fragment F{index} on Mutation {{ {field} }}")
        else:
            selections.append(f"... {directive} {{ ... on Mutation {{ ...F{index} }} }}")
            fragments.append(f"fragment F{index} on Mutation {{ {field} }}")
        expected += runs
    operation = f"mutation($no: Boolean!) {{ {' '.join(selections)} __typename @skip(if: $no) }}"
    document = f"{operation} {' '.join(fragments)}"
    calls: Counter = Counter()
    before = count_rows(gateway)
    status, answer = gateway(
        {"query": document, "variables": {"no": no}}, token, services=meetings_service(calls)
    )
    assert status == 200 and "errors" not in answer, (document, answer)
    assert calls["meetings.schedule_meeting"] == expected
    assert count_rows(gateway) - before == expected
