"""Bad values of every scalar kind, sent through the real gateway (HTTP, JSON) to a mutation of each
service on the demo's whole history. Each is refused cleanly — a GraphQL error naming the
argument's path, or the payload's user error naming the field — never an internal error; and
nothing is written. Dates the services answer are shown, so the README's own query answers."""

from __future__ import annotations

import json
import re
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests

from deploy.seed import seed
from shared.identity import PartyType, Principal

SOON = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=7)

# Bad values, by the scalar kind they are bad for (JSON can carry every one of them).
BAD_TEXT = [
    "a\x00b",  # NUL: was stored
    "\x1b[31m",
    "a\x7f",
    "\ud800",  # a lone surrogate: was internal_error
    "x\udfffy",
    "   ",  # blank: a whitespace-only title was stored
    "\u3000\u200b",
    "one\ntwo",
    "x" * 201,
    5,
    True,
    ["x"],
    {"x": 1},
]
BAD_PROSE = ["a\x00b", "a\x0b", "\ud800", 5, {"x": 1}]  # a blank one is "" where a value is optional
BLANKS = ["", " \n\t ", "\u3000\u200b"]  # refused where a value is required
BAD_MONEY = [
    "100.005",  # was rounded silently
    "1e14",  # was taken
    "99999999999999.99",  # was taken, beyond Numeric(14, 2)
    True,  # was taken
    "1_000",  # was taken
    "١٠٠",  # Arabic-Indic digits: were taken
    "１００",
    "NaN",
    "Infinity",
    "-0.01",
    " 1.00",
    "1.0000",
    "+1",
    "0x10",
    "9" * 400,
    100.5,
    100,
    [],
    {},
    "\ud800",
]
BAD_INSTANTS = [
    "0001-01-01T00:00:00+08:00",  # OverflowError: was internal_error
    "9999-12-31T23:59:59-08:00",  # ditto
    "1970-01-01T00:00:00+00:00",  # a meeting in 1970 was scheduled
    "2026-12-01T14:00:00",  # naive
    "٢٠٢٦-12-01T14:00:00+08:00",
    "2026-02-30T14:00:00+08:00",
    "2026-12-01T14:00:00+15:00",
    "20261201T140000+0800",
    "\ud800",
    1764568800,
    True,
    [],
]
BAD_DATES = [
    "0001-01-01",
    "9999-12-31",
    "1970-01-01",
    "20270331",
    "2027-W13-3",
    "٢٠٢٧-03-31",
    "2027-02-30",
    5,
]
BAD_SHARES = ["33.333", "1e2", "-5", "100.01", "３０", " 30", 30, "\ud800"]
BAD_TIMES = ["24:00", "8", "08:30+08:00", "０８:３０", "\ud800", 830]
BAD_INTS = ["1", 1.5, True, 2**40]
BAD_FLOATS = ["1", True, "NaN", [1]]


