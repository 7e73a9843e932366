"""Hostile GraphQL documents: refused in JSON, naming the limit (or the fragment cycle), before
the standard validation gets to spend time on them; and no document that fits in a request, made
by hand or generated, is answered with anything but JSON, nor with an internal error.

Timing is measured in bench/refusal.py, never asserted here: these tests count what ran.
"""

from __future__ import annotations

import json

import pytest
from graphql import specified_rules
from graphql.validation import NoFragmentCyclesRule
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.refusal import LEAVES, chain, hostile_documents
from gateway import http, limits

PYTHON_NAMES = ("Traceback", "RecursionError", "KeyError", "TypeError", "AttributeError", "RuntimeError")


@pytest.fixture
def validations(monkeypatch):
    """The rule lists that graphql-core's validate() was run with, for each request."""
    runs: list[list] = []
    validate = http.validate

    def recording(schema, document, rules, *args, **kwargs):
        runs.append(list(rules))
        return validate(schema, document, rules, *args, **kwargs)

    monkeypatch.setattr(http, "validate", recording)
    monkeypatch.setattr(http, "DOCUMENTS", limits.DocumentCache())
    return runs


def answered(gateway, query: str, bearer: str | None = None) -> tuple[int, dict]:
    return gateway({"query": query}, bearer)


@pytest.mark.parametrize(
    "query, limit",
    [
        ("{" + " about { name }" * 150 + " }", "repeated_fields"),  # 2 kB: 5-6 s before
        ("{" + " about { name }" * 1300 + " }", "tokens"),  # 19.5 kB: 265 s before
        ("{ about {" + " name" * 3900 + " } }", "tokens"),  # did not finish in 15 minutes
        (chain(16, "about { name }"), "selections"),  # 726 bytes: 4.3 s before
        (chain(19, "about { name }"), "selections"),  # 19.9 s before
    ],
    ids=["150 repeats", "1300 repeats", "3900 in one selection", "fragment chain 16", "fragment chain 19"],
)
def test_the_reported_documents_are_refused_naming_the_limit_before_standard_validation(
    gateway, validations, query, limit
):
    status, answer = answered(gateway, query)
    (error,) = answer["errors"]
    assert status == 200 and error["extensions"] == {"code": "limit_exceeded", "limit": limit}
    assert validations == [], "refused before any validation rule ran"


def test_a_fragment_cycle_is_refused_by_the_spec_rule_alone_and_in_json(gateway, validations):
    for query in (
        "fragment A on Query { ...A } { ...A }",
        "fragment A on Query { about { ...B } } fragment B on About { ...C } "
        "fragment C on About { name ...B } { ...A }",
    ):
        status, answer = answered(gateway, query)
        assert status == 200 and "within itself" in answer["errors"][0]["message"], answer
        assert "data" not in answer
    assert validations == [[NoFragmentCyclesRule]] * 2, "no other rule, custom or standard, walked the cycle"


def test_documents_within_the_limits_get_the_standard_rules_and_the_custom_ones(gateway, validations):
    query = "{ about { ...A ...B } } fragment A on About { name } fragment B on About { name signIn }"
    status, answer = answered(gateway, query)
    assert status == 200 and answer["data"]["about"]["name"], answer
    (rules,) = validations
    assert rules[: len(specified_rules)] == list(specified_rules) and len(rules) > len(specified_rules)


def test_aliases_do_not_try_many_passwords_in_one_request(gateway, monkeypatch):
    from gateway import accounts

    tried = []
    monkeypatch.setattr(accounts, "sign_in", lambda *args: tried.append(args))
    query = hostile_documents(LEAVES["anonymous"])["sign_in_aliases"]
    status, answer = answered(gateway, query)
    assert answer["errors"][0]["extensions"] == {"code": "limit_exceeded", "limit": "sign_ins"}
    assert tried == [], "no password was checked"


