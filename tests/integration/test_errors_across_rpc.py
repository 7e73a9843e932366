"""The error model across RPC: a domain error arrives as itself, through nameko's serialisation."""

import json

import pytest
from nameko.exceptions import deserialize, serialize

from shared.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied


@pytest.mark.parametrize(
    "error",
    [
        NotFound("no such meeting", field="meeting_id"),
        Conflict("filled", field="request_id", code="filled"),
        InvalidInput([{"field": "price", "code": "over_budget", "message": "too much"}]),
    ],
)
def test_domain_errors_cross_rpc_as_themselves(error):
    back = deserialize(json.loads(json.dumps(serialize(error))))
    assert type(back) is type(error)
    assert isinstance(back, DomainError)
    assert back.user_errors == error.user_errors


@pytest.mark.parametrize(
    "error",
    [
        PermissionDenied("a volunteer opens requests only for a team it leads"),
        NotFound("no such thing"),
        InvalidInput([{"field": None, "code": "invalid", "message": "x"}]),
        InvalidInput([{"code": "invalid", "message": "x"}]),
    ],
)
def test_an_error_that_names_no_field_crosses_rpc_with_none_not_the_string_none(error):
    from gateway.schema.common import user_errors

    back = deserialize(json.loads(json.dumps(serialize(error))))
    assert back.field is None
    assert [e["field"] for e in back.user_errors] == [None]
    assert [e.field for e in user_errors(back)] == [None]