def send(platform, token: str, query: str, variables: dict | None = None) -> tuple[int, dict]:
    """One request as JSON (a lone surrogate travels as the escape "\\ud800"), waiting out the rate
    limit: the answer's status and body."""
    while True:
        answer = requests.post(
            platform.url,
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        if answer.status_code != 429:
            return answer.status_code, answer.json()
        time.sleep(answer.json()["errors"][0]["extensions"]["retryAfter"])


def ask(platform, token: str, query: str, variables: dict | None = None) -> dict:
    status, answer = send(platform, token, query, variables)
    assert status == 200, answer
    return answer


def lone_surrogate(value) -> bool:
    return isinstance(value, str) and any(0xD800 <= ord(ch) <= 0xDFFF for ch in value)


def graphql_path(field: str) -> str:
    """The path graphql-core names in a variable's error: milestones.0.share -> milestones[0].share."""
    return re.sub(r"\.(\d+)", r"[\1]", field)


def assert_refused(status: int, answer: dict, mutation: str, result: str, field: str, what: str, bad) -> None:
    """Refused, naming ``field`` (dotted, camelCase, from the input's root); no internal error.

    A body holding a lone surrogate may be refused whole at the gateway's door (it is valid JSON
    but not text): a 400 bad_request, nothing run. Past the door, the service refuses it by name
    (``test_the_services_refuse_what_the_gateway_lets_through_by_name``).
    """
    assert status != 500 and "internal_error" not in json.dumps(answer), what
    if status == 400:
        assert lone_surrogate(bad), (what, answer)
        assert [e["extensions"]["code"] for e in answer["errors"]] == ["bad_request"], what
        return
    assert status == 200, (what, answer)
    if answer.get("errors"):
        assert answer.get("data") is None, what  # a variable that does not fit: nothing ran
        messages = [e["message"] for e in answer["errors"]]
        assert any(f"at 'i.{graphql_path(field)}'" in m for m in messages), (what, messages)
        return
    payload = answer["data"][mutation]
    assert payload[result] is None, what
    named = [(e["field"], e["code"]) for e in payload["errors"]]
    assert (field, "invalid") in named, (what, named)


@pytest.fixture
def world(platform):
    """The demo's whole history (meetings, a tender, an active contract, volunteers), and tokens."""
    parties = {PartyType(p): Principal.from_dict(d) for p, d in seed(platform.rpc).items()}
    committee = platform.token(parties[PartyType.RESIDENTS_COMMITTEE])
    contract = ask(platform, committee, "{ contracts { edges { node { id status } } } }")["data"]
    active = [e["node"]["id"] for e in contract["contracts"]["edges"] if e["node"]["status"] == "active"]
    assert active, contract
    return {"parties": parties, "committee": committee, "contract_id": active[0]}


STATE = (  # what the mutations below could write, read one list at a time (each under the cost limit)
    "{ meetings(first: 50) { edges { node { id title startsAt } } } }",
    "{ projects(first: 50) { edges { node { id title budget periodStart } } } }",
    "{ serviceRequests(first: 50) { edges { node { id title startsAt } } } }",
    "{ volunteers(first: 50) { edges { node { id name availability { starts ends } unavailableDates } } } }",
    "{ buildings(first: 50) { edges { node { id name x y } } } }",
    """{ contracts(first: 10) { edges { node { id value periodStart periodEnd deliverables
      milestones { id title dueOn share deliveredOn } amendments { id number status }
      evaluations { period } } } } }""",
)


def state(platform, token: str) -> list[dict]:
    answers = [ask(platform, token, query) for query in STATE]
    assert all("errors" not in answer for answer in answers), answers
    return answers


def cases(contract_id: str) -> list[tuple[str, str, str, dict, str, list]]:
    """(mutation, input type, result field, a valid input, the field made bad, its bad values)."""
    meeting = {
        "title": "Adversarial meeting",
        "startsAt": SOON.isoformat(),
        "endsAt": (SOON + timedelta(hours=2)).isoformat(),
        "location": "Hall",
    }
    project = {"title": "Adversarial project", "category": "elderly_care", "budget": "1000.00"}
    request = {
        "title": "Adversarial request",
        "skills": [{"skill": "companionship"}],
        "places": 1,
        "startsAt": SOON.isoformat(),
        "endsAt": (SOON + timedelta(hours=2)).isoformat(),
        "location": "Hall",
    }
    volunteer = {
        "name": "Adversarial volunteer",
        "availability": [{"weekday": 0, "starts": "08:30", "ends": "12:00"}],
        "unavailableDates": ["2027-01-01"],
    }
    building = {"name": "Adversarial building", "x": 10.0, "y": 20.0}
    amendment = {
        "contractId": contract_id,
        "rationale": "adversarial",
        "value": "1.00",
        "periodEnd": "2099-12-31",
        "milestones": [{"title": "All", "dueOn": "2099-06-30", "criteria": "done", "share": "100"}],
    }
    evaluation = {
        "contractId": contract_id,
        "scores": {"quality": 5, "timeliness": 5, "attitude": 5, "effect": 5},
        "comment": "fine",
    }

    def with_milestone(**changes) -> dict:
        return {**amendment, "milestones": [{**amendment["milestones"][0], **changes}]}

    return (
        [
            # meetings
            ("scheduleMeeting", "ScheduleMeetingInput", "meeting", meeting, "title", BAD_TEXT),
            ("scheduleMeeting", "ScheduleMeetingInput", "meeting", meeting, "location", BAD_TEXT[:8]),
            ("scheduleMeeting", "ScheduleMeetingInput", "meeting", meeting, "reason", BAD_PROSE),
            ("scheduleMeeting", "ScheduleMeetingInput", "meeting", meeting, "startsAt", BAD_INSTANTS),
            (
                "scheduleMeeting",
                "ScheduleMeetingInput",
                "meeting",
                meeting,
                "agendaDeadline",
                BAD_INSTANTS[:4],
            ),
            # matching
            ("createProject", "CreateProjectInput", "project", project, "budget", BAD_MONEY),
            ("createProject", "CreateProjectInput", "project", project, "title", BAD_TEXT),
            ("createProject", "CreateProjectInput", "project", project, "description", BAD_PROSE),
            ("createProject", "CreateProjectInput", "project", project, "periodStart", BAD_DATES),
            ("createProject", "CreateProjectInput", "project", project, "standstillDays", BAD_INTS),
            # volunteers
            ("openServiceRequest", "OpenServiceRequestInput", "serviceRequest", request, "title", BAD_TEXT),
            (
                "openServiceRequest",
                "OpenServiceRequestInput",
                "serviceRequest",
                request,
                "startsAt",
                BAD_INSTANTS,
            ),
            ("openServiceRequest", "OpenServiceRequestInput", "serviceRequest", request, "places", BAD_INTS),
            ("addBuilding", "AddBuildingInput", "building", building, "x", BAD_FLOATS),
            ("addBuilding", "AddBuildingInput", "building", building, "name", BAD_TEXT[:8]),
            ("registerVolunteer", "RegisterVolunteerInput", "volunteer", volunteer, "name", BAD_TEXT[:8]),
            # contracts, on the demo's active contract
            ("proposeAmendment", "ProposeAmendmentInput", "amendment", amendment, "value", BAD_MONEY),
            ("proposeAmendment", "ProposeAmendmentInput", "amendment", amendment, "periodEnd", BAD_DATES),
            (
                "proposeAmendment",
                "ProposeAmendmentInput",
                "amendment",
                amendment,
                "rationale",
                BAD_PROSE + BLANKS,
            ),
            ("evaluateContract", "EvaluateContractInput", "evaluation", evaluation, "comment", BAD_PROSE),
        ]
        + [
            # nested values: the error names the item
            (
                "proposeAmendment",
                "ProposeAmendmentInput",
                "amendment",
                with_milestone(share=bad),
                "milestones.0.share",
                [bad],
            )
            for bad in BAD_SHARES
        ]
        + [
            (
                "proposeAmendment",
                "ProposeAmendmentInput",
                "amendment",
                with_milestone(dueOn=bad),
                "milestones.0.dueOn",
                [bad],
            )
            for bad in BAD_DATES
        ]
        + [
            (
                "proposeAmendment",
                "ProposeAmendmentInput",
                "amendment",
                with_milestone(title=bad),
                "milestones.0.title",
                [bad],
            )
            for bad in BAD_TEXT[:8]
        ]
        + [
            (
                "registerVolunteer",
                "RegisterVolunteerInput",
                "volunteer",
                {**volunteer, "availability": [{"weekday": 0, "starts": bad, "ends": "12:00"}]},
                "availability.0.starts",
                [bad],
            )
            for bad in BAD_TIMES
        ]
        + [
            (
                "registerVolunteer",
                "RegisterVolunteerInput",
                "volunteer",
                {**volunteer, "unavailableDates": ["2027-01-01", bad]},
                "unavailableDates.1",
                [bad],
            )
            for bad in BAD_DATES
        ]
        + [
            (
                "openServiceRequest",
                "OpenServiceRequestInput",
                "serviceRequest",
                {**request, "certificates": ["first_aid", bad]},
                "certificates.1",
                [bad],
            )
            for bad in BAD_TEXT[:8]
        ]
    )


def test_bad_values_of_every_kind_are_refused_naming_the_field_and_nothing_is_written(platform, world):
    committee = world["committee"]
    before = state(platform, committee)
    assert all(answer["data"] for answer in before)
    sent = 0
    for mutation, input_type, result, valid, field, bad_values in cases(world["contract_id"]):
        document = (
            f"mutation($i: {input_type}!) {{ {mutation}(input: $i) "
            f"{{ {result} {{ id }} errors {{ field code message }} }} }}"
        )
        for bad in bad_values:
            given = json.loads(json.dumps(valid))  # a copy
            if "." not in field:
                given[field] = bad
            status, answer = send(platform, committee, document, {"i": given})
            what = f"{mutation}.{field} = {bad!r:.60}"
            assert_refused(status, answer, mutation, result, field, what, bad)
            sent += 1
    assert sent > 200
    assert state(platform, committee) == before, "nothing was written"


def test_the_valid_inputs_of_the_cases_are_taken(platform, world):
    """The same inputs, untouched, pass: the refusals above are for the bad values alone."""
    committee = world["committee"]
    taken = set()
    for mutation, input_type, result, valid, _field, _bad in cases(world["contract_id"]):
        if mutation in taken or mutation == "proposeAmendment":  # one amendment at a time: below
            continue
        document = (
            f"mutation($i: {input_type}!) {{ {mutation}(input: $i) "
            f"{{ {result} {{ id }} errors {{ field code message }} }} }}"
        )
        payload = ask(platform, committee, document, {"i": valid})["data"][mutation]
        assert payload["errors"] == [] and payload[result]["id"], (mutation, payload)
        taken.add(mutation)
    assert taken == {"scheduleMeeting", "createProject", "openServiceRequest", "addBuilding"} | {
        "registerVolunteer",
        "evaluateContract",
    }


def test_past_shifts_and_future_only_windows_are_refused_by_name(platform, world):
    """Beyond the range every instant keeps: a request whose window has ended, a poll over the past."""
    committee, past = world["committee"], datetime.now(timezone.utc) - timedelta(days=1)
    answer = ask(
        platform,
        committee,
        """mutation($i: OpenServiceRequestInput!) { openServiceRequest(input: $i) {
          serviceRequest { id } errors { field code message } } }""",
        {
            "i": {
                "title": "Yesterday",
                "skills": [{"skill": "companionship"}],
                "places": 1,
                "startsAt": past.isoformat(),
                "endsAt": (past + timedelta(hours=2)).isoformat(),
                "location": "Hall",
            }
        },
    )
    assert_refused(200, answer, "openServiceRequest", "serviceRequest", "endsAt", "a shift that ended", None)
    answer = ask(
        platform,
        committee,
        """mutation($i: ProposeMeetingTimesInput!) { proposeMeetingTimes(input: $i) {
          poll { id } errors { field code message } } }""",
        {
            "i": {
                "title": "Last week",
                "location": "Hall",
                "windowStartsAt": (past - timedelta(days=7)).isoformat(),
                "windowEndsAt": past.isoformat(),
                "durationMinutes": 60,
            }
        },
    )
    assert_refused(200, answer, "proposeMeetingTimes", "poll", "windowEndsAt", "a window in the past", None)


def test_a_bad_literal_in_the_document_is_refused_with_its_location(platform, world):
    answer = ask(
        platform,
        world["committee"],
        'mutation { createProject(input: {title: "x", category: "x", budget: 1e14}) { project { id } } }',
    )
    (error,) = answer["errors"]
    assert "Money" in error["message"] and error["locations"] and answer.get("data") is None
    answer = ask(
        platform,
        world["committee"],
        '{ meetings(filter: {startsAfter: "0001-01-01T00:00:00+08:00"}) { edges { node { id } } } }',
    )
    (error,) = answer["errors"]
    assert "between 2000-01-01 and 2100-01-01" in error["message"] and error["locations"]


def test_the_services_refuse_what_the_gateway_lets_through_by_name(platform, world):
    """Services check their inputs themselves: called directly (the operators' RPC client, JSON over
    the broker), each refuses a lone surrogate, a NUL and a bad money, time or date by name."""
    from graphql_relay import from_global_id

    from shared.errors import InvalidInput

    rpc = platform.rpc
    committee = world["parties"][PartyType.RESIDENTS_COMMITTEE].to_dict()
    contract_id = from_global_id(world["contract_id"])[1]
    before = state(platform, world["committee"])
    later = (SOON + timedelta(hours=2)).isoformat()
    meeting = {"title": "x", "starts_at": SOON.isoformat(), "ends_at": later, "location": "Hall"}
    request = {**meeting, "skills": [{"skill": "companionship"}], "places": 1}
    calls = [
        (rpc.meetings.schedule_meeting, meeting, "title", ["\ud800", "a\x00", "  "]),
        (
            rpc.meetings.schedule_meeting,
            meeting,
            "starts_at",
            ["0001-01-01T00:00:00+08:00", "2026-12-01T14:00"],
        ),
        (rpc.matching.create_project, {"title": "x", "category": "x", "budget": "1.00"}, "budget", BAD_MONEY),
        (rpc.volunteers.open_request, request, "location", ["\ud800", "\x1b", "x" * 201]),
        (rpc.volunteers.open_request, request, "places", BAD_INTS),
        (
            rpc.contracts.propose_amendment,
            {"contract_id": contract_id, "rationale": "x"},
            "period_end",
            BAD_DATES,
        ),
        (
            rpc.contracts.propose_amendment,
            {"contract_id": contract_id, "rationale": "x"},
            "rationale",
            BAD_PROSE + BLANKS,
        ),
    ]
    for method, valid, field, bad_values in calls:
        for bad in bad_values:
            with pytest.raises(InvalidInput) as raised:
                method(committee, {**valid, field: bad})
            assert [e["field"] for e in raised.value.errors] == [field], (field, bad, raised.value.errors)
            assert all(bad != e["message"] for e in raised.value.errors)
    assert state(platform, world["committee"]) == before, "nothing was written"


def readme_contracts_query() -> str:
    """The README's query "as the residents' committee", its contracts part as printed there (the
    whole query is over the cost limit of one request: it is tested part by part)."""
    from graphql import parse, print_ast

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```graphql\n(.*?)```", readme, re.S)
    (query,) = [b for b in blocks if "contracts" in b and "milestones" in b and "dueOn" in b]
    (operation,) = parse(query).definitions
    (contracts,) = [f for f in operation.selection_set.selections if f.name.value == "contracts"]
    return "{ " + print_ast(contracts) + " }"


def test_the_readmes_contracts_query_answers_with_the_dates_the_services_give(platform, world):
    query = readme_contracts_query()
    assert "dueOn" in query
    answer = ask(platform, world["committee"], query)
    assert "errors" not in answer, answer
    (contract,) = [e["node"] for e in answer["data"]["contracts"]["edges"] if e["node"]["status"] == "active"]
    dues = [m["dueOn"] for m in contract["milestones"]]
    assert dues and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in dues), dues

    # Every Date the gateway shows, from every service that answers one.
    dated = ask(
        platform,
        world["committee"],
        "{ contracts { edges { node { status periodStart periodEnd"
        " milestones { status dueOn deliveredOn } } } }"
        " projects { edges { node { periodStart periodEnd } } }"
        " volunteers { edges { node { unavailableDates certificates { expiresOn } } } } }",
    )
    assert "errors" not in dated, dated
    (active,) = [e["node"] for e in dated["data"]["contracts"]["edges"] if e["node"]["status"] == "active"]
    assert active["periodStart"] < active["periodEnd"]
    accepted = [m for m in active["milestones"] if m["status"] == "accepted"]
    assert accepted and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", m["deliveredOn"]) for m in accepted), accepted
    periods = [e["node"]["periodStart"] for e in dated["data"]["projects"]["edges"]]
    assert all(p is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", p) for p in periods), periods
    certificates = [c for e in dated["data"]["volunteers"]["edges"] for c in e["node"]["certificates"]]
    assert certificates and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", c["expiresOn"]) for c in certificates)