def test_a_costly_query_is_told_which_list_to_trim(gateway):
    query = "{ meetings(first: 100) { edges { node { agenda(first: 100) { edges { node { title } } } } } } }"
    status, answer = answered(gateway, query, gateway.token())
    (error,) = answer["errors"]
    assert error["extensions"] == {"code": "limit_exceeded", "limit": "cost"}
    assert "10,100 records; the limit is 5000" in error["message"]
    assert "meetings.agenda (10,000 records: 100 × 100 items)" in error["message"]
    assert "pass first:" in error["message"]


def clean(status: int, answer: dict) -> None:
    assert status in (200, 413), (status, answer)
    text = json.dumps(answer)
    assert not any(name in text for name in PYTHON_NAMES), text
    for error in answer.get("errors") or []:
        assert (error.get("extensions") or {}).get("code") != "internal_error", error


def test_every_hostile_document_of_the_benchmark_is_answered_cleanly(gateway):
    token = gateway.token()
    for caller, bearer in (("anonymous", None), ("signed_in", token)):
        for name, query in hostile_documents(LEAVES[caller]).items():
            status, answer = gateway({"query": query}, bearer)
            clean(status, answer)
            if not name.startswith("admitted_") and "errors" not in answer:
                pytest.fail(f"{name} ({caller}) ran: {answer}")


@pytest.mark.parametrize(
    "query",
    ['{ about(x: "\\', '{ about(x: """\\', "", "{}", "\x00", "\ufeff{ about { name } }", "{ about }}"],
    ids=["string ending in a backslash", "block string", "empty", "no fields", "nul", "bom", "extra brace"],
)
def test_odd_documents_are_answered_cleanly(gateway, query):
    status, answer = gateway({"query": query})
    clean(status, answer)
    assert status == 200 and ("errors" in answer or answer["data"]["about"])


# Generated documents: pieces of GraphQL syntax in any order, and well-formed documents with
# repeats, aliases, fragments spread twice or in cycles, and deep nesting.

PIECES = [
    "{", "}", "(", ")", "[", "]", ":", "...", "on", "Query", "About", "about", "name", "signIn",
    "__typename", "a:", "fragment", "F", "G", "...F", "...G", "query", "mutation", "$v", "Int",
    "Boolean!", "=", "@include(if: true)", "@skip(if: $v)", "1", "-0.5e3", '"s"', '"""b"""', "true",
    "null", "#c\n", ",", "!", "|", "&", "{a: [1, {b: 2}]}", "\u00e9", "\ufeff", "\\",
]  # fmt: skip


@st.composite
def selections(draw, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["about", "leaf", "spread", "inline", "alias", "repeat"]))
        if kind == "about" and depth < 40:
            parts.append("about { " + draw(selections(depth + 1)) + " }")
        elif kind == "spread":
            parts.append("..." + draw(st.sampled_from(["F", "G", "H"])))
        elif kind == "inline" and depth < 40:
            parts.append("... on Query { " + draw(selections(depth + 1)) + " }")
        elif kind == "alias":
            parts.append(f"x{draw(st.integers(0, 3))}: __typename")
        elif kind == "repeat":
            parts.append("about { name }" * draw(st.integers(1, 400)))
        else:
            parts.append(draw(st.sampled_from(["name", "__typename", "signIn"])))
    return " ".join(parts)


@st.composite
def documents(draw) -> str:
    if draw(st.booleans()):
        return " ".join(draw(st.lists(st.sampled_from(PIECES), max_size=3000)))
    fragments = [
        f"fragment {name} on {draw(st.sampled_from(['Query', 'About']))} {{ {draw(selections())} }}"
        for name in draw(st.lists(st.sampled_from(["F", "G", "H"]), max_size=4))
    ]
    return " ".join([*fragments, "{ " + draw(selections()) + " }"])


def test_no_generated_document_is_answered_but_in_json(gateway):
    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(query=documents())
    def check(query):
        if len(json.dumps({"query": query}).encode()) > limits.MAX_DOCUMENT_BYTES:
            query = query[: limits.MAX_DOCUMENT_BYTES // 4]
        clean(*gateway({"query": query}))

    check()
