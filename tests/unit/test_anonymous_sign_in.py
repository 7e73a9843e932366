"""Before sign-in, a party's field answers "sign in" (code unauthenticated), not "Cannot query field"."""

import pytest
from graphql import parse, validate

from gateway.anonymous import unauthenticated_errors
from gateway.schema.parties import ANONYMOUS_SCHEMA


@pytest.mark.parametrize(
    ("document", "fields"),
    [
        ("{ meetings { edges { node { id } } } }", ["meetings"]),
        (
            "query Mine { viewer { party { name } } projects { edges { node { id } } } }",
            ["viewer", "projects"],
        ),
        (
            'mutation { acceptAgendaItem(input: {agendaItemId: "x"}) { errors { code } } }',
            ["acceptAgendaItem"],
        ),
        ("mutation { signOut { signedOut } }", ["signOut"]),
        ("{ ... on Query { contracts { edges { node { id } } } } }", ["contracts"]),
        ("query { ...Lists } fragment Lists on Query { offers { edges { node { id } } } }", ["offers"]),
        ('{ node(id: "TWVldGluZzox") { id } }', ["node"]),
    ],
)
def test_a_signed_in_partys_fields_ask_to_sign_in(document, fields):
    errors = unauthenticated_errors(parse(document))
    assert [e.extensions["code"] for e in errors] == ["unauthenticated"] * len(fields)
    for error, field in zip(errors, fields, strict=True):
        assert error.message.startswith(f"sign in to use '{field}'")
        assert error.locations, "located at the field"
        assert error.formatted["extensions"] == {"code": "unauthenticated"}


@pytest.mark.parametrize(
    "document",
    [
        "{ about { name signIn } }",
        'mutation { signIn(input: {username: "u", password: "p"}) { errors { code } } }',
        "{ __typename __schema { queryType { name } } }",
        "{ noSuchFieldAnywhere }",  # validation says what is wrong with that
        "{ about { meetings } }",  # a nested field of that name is validation's business too
    ],
)
def test_what_the_anonymous_schema_answers_or_nobody_has_is_left_to_validation(document):
    assert unauthenticated_errors(document) is None


def test_the_anonymous_schema_still_refuses_those_fields_by_itself():
    """Until the gateway asks unauthenticated_errors first, validation alone says 'Cannot query field'."""
    (error,) = validate(ANONYMOUS_SCHEMA.graphql_schema, parse("{ meetings { edges { node { id } } } }"))
    assert "Cannot query field 'meetings'" in error.message
    assert unauthenticated_errors("{ meetings { edges { node { id } } } }") is not None
