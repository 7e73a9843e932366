"""Every answer is a clean one: malformed bodies, odd types where objects are expected, cross-site
content types and fields that fail in batched lookups all get JSON naming the problem, never a
plain-text 500 or an exception's name."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gateway import http
from tests.gateway_stand_in import MEETINGS, Recording, agenda, pages, parties

NESTED = "{ meetings { edges { node { title agenda { edges { node { submittedBy { name } } } } } } } }"
PYTHON_NAMES = ("Traceback", "KeyError", "TypeError", "AttributeError", "RecursionError", "RuntimeError")


def raw_post(gateway, data: bytes | str, content_type: str, bearer: str | None = None):
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    request = Request(
        EnvironBuilder(
            method="POST", path="/graphql", headers=headers, data=data, content_type=content_type
        ).get_environ()
    )
    response = http.execute_graphql(request, {}, {}, gateway.uow)
    return response


@pytest.mark.parametrize(
    "body",
    [
        {"query": "{ about { name } }", "extensions": 5},
        {"query": "{ about { name } }", "extensions": {"persistedQuery": 5}},
        {"extensions": {"persistedQuery": {"sha256Hash": [1]}}},
        {"extensions": {"persistedQuery": {"sha256Hash": "../../etc/passwd"}}},
        {"query": ["{ about { name } }"]},
        {"query": "{ about { name } }", "variables": [1]},
        {"query": "{ about { name } }", "operationName": {"a": 1}},
        {"query": None},
        [{"query": "{ about { name } }"}],
        "just a string",
        12,
    ],
)
def test_a_malformed_body_is_refused_as_bad_request_in_json(gateway, body):
    response = raw_post(gateway, json.dumps(body), "application/json")
    answer = json.loads(response.get_data(as_text=True))
    assert response.status_code == 400 and response.mimetype == "application/json"
    assert answer["errors"][0]["extensions"]["code"] == "bad_request"
    assert not any(name in response.get_data(as_text=True) for name in PYTHON_NAMES)


@pytest.mark.parametrize(
    "data, content_type",
    [
        ('{"query": "{ about { name } }"}', "text/plain"),
        ("query=%7B+about+%7B+name+%7D+%7D", "application/x-www-form-urlencoded"),
        ('{"query": "{ about { name } }"}', "multipart/form-data; boundary=x"),
    ],
)
def test_only_json_bodies_are_executed(gateway, data, content_type):
    """A page on another site can POST text/plain or a form without asking: those never run."""
    response = raw_post(gateway, data, content_type, gateway.token())
    assert response.status_code == 415 and response.mimetype == "application/json"


def test_json_answers_are_never_sniffed_or_cached(gateway):
    for data in ('{"query": "{ about { name } }"}', "{not json"):
        response = raw_post(gateway, data, "application/json")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-store"


def test_broken_json_and_invalid_utf8_are_refused_cleanly(gateway):
    for data in (
        b"{not json",
        b'{"query": "\xff\xfe"}',
        b'{"query": "{ about { name } }"' + b"\x00",
        b'{"query": "{ about { name } }", "variables": {"title": "\\ud800"}}',
    ):
        response = raw_post(gateway, data, "application/json")
        assert response.status_code == 400 and response.mimetype == "application/json"


def test_a_lone_surrogate_is_refused_naming_where_it_is(gateway):
    data = b'{"query": "{ about { name } }", "variables": {"input": {"titles": ["ok", "\\udc00x"]}}}'
    response = raw_post(gateway, data, "application/json")
    answer = json.loads(response.get_data(as_text=True))
    assert response.status_code == 400
    assert answer["errors"][0]["message"] == "variables.input.titles.1: not text (a lone surrogate)"


def test_a_mutation_of_only_typename_answers_data(gateway):
    status, answer = gateway({"query": "mutation { __typename }"}, gateway.token())
    assert status == 200 and answer == {"data": {"__typename": "Mutation"}}


def test_a_field_that_fails_inside_a_batched_list_fails_alone(gateway):
    """A non-null field failing in a loader's rows nulls its nearest nullable parent; the rest stands."""

    def broken_agenda(principal, meeting_ids):
        rows = agenda(principal, meeting_ids)
        rows[1]["title"] = None  # AgendaItem.title is non-null
        return rows

    calls: Counter = Counter()
    services = {
        "meetings": Recording(
            calls,
            "meetings",
            {
                "list_meetings": pages(MEETINGS[:2]),
                "list_agenda": broken_agenda,
                "get_parties": parties,
                "list_resolutions": lambda principal, ids: [],
            },
        )
    }
    status, answer = gateway(
        {
            "query": "{ meetings { edges { node { title agenda { edges { node { title "
            "submittedBy { name } } } } } } } }"
        },
        gateway.token(),
        services=services,
    )
    assert status == 200
    (error,) = answer["errors"]
    assert error["path"][:2] == ["meetings", "edges"] and error["path"][-1] == "title"
    assert error["extensions"]["code"] == "internal_error"  # the service's fault: masked, with its id
    assert error["extensions"]["correlationId"] in error["message"]
    meetings = answer["data"]["meetings"]["edges"]
    assert [m["node"]["title"] for m in meetings] == ["Meeting 0", "Meeting 1"]
    first_agenda = meetings[0]["node"]["agenda"]["edges"]
    assert first_agenda[0]["node"]["submittedBy"]["name"] == "Name of party-0"
    assert first_agenda[1] == {"node": None}  # the broken row; its siblings stand
    assert meetings[1]["node"]["agenda"]["edges"][2]["node"]["title"] == "Item"


def test_an_exception_inside_a_loader_is_masked_on_its_field(gateway):
    def crash(principal, ids):
        raise RuntimeError("connection to server at 10.0.0.5 failed")

    services = {
        "meetings": Recording(
            Counter(),
            "meetings",
            {"list_meetings": pages(MEETINGS[:2]), "list_agenda": agenda, "get_parties": crash},
        )
    }
    status, answer = gateway(
        {"query": NESTED},
        gateway.token(),
        services=services,
    )
    assert status == 200 and "10.0.0.5" not in json.dumps(answer)
    assert {e["extensions"]["code"] for e in answer["errors"]} == {"internal_error"}
    assert [m["node"]["title"] for m in answer["data"]["meetings"]["edges"]] == ["Meeting 0", "Meeting 1"]


def test_a_partys_field_asked_for_without_a_token_says_sign_in(gateway):
    for document in ("{ meetings { edges { node { id } } } }", "mutation { signOut { signedOut } }"):
        status, answer = gateway({"query": document})
        assert status == 200 and "data" not in answer
        assert answer["errors"][0]["extensions"]["code"] == "unauthenticated"
        assert answer["errors"][0]["message"].startswith("sign in")
    status, answer = gateway({"query": "{ nosuchfield }"})
    assert "Cannot query field 'nosuchfield'" in answer["errors"][0]["message"]
