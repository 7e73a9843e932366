"""Generated operations against every party's schema (hypothesis-graphql): whatever a client sends,
the gateway answers with data or with errors it can act on, never with an internal error."""

from __future__ import annotations

import pytest
import requests
from graphql import StringValueNode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import from_schema

from deploy.seed import seed
from gateway import http
from gateway.limits import RateLimiter
from gateway.schema.parties import SCHEMAS
from shared.identity import PartyType, Principal


def strings(*values: str):
    return st.sampled_from(values).map(lambda value: StringValueNode(value=value))


SCALARS = {
    "DateTime": strings(
        "2026-12-01T14:00:00+08:00", "2020-01-01T00:00:00Z", "not a time", "2026-12-01T14:00:00"
    ),
    "Money": strings("0.00", "12.30", "-5", "1e9", "99999999999999.99", "abc"),
    "JSONString": strings("{}"),
    "Date": strings("2026-12-31", "2020-02-30", "soon"),
}


@pytest.mark.parametrize("party", list(PartyType), ids=lambda p: p.value)
def test_generated_operations_never_cause_an_internal_error(platform, monkeypatch, party):
    monkeypatch.setattr(http, "RATE", RateLimiter(per_second=1000, burst=1000))
    principals = {PartyType(p): Principal.from_dict(d) for p, d in seed_once(platform).items()}
    token = platform.token(principals[party])
    schema = SCHEMAS[party].graphql_schema
    # Every root field but signOut, which would end the very sign-in the fuzzing uses.
    fields = [*schema.query_type.fields, *(schema.mutation_type.fields if schema.mutation_type else ())]
    fields = [f for f in fields if f != "signOut"]

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(operation=from_schema(schema, fields=fields, custom_scalars=SCALARS))
    def check(operation):
        answer = requests.post(
            platform.url, json={"query": operation}, timeout=30, headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status_code in (200, 413), answer.text
        for error in answer.json().get("errors", []):
            assert (error.get("extensions") or {}).get("code") != "internal_error", (operation, error)

    check()


_SEEDED: dict = {}


def seed_once(platform) -> dict:
    """The demo, once per platform (each test gets a fresh platform, so once per test)."""
    key = platform.url
    if key not in _SEEDED:
        _SEEDED[key] = seed(platform.rpc)
    return _SEEDED[key]
