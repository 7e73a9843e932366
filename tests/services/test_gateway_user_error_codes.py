"""A refused mutation's user errors carry a ``UserErrorCode``: documented in the schema, and on the
wire spelled as the code always was. The domain services are stood in (tests.gateway_stand_in)."""

from __future__ import annotations

from shared.vocabulary.gateway import ErrorCode


def test_a_refused_sign_in_answers_with_a_code_of_the_enum(gateway):
    query = 'mutation { signIn(input: {username: "nobody", password: "wrong"}) { errors { field code } } }'
    _, answer = gateway({"query": query})
    assert answer["data"]["signIn"]["errors"] == [
        {"field": None, "code": ErrorCode.INVALID_CREDENTIALS.value}
    ]


def test_the_codes_are_documented_in_the_schema(gateway):
    query = (
        '{ code: __type(name: "UserErrorCode") { kind description enumValues { name description } } '
        'error: __type(name: "UserError") { fields { name type { ofType { name kind } } } } }'
    )
    _, answer = gateway({"query": query}, gateway.token())
    code = answer["data"]["code"]
    assert code["kind"] == "ENUM" and code["description"]
    values = {value["name"]: value["description"] for value in code["enumValues"]}
    assert values["invalid_credentials"].startswith("A wrong username or password")
    assert all(values.values())
    fields = {f["name"]: f["type"]["ofType"] for f in answer["data"]["error"]["fields"]}
    assert fields["code"] == {"name": "UserErrorCode", "kind": "ENUM"}
