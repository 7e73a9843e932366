"""Every field of every party's schema, asked over the demo's data: no internal error anywhere.

The queries are generated from the schemas themselves, so a field added tomorrow is walked too:
one query per root list or object (each object type's fields, lists as pages of 3, at most a few
levels down and never back into a type already on the path), then `node(id:)` for every id seen.
"""

from __future__ import annotations

import time

import requests
from graphql import (
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
)
from graphql_relay import from_global_id

from deploy.seed import seed
from gateway.schema.parties import SCHEMAS
from shared.identity import PartyType, Principal

MAX_LEVELS = 3  # Query, a record, the records it holds (connections and edges do not count)
PAGE = 3


def _named(type_):
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        type_ = type_.of_type
    return type_


def _required_arguments(field) -> bool:
    return any(isinstance(a.type, GraphQLNonNull) and a.default_value is None for a in field.args.values())


def selection(type_, path: tuple[str, ...] = ()) -> str:
    """Every field of ``type_`` that needs no argument; lists as pages of 3."""
    if isinstance(type_, (GraphQLScalarType, GraphQLEnumType)):
        return ""
    if isinstance(type_, (GraphQLInterfaceType, GraphQLUnionType)):
        return "{ __typename ... on Node { id } }"
    levels = [t for t in path if not t.endswith(("Connection", "Edge"))]
    if len(levels) >= MAX_LEVELS and not type_.name.endswith(("Connection", "Edge")):
        return "{ __typename }"
    parts = []
    for name, field in type_.fields.items():
        inner = _named(field.type)
        if _required_arguments(field):
            continue
        if isinstance(inner, GraphQLObjectType) and (inner.name in path or inner.name.endswith("Payload")):
            continue
        page = f"(first: {PAGE})" if "first" in field.args else ""
        below = selection(inner, (*path, type_.name))
        parts.append(f"{name}{page} {below}".strip())
    return "{ " + " ".join(parts) + " }"


def root_queries(party: PartyType) -> dict[str, str]:
    query_type = SCHEMAS[party].graphql_schema.query_type
    queries = {}
    for name, field in query_type.fields.items():
        if _required_arguments(field):
            continue
        page = f"(first: {PAGE})" if "first" in field.args else ""
        queries[name] = f"{{ {name}{page} {selection(_named(field.type), ('Query',))} }}"
    return queries


def node_query(party: PartyType, type_name: str) -> str:
    """``node(id:)`` asking for every field of ``type_name``."""
    record_type = SCHEMAS[party].graphql_schema.get_type(type_name)
    fields = selection(record_type, ("Query",) * (MAX_LEVELS - 2))
    return f"query($id: ID!) {{ node(id: $id) {{ __typename id ... on {type_name} {fields} }} }}"


def ids_in(value) -> set[str]:
    if isinstance(value, dict):
        found = {value["id"]} if isinstance(value.get("id"), str) else set()
        for inner in value.values():
            found |= ids_in(inner)
        return found
    if isinstance(value, list):
        return set().union(*(ids_in(v) for v in value)) if value else set()
    return set()


def internal_errors(answer: dict) -> list[dict]:
    return [
        e
        for e in answer.get("errors") or ()
        if (e.get("extensions") or {}).get("code") in ("internal_error", "limit_exceeded")
        or "message" not in e
    ]


def test_every_field_of_every_party_schema_answers_without_internal_error(platform):
    principals = {PartyType(p): Principal.from_dict(d) for p, d in seed(platform.rpc).items()}
    failures = {}
    for party, principal in principals.items():
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {platform.token(principal)}"

        def ask(query: str, variables: dict | None = None, session=session) -> dict:
            body = {"query": query, "variables": variables or {}}
            answer = session.post(platform.url, json=body, timeout=60)
            while answer.status_code == 429:  # the party's rate limit: wait as the gateway asks
                time.sleep(answer.json()["errors"][0]["extensions"]["retryAfter"])
                answer = session.post(platform.url, json=body, timeout=60)
            assert answer.status_code == 200, answer.text
            assert answer.headers["content-type"] == "application/json", answer.text
            return answer.json()

        seen: set[str] = set()
        for name, query in root_queries(party).items():
            answer = ask(query)
            if internal_errors(answer):
                failures[(party.value, name)] = internal_errors(answer)
            seen |= ids_in(answer.get("data"))
        assert len(seen) > 1, f"the demo should give {party} something to see"
        for record_id in sorted(seen):
            type_name = from_global_id(record_id).type
            if SCHEMAS[party].graphql_schema.get_type(type_name) is None:
                continue  # an id of a type outside this party's view (a place, say): node answers null
            answer = ask(node_query(party, type_name), {"id": record_id})
            if internal_errors(answer):
                failures[(party.value, f"node({type_name})")] = internal_errors(answer)
    assert not failures, failures
