"""The gateway's idempotency keys: the request's ``Idempotency-Key`` (or a fresh one), and for each
mutation field the request's key and the field's response key, carried by that field's RPCs only."""

from __future__ import annotations

import graphene
import pytest

from gateway.schema.common import Payload
from gateway.schema.context import MAX_IDEMPOTENCY_KEY, RequestContext, request_key


class Record(Payload, graphene.Mutation):
    """A mutation that notes the key its RPC would carry."""

    key = graphene.String()

    @classmethod
    def mutate(cls, root, info):
        return cls.run(info, lambda ctx: {"key": ctx.worker_data.get("idempotency_key")})


class Query(graphene.ObjectType):
    key = graphene.String()

    def resolve_key(root, info):
        return info.context.worker_data.get("idempotency_key")


SCHEMA = graphene.Schema(
    query=Query, mutation=type("Mutation", (graphene.ObjectType,), {"record": Record.Field()})
)


def context(key: str) -> RequestContext:
    return RequestContext(
        principal=None, services={}, correlation_id="c", idempotency_key=key, worker_data={}
    )


def test_each_mutation_field_carries_the_request_key_and_its_response_key():
    ctx = context("retry-1")
    answer = SCHEMA.execute("mutation { record { key } second: record { key } }", context_value=ctx)
    assert answer.errors is None
    assert answer.data == {"record": {"key": "retry-1:record"}, "second": {"key": "retry-1:second"}}
    assert "idempotency_key" not in ctx.worker_data  # nothing after the field


def test_a_query_carries_no_key():
    answer = SCHEMA.execute("{ key }", context_value=context("retry-1"))
    assert answer.data == {"key": None}


def test_the_same_document_with_the_same_header_repeats_the_same_keys():
    document = "mutation { a: record { key } b: record { key } }"
    first = SCHEMA.execute(document, context_value=context(request_key("same")))
    again = SCHEMA.execute(document, context_value=context(request_key("same")))
    assert first.data == again.data


def test_without_a_header_each_request_has_a_fresh_key():
    assert request_key(None) != request_key(None)
    assert request_key("") != request_key("")


@pytest.mark.parametrize("header", ["k" * MAX_IDEMPOTENCY_KEY, "order 17 / retry #2", "a"])
def test_printable_keys_up_to_200_characters_are_taken_as_they_are(header):
    assert request_key(header) == header


@pytest.mark.parametrize("header", ["k" * (MAX_IDEMPOTENCY_KEY + 1), "tab\there", "新年", "nul\x00"])
def test_other_keys_are_refused_naming_the_header(header):
    with pytest.raises(ValueError, match="Idempotency-Key"):
        request_key(header)
